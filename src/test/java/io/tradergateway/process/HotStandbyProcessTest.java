package io.tradergateway.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.domain.Side;
import io.tradergateway.report.Json;
import io.tradergateway.simvenue.SimExecution;
import io.tradergateway.simvenue.SimOrderEvent;
import io.tradergateway.simvenue.SimVenue;
import io.tradergateway.simvenue.SimVenueConfig;
import io.tradergateway.store.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hot standby (SPEC §8, ha.standby): two gateways in child JVMs on one PostgreSQL, the simulated venue in this JVM. The
 * first becomes active, the second waits as a standby; plans stream in; the active is killed with SIGKILL mid-stream; the
 * standby takes over (writer lock, recovery, FIX logon with the sequence numbers from the shared JDBC store) and takes the
 * rest. Checked against the venue's own record: no ClOrdID twice, every venue fill booked once in the positions, report
 * sequence gap-free, every plan accepted exactly once (a 503 or a refused connection during the switch is retried).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HotStandbyProcessTest {
    private static final String TOKEN = "ha-token";
    private static final int PLANS = 16;
    private static final int KILL_AFTER = 6;
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "TSLA", "SPY");
    @TempDir
    Path dir;
    private SimVenue sim;
    private final List<Process> gateways = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private String dbUrl;
    private volatile boolean posting = true;

    @AfterEach
    void stop() throws Exception {
        posting = false;
        for (Process p : gateways) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        keepLogs();
        if (sim != null) sim.close();
        if (dbUrl != null) PostgresTestServer.shared().dropDatabase(dbUrl);
    }

    @Test
    void standbyTakesOverAfterAKillWithoutDuplicatesLossOrGaps() throws Exception {
        PostgresTestServer pg = PostgresTestServer.shared();
        dbUrl = pg.createDatabase();
        SimVenueConfig simConfig = SimVenueConfig.load(Path.of("sim-venue")).withSeed(11).withTickInterval(Duration.ZERO)
                .withDataDir(dir.resolve("sim"));
        String fixCfg = Files.readString(Path.of("fix-config/gateway.cfg"));
        for (String venue : simConfig.venues()) {
            int port = freePort();
            simConfig = simConfig.withPort(venue, port);
            fixCfg = fixCfg.replaceFirst("(TargetCompID=" + venue + "\\s+SocketConnectPort=)\\d+", "$1" + port);
        }
        Path cfgFile = Files.writeString(dir.resolve("gateway.cfg"), fixCfg);
        Path settings = Files.writeString(dir.resolve("test.properties"), "fix.config=" + cfgFile.toAbsolutePath() + "\n");
        sim = SimVenue.start(simConfig);

        int portA = freePort();
        int portB = freePort();
        Process a = startGateway("a", portA, settings, pg);
        awaitRole(portA, "active");
        awaitTrading(portA);
        Process b = startGateway("b", portB, settings, pg);
        awaitRole(portB, "standby");
        HttpResponse<String> refused = post(portB, plan("probe-never-accepted"));
        assertThat(refused.statusCode()).as("a standby refuses trading calls with 503").isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Json.MAPPER.readTree(refused.body()).path("code").asText()).isEqualTo("standby");

        // Plans stream in, each sent to whichever gateway takes it; a 503 or a refused connection is retried.
        Map<String, Integer> acceptedBy = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicInteger retried = new AtomicInteger();
        Thread poster = new Thread(() -> {
            for (int i = 1; i <= PLANS && posting; i++) {
                String id = "ha-" + i;
                ObjectNode plan = plan(id);
                Instant deadline = Instant.now().plusSeconds(90);
                while (posting && !acceptedBy.containsKey(id) && Instant.now().isBefore(deadline)) {
                    for (int port : List.of(portA, portB)) {
                        try {
                            HttpResponse<String> r = post(port, plan);
                            if (r.statusCode() == 202 || r.statusCode() == 200) {
                                acceptedBy.put(id, port);
                                break;
                            }
                            if (r.statusCode() == 503) {
                                retried.incrementAndGet();
                            } else {
                                problems.add(id + ": " + r.statusCode() + " " + r.body());
                            }
                        } catch (IOException e) {
                            // the killed one, or the standby between its standby API and its full API
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    if (!acceptedBy.containsKey(id)) sleep(200);
                }
                sleep(150);
            }
        }, "plan-poster");
        poster.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> acceptedBy.size() >= KILL_AFTER);
        a.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no Logout
        Instant killed = Instant.now();
        awaitRole(portB, "active");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> get(portB, "/health").path("all_sessions_logged_on").asBoolean());
        Duration takeover = Duration.between(killed, Instant.now());
        assertThat(takeover).as("standby logged on to every venue within a few seconds").isLessThan(Duration.ofSeconds(20));

        poster.join(TimeUnit.SECONDS.toMillis(120));
        assertThat(problems).isEmpty();
        assertThat(acceptedBy).hasSize(PLANS);
        assertThat(acceptedBy.values()).as("plans were taken by both").contains(portA, portB);

        // Every plan ends with exactly one terminal report; the sequence is gap-free across the switch.
        await().atMost(Duration.ofSeconds(60)).until(() -> terminals(reports(portB)).size() == PLANS);
        List<JsonNode> reports = reports(portB);
        for (int i = 0; i < reports.size(); i++) assertThat(reports.get(i).path("sequence").asLong()).isEqualTo(i + 1);
        assertThat(reports.stream().map(r -> r.path("report_id").asText()).distinct().count()).isEqualTo(reports.size());
        Map<String, Long> terminalCount = new HashMap<>();
        for (JsonNode r : terminals(reports)) terminalCount.merge(r.path("plan_id").asText(), 1L, Long::sum);
        assertThat(terminalCount).hasSize(PLANS).allSatisfy((plan, n) -> assertThat(n).as(plan).isEqualTo(1L));

        // The venue's own record: no ClOrdID sent twice, and its fills are the gateway's positions, each booked once.
        List<String> clOrdIds = new ArrayList<>();
        Map<String, BigDecimal> venueNet = new HashMap<>();
        BigDecimal venueFilled = BigDecimal.ZERO;
        Set<String> execIds = new HashSet<>();
        for (String venue : sim.venues()) {
            sim.received(venue).stream().filter(SimOrderEvent::isNewOrder).forEach(e -> clOrdIds.add(e.clOrdId()));
            for (SimExecution x : sim.executions(venue)) {
                assertThat(execIds.add(venue + "/" + x.execId())).isTrue();
                venueNet.merge(x.symbol(), x.side() == Side.BUY ? x.quantity() : x.quantity().negate(), BigDecimal::add);
                venueFilled = venueFilled.add(x.quantity());
            }
        }
        assertThat(clOrdIds).as("no ClOrdID sent twice").doesNotHaveDuplicates();
        assertThat(venueFilled).as("the venues filled something").isPositive();
        BigDecimal reported = BigDecimal.ZERO;
        for (JsonNode r : reports) {
            String status = r.path("status").asText();
            if (status.equals("filled") || status.equals("partial")) reported = reported.add(r.path("executed_quantity").decimalValue());
        }
        assertThat(reported).as("every venue fill reported once").isEqualByComparingTo(venueFilled);
        Map<String, BigDecimal> positions = new HashMap<>();
        for (JsonNode p : get(portB, "/v1/positions").path("positions")) {
            positions.put(p.path("symbol").asText(), p.path("quantity").decimalValue());
        }
        for (String symbol : SYMBOLS) {
            assertThat(positions.getOrDefault(symbol, BigDecimal.ZERO)).as(symbol)
                    .isEqualByComparingTo(venueNet.getOrDefault(symbol, BigDecimal.ZERO));
        }
        String logB = Files.readString(dir.resolve("gateway-b.log"));
        assertThat(logB).contains("hot standby: this gateway is now the active one", "FIX store: QuickFIX/J JDBC store")
                .doesNotContain("MsgSeqNum too low");
        // B's Logon to each venue continues A's sequence (the store is the shared database), not 1: read from the venue's
        // own message log (the gateway's FIX message logs are off in tests), B's is the last Logon from GATEWAY.
        try (var files = Files.walk(dir.resolve("sim"))) {
            List<Path> messageLogs = files.filter(f -> f.getFileName().toString().endsWith(".messages.log")).toList();
            assertThat(messageLogs).hasSize(sim.venues().size());
            for (Path f : messageLogs) {
                List<String> logons = Files.readAllLines(f).stream().filter(l -> l.contains("\u000135=A\u0001")
                        && l.contains("\u000149=GATEWAY\u0001")).toList();
                assertThat(logons).as("A's and B's Logons at " + f.getFileName()).hasSizeGreaterThanOrEqualTo(2);
                Matcher m = Pattern.compile("\u000134=(\\d+)\u0001").matcher(logons.get(logons.size() - 1));
                assertThat(m.find()).isTrue();
                assertThat(Integer.parseInt(m.group(1))).as("B's Logon seq at " + f.getFileName()).isGreaterThan(1);
            }
        }
        System.out.println("hot standby took over in " + takeover.toMillis() + " ms; plans taken by A: "
                + acceptedBy.values().stream().filter(p -> p == portA).count() + ", by B: "
                + acceptedBy.values().stream().filter(p -> p == portB).count() + "; 503 answers retried: " + retried.get());
    }

    /** The child gateways' logs, kept under target/ for a look after a failure. */
    private void keepLogs() {
        try {
            Path to = Files.createDirectories(Path.of("target", "hot-standby-logs"));
            for (String name : List.of("a", "b")) {
                Path log = dir.resolve("gateway-" + name + ".log");
                if (Files.exists(log)) Files.copy(log, to.resolve("gateway-" + name + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("keeping the gateway logs: " + e);
        }
    }

    private Process startGateway(String name, int httpPort, Path settings, PostgresTestServer pg) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.tradergateway.app.Main", "gateway",
                "--config", settings.toAbsolutePath().toString());
        Map<String, String> env = pb.environment();
        env.put("TRADER_HTTP_PORT", String.valueOf(httpPort));
        env.put("TRADER_API_TOKEN", TOKEN);
        env.put("TRADER_DATA_DIR", dir.resolve("gateway-" + name).toAbsolutePath().toString());
        env.put("TRADER_DB_URL", dbUrl);
        env.put("TRADER_DB_USER", pg.user());
        env.put("TRADER_DB_PASSWORD", pg.password());
        env.put("TRADER_HA_STANDBY", "true");
        env.put("TRADER_HA_POLL_MS", "200");
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("gateway-" + name + ".log").toFile()));
        Process p = pb.start();
        gateways.add(p);
        return p;
    }

    private void awaitRole(int port, String role) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> role.equals(get(port, "/health").path("role").asText()));
    }

    private void awaitTrading(int port) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(port, "/health").path("all_sessions_logged_on").asBoolean());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            for (JsonNode v : get(port, "/v1/venues").path("venues")) if (v.path("symbols").isEmpty()) return false;
            return true;
        });
    }

    private static List<JsonNode> terminals(List<JsonNode> reports) {
        return reports.stream().filter(r -> r.path("leg").asText().equals("entry")
                && List.of("filled", "failed", "cancelled").contains(r.path("status").asText())).toList();
    }

    private List<JsonNode> reports(int port) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        get(port, "/v1/exec-reports?after=0&limit=1000").path("reports").forEach(out::add);
        return out;
    }

    private ObjectNode plan(String id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int n = Math.abs(id.hashCode());
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("event_type", "dm-decision-1.0").put("plan_id", id).put("signal_id", "s-" + id).put("decision_id", "d-" + id)
                .put("symbol", SYMBOLS.get(n % SYMBOLS.size())).put("direction", n % 2 == 0 ? "long" : "short")
                .put("position_size", 0.5).put("max_position_size", 5.0)
                .put("risk_reward_ratio", 2.0).put("confidence_score", 0.7).put("execution_strategy", "market")
                .put("max_slippage", 0.01).put("max_latency_ms", 2000)
                .put("created_at", now.toString()).put("valid_until", now.plusSeconds(600).toString());
        return p;
    }

    private HttpResponse<String> post(int port, ObjectNode body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(port, "/v1/plans")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(int port, String path) throws Exception {
        return Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
