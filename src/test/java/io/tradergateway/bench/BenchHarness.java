package io.tradergateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradergateway.app.GatewayApp;
import io.tradergateway.app.GatewayConfig;
import io.tradergateway.risk.RiskLimits;
import io.tradergateway.report.Json;
import io.tradergateway.simvenue.SimVenue;
import io.tradergateway.simvenue.SimVenueConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;

/**
 * The bundled simulated venue and the gateway in one JVM, on free ports, with H2 in a temp folder — the same
 * set-up as the system tests' {@code GatewayHarness}, tuned for measuring the gateway rather than the venue:
 * every venue answers at once (ack latency 0, no jitter, no random rejects, no slicing, exact book sizes) and
 * the market is frozen (no background ticks), so what is measured is the gateway's own path.
 */
final class BenchHarness implements AutoCloseable {
    static final String TOKEN = "bench-token";
    static final Duration WAIT = Duration.ofSeconds(60);

    final Path dataDir;
    final SimVenue sim;
    final GatewayApp app;

    private BenchHarness(Path dataDir, SimVenue sim, GatewayApp app) {
        this.dataDir = dataDir;
        this.sim = sim;
        this.app = app;
    }

    static BenchHarness start(Path dataDir) {
        SimVenue sim = startSim(dataDir.resolve("sim"));
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String venue : sim.venues()) ports.put(venue, sim.config().port(venue));
        GatewayApp app;
        try {
            GatewayConfig config = GatewayConfig.load(null, Map.of("TRADER_API_TOKEN", TOKEN))
                    .withDataDir(dataDir.resolve("gateway"))
                    .withHttpPort(0)
                    .withFixPorts(ports)
                    // The benchmark sets its own risk limits (SPEC 7): every check runs, none binds (the default order
                    // rate of 50 a second per venue would otherwise be what is measured).
                    .withRisk(new RiskLimits(new BigDecimal("1e12"), new BigDecimal("1e9"), new BigDecimal("1e12"),
                            new BigDecimal("1e13"), new BigDecimal("0.5"), 1_000_000, 1_000_000, 2000))
                    // bench.journal: file (the default, as shipped) or sql; bench.fsync: true (as shipped) or false.
                    .withJournal(!"sql".equals(System.getProperty("bench.journal", "file")),
                            Boolean.parseBoolean(System.getProperty("bench.fsync", "true")));
            // bench.journalDir: the journal in a folder of its own (another device), e.g. with the rest on tmpfs.
            String journalDir = System.getProperty("bench.journalDir", "");
            if (!journalDir.isBlank()) config = config.withJournalDir(Path.of(journalDir).resolve("journal-" + System.nanoTime()));
            app = GatewayApp.start(config, Clock.systemUTC());
        } catch (RuntimeException e) {
            sim.close();
            throw e;
        }
        BenchHarness h = new BenchHarness(dataDir, sim, app);
        try {
            h.awaitReady();
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    /**
     * The bundled simulated venue as the benchmarks measure against it, on free ports: seed 42, frozen market (no
     * background ticks), every profile predictable with ack latency 0.
     */
    static SimVenue startSim(Path dataDir) {
        SimVenueConfig simConfig = benchConfig(dataDir);
        for (String venue : simConfig.venues()) simConfig = simConfig.withPort(venue, freePort());
        return SimVenue.start(simConfig);
    }

    /**
     * The venue of the bare QuickFIX/J client: {@code venue}'s profile alone, as {@link #startSim} sets it up, renamed
     * {@code BARE_<venue>} so that its sessions ({@code BARE_<venue> -> GATEWAY} and the client's reverse) are not the
     * gateway's: QuickFIX/J keeps one registry of sessions per JVM, and the bare client stays open beside the gateway.
     */
    static SimVenue startBareSim(Path dataDir, String venue) {
        SimVenueConfig base = benchConfig(dataDir);
        String bare = bareVenue(venue);
        SimVenueConfig config = base.withVenue(base.profile(venue).renamed(bare), base.beginString(venue), freePort())
                .withOnlyVenues(bare);
        return SimVenue.start(config);
    }

    private static SimVenueConfig benchConfig(Path dataDir) {
        return SimVenueConfig.load(Path.of("sim-venue"))
                .withSeed(42)
                .withTickInterval(Duration.ZERO)
                .withDataDir(dataDir)
                .withEveryProfile(p -> p.predictable().withAckLatency(Duration.ZERO));
    }

    static String bareVenue(String venue) {
        return "BARE_" + venue;
    }

    /** Every session logged on, every venue's symbols known, market data for every symbol. */
    private void awaitReady() {
        HttpClient http = newClient();
        await().atMost(WAIT).until(() -> app.sessionStates().values().stream().allMatch(Boolean::booleanValue));
        await().atMost(WAIT).until(() -> {
            JsonNode venues = get(http, "/v1/venues");
            for (JsonNode v : venues.path("venues")) {
                if (v.path("symbols").isEmpty()) return false;
            }
            return true;
        });
        await().atMost(WAIT).until(() -> {
            JsonNode positions = get(http, "/v1/positions");
            return positions != null;
        });
    }

    /** Symbols every venue session knows, sorted (the benchmark rotates over them). */
    Set<String> symbols() {
        return new TreeSet<>(sim.config().symbols().keySet());
    }

    /**
     * Rebuilds every venue's book around the unchanged mid, so that a phase does not start on books emptied by
     * the previous one (the market is frozen: nothing else refills them).
     */
    void refillBooks() {
        refillBooks(sim);
    }

    static void refillBooks(SimVenue venue) {
        for (String symbol : venue.config().symbols().keySet()) venue.setMid(symbol, venue.mid(symbol));
    }

    /**
     * Returns once the engine has handled everything queued before this call: a positions query is answered
     * by the engine thread in queue order.
     */
    void awaitEngineIdle(HttpClient http) {
        await().atMost(WAIT).until(() -> get(http, "/v1/positions") != null
                && metric(http, "trader_engine_backlog") == 0);
    }

    long metric(HttpClient http, String name) {
        return (long) metricValue(http, name); // Micrometer writes counters as 0.0
    }

    double metricValue(HttpClient http, String name) {
        String text = send(http, request("/metrics").GET().build()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
        throw new IllegalStateException("no metric " + name + " in /metrics");
    }

    // ---------------------------------------------------------------- HTTP

    /** HTTP/1.1 (the JDK server does not speak h2c; the default client would try an upgrade on every connection). */
    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30));
    }

    HttpResponse<String> post(HttpClient http, String path, String body) {
        return send(http, request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    JsonNode get(HttpClient http, String path) {
        HttpResponse<String> r = send(http, request(path).GET().build());
        try {
            return r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.httpPort() + path);
    }

    @Override
    public void close() {
        try {
            app.close();
        } finally {
            sim.close();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
