package io.tradergateway.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.report.Json;
import io.tradergateway.simvenue.SimVenue;
import io.tradergateway.simvenue.SimVenueConfig;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway in a child JVM, killed with SIGKILL after a fill and started again on the same data folder:
 * the position, the report sequence and the FIX session continue, and no order is sent twice.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashRecoveryProcessTest {
    private static final String TOKEN = "crash-token";
    @TempDir
    Path dir;
    private SimVenue sim;
    private Process gateway;
    private final HttpClient http = HttpClient.newHttpClient();
    private int httpPort;

    @AfterEach
    void stop() {
        if (gateway != null) gateway.destroyForcibly();
        if (sim != null) sim.close();
    }

    @Test
    void killedGatewayResumesWithItsPositionAndSequences() throws Exception {
        SimVenueConfig simConfig = SimVenueConfig.load(Path.of("sim-venue")).withSeed(7).withTickInterval(Duration.ZERO)
                .withDataDir(dir.resolve("sim"));
        String fixCfg = Files.readString(Path.of("fix-config/gateway.cfg"));
        for (String venue : simConfig.venues()) {
            int port = freePort();
            simConfig = simConfig.withPort(venue, port);
            fixCfg = fixCfg.replaceFirst("(TargetCompID=" + venue + "\\s+SocketConnectPort=)\\d+", "$1" + port);
        }
        Path cfgFile = dir.resolve("gateway.cfg");
        Files.writeString(cfgFile, fixCfg);
        Path settings = dir.resolve("test.properties");
        Files.writeString(settings, "fix.config=" + cfgFile.toAbsolutePath() + "\n");
        sim = SimVenue.start(simConfig);
        httpPort = freePort();

        gateway = startGateway(settings);
        awaitReady();
        assertThat(post(plan("crash-1")).statusCode()).isEqualTo(202);
        JsonNode filled = awaitReport("crash-1", "filled");
        String venue = filled.path("venue").asText();
        BigDecimal qty = position("AAPL");
        long ordersBefore = sim.received(venue).stream().filter(e -> e.isNewOrder()).count();

        gateway.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs

        gateway = startGateway(settings);
        awaitReady();
        assertThat(position("AAPL")).isEqualByComparingTo(qty);
        assertThat(state("crash-1")).isEqualTo("filled");
        assertThat(sim.received(venue).stream().filter(e -> e.isNewOrder()).count()).isEqualTo(ordersBefore);

        assertThat(post(plan("crash-2")).statusCode()).isEqualTo(202);
        JsonNode second = awaitReport("crash-2", "filled");
        assertThat(second.path("sequence").asLong()).isEqualTo(filled.path("sequence").asLong() + 1);
        assertThat(second.path("cl_ord_id").asText()).isNotEqualTo(filled.path("cl_ord_id").asText());
        assertThat(position("AAPL")).isEqualByComparingTo(qty.add(second.path("cumulative_quantity").decimalValue()));
    }

    private Process startGateway(Path settings) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.tradergateway.app.Main", "gateway",
                "--config", settings.toAbsolutePath().toString());
        Map<String, String> env = pb.environment();
        env.put("TRADER_HTTP_PORT", String.valueOf(httpPort));
        env.put("TRADER_API_TOKEN", TOKEN);
        env.put("TRADER_DATA_DIR", dir.resolve("gateway").toAbsolutePath().toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("gateway-process.log").toFile()));
        return pb.start();
    }

    private void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            JsonNode health = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(uri("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            return health.path("all_sessions_logged_on").asBoolean();
        });
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            for (JsonNode v : get("/v1/venues").path("venues")) if (v.path("symbols").isEmpty()) return false;
            return true;
        });
    }

    private ObjectNode plan(String id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("event_type", "dm-decision-1.0").put("plan_id", id).put("signal_id", "s-" + id).put("decision_id", "d-" + id)
                .put("symbol", "AAPL").put("direction", "long").put("position_size", 1.0).put("max_position_size", 5.0)
                .put("risk_reward_ratio", 2.0).put("confidence_score", 0.7).put("execution_strategy", "market")
                .put("max_slippage", 0.01).put("max_latency_ms", 2000)
                .put("created_at", now.toString()).put("valid_until", now.plusSeconds(600).toString());
        return p;
    }

    private JsonNode awaitReport(String planId, String status) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode r : get("/v1/exec-reports?after=0&limit=1000").path("reports")) {
                if (planId.equals(r.path("plan_id").asText()) && status.equals(r.path("status").asText())) {
                    found.add(r);
                    return true;
                }
            }
            return false;
        });
        return found.get(0);
    }

    private BigDecimal position(String symbol) throws Exception {
        for (JsonNode p : get("/v1/positions").path("positions")) {
            if (symbol.equals(p.path("symbol").asText())) return p.path("quantity").decimalValue();
        }
        return BigDecimal.ZERO;
    }

    private String state(String planId) throws Exception {
        return get("/v1/plans/" + planId).path("state").asText();
    }

    private HttpResponse<String> post(ObjectNode body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/v1/plans")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        return Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
