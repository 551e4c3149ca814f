package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.app.GatewayApp;
import io.tradergateway.app.GatewayConfig;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * The simulated venue and the gateway in one JVM, on free ports, with a real H2 database in a temp folder.
 * The simulated market is frozen (no background ticks) so that tests move prices themselves.
 */
final class GatewayHarness implements AutoCloseable {
    static final String TOKEN = "test-token";
    static final Duration WAIT = Duration.ofSeconds(30);

    final Path dataDir;
    final SimVenue sim;
    final GatewayConfig config;
    GatewayApp app;
    private OpsLogCapture opsLog;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayHarness(Path dataDir, SimVenue sim, GatewayConfig config) {
        this.dataDir = dataDir;
        this.sim = sim;
        this.config = config;
    }

    static GatewayHarness start(Path dataDir) {
        return start(dataDir, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /**
     * Free ports are picked, then bound a moment later; on a machine shared with other test runs one is now and then
     * taken in between ("Error while binding"). Such a start is retried on new ports rather than failing the class.
     */
    static GatewayHarness start(Path dataDir, UnaryOperator<SimVenueConfig> simTweak, UnaryOperator<GatewayConfig> gatewayTweak) {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(attempt == 1 ? dataDir : dataDir.resolve("attempt-" + attempt), simTweak, gatewayTweak);
            } catch (IllegalStateException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("binding")) throw e;
            }
        }
    }

    private static GatewayHarness startOnce(Path dataDir, UnaryOperator<SimVenueConfig> simTweak, UnaryOperator<GatewayConfig> gatewayTweak) {
        SimVenueConfig simConfig = SimVenueConfig.load(Path.of("sim-venue"))
                .withSeed(42)
                .withTickInterval(Duration.ZERO)
                .withDataDir(dataDir.resolve("sim"));
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String venue : simConfig.venues()) {
            int port = freePort();
            ports.put(venue, port);
            simConfig = simConfig.withPort(venue, port);
        }
        SimVenue sim = SimVenue.start(simTweak.apply(simConfig));
        GatewayConfig config = gatewayTweak.apply(GatewayConfig.load(null, Map.of("TRADER_API_TOKEN", TOKEN))
                .withDataDir(dataDir.resolve("gateway"))
                .withHttpPort(0)
                .withFixPorts(ports));
        GatewayHarness h = new GatewayHarness(dataDir, sim, config);
        try {
            h.startGateway();
        } catch (RuntimeException e) {
            sim.close();
            throw e;
        }
        return h;
    }

    void startGateway() {
        app = GatewayApp.start(config, Clock.systemUTC());
        awaitReady();
    }

    void restartGateway() {
        app.close();
        startGateway();
    }

    /** Every session logged on, every venue's symbols known, and a price for AAPL. */
    void awaitReady() {
        await().atMost(WAIT).until(() -> app.sessionStates().values().stream().allMatch(Boolean::booleanValue));
        await().atMost(WAIT).until(() -> {
            JsonNode venues = get("/v1/venues").body();
            for (JsonNode v : venues.path("venues")) {
                if (v.path("symbols").isEmpty()) return false;
            }
            return true;
        });
        await().atMost(WAIT).until(() -> {
            JsonNode positions = get("/v1/positions").body();
            return positions != null;
        });
    }

    // ---------------------------------------------------------------- HTTP

    record Response(int status, JsonNode body) {
    }

    Response post(String path, String body) {
        return call(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Response post(String path, JsonNode body) {
        return post(path, body.toString());
    }

    Response get(String path) {
        return call(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN).GET().build());
    }

    Response call(HttpRequest request) {
        HttpResponse<String> r = text(request);
        try {
            return new Response(r.statusCode(), r.body().isEmpty() ? null : Json.MAPPER.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Prometheus text of {@code GET /metrics}. */
    String metrics() {
        return text(HttpRequest.newBuilder(uri("/metrics")).GET().build()).body();
    }

    /** A call whose answer is not JSON (or not looked at as JSON). */
    HttpResponse<String> text(HttpRequest request) {
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

    /** All exec-reports so far, in sequence order. */
    List<JsonNode> reports() {
        List<JsonNode> out = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = get("/v1/exec-reports?after=" + after + "&limit=1000").body();
            for (JsonNode r : page.path("reports")) out.add(r);
            if (page.path("reports").size() < 1000) return out;
            after = page.path("last_sequence").asLong();
        }
    }

    List<JsonNode> reportsOf(String planId) {
        return reports().stream().filter(r -> planId.equals(r.path("plan_id").asText())).toList();
    }

    /** Waits for a report of the plan matching the predicate and returns it. */
    JsonNode awaitReport(String planId, Predicate<JsonNode> match) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(WAIT).until(() -> {
            for (JsonNode r : reportsOf(planId)) {
                if (match.test(r)) {
                    found[0] = r;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    JsonNode plan(String planId) {
        return get("/v1/plans/" + planId).body();
    }

    /** Status of the plan's first order, "" before it has one. */
    String firstOrderStatus(String planId) {
        JsonNode orders = plan(planId).path("orders");
        return orders.isEmpty() ? "" : orders.get(0).path("status").asText();
    }

    String awaitPlanState(String planId, String state) {
        await().atMost(WAIT).until(() -> state.equals(plan(planId).path("state").asText()));
        return state;
    }

    /** {@code GET /v1/market/{symbol}}: the gateway's current view of the symbol's market. */
    JsonNode market(String symbol) {
        Response r = get("/v1/market/" + symbol);
        if (r.status() != 200) throw new AssertionError("GET /v1/market/" + symbol + " answered " + r.status() + " " + r.body());
        return r.body();
    }

    /** Waits until the gateway's view of the symbol's market matches (it has seen a price or trade) and returns it. */
    JsonNode awaitMarket(String symbol, Predicate<JsonNode> match) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(WAIT).until(() -> {
            found[0] = market(symbol);
            return match.test(found[0]);
        });
        return found[0];
    }

    JsonNode position(String symbol) {
        for (JsonNode p : get("/v1/positions").body().path("positions")) {
            if (symbol.equals(p.path("symbol").asText())) return p;
        }
        return null;
    }

    /** What the ops log says from the first call on (captured until {@link #close}). */
    synchronized OpsLogCapture opsLog() {
        if (opsLog == null) opsLog = OpsLogCapture.start();
        return opsLog;
    }

    /** The book jumps to {@code price} on every venue and a trade of 100 prints there. */
    void moveMarket(String symbol, String price) {
        BigDecimal p = new BigDecimal(price);
        sim.setMid(symbol, p);
        sim.printTrade(symbol, p, new BigDecimal("100"));
    }

    /** The elements of a JSON array. */
    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    BigDecimal mid(String symbol) {
        return sim.mid(symbol);
    }

    @Override
    public void close() {
        try {
            if (app != null) app.close();
        } finally {
            sim.close();
            synchronized (this) {
                if (opsLog != null) opsLog.close();
            }
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

    static ObjectNode copy(ObjectNode node) {
        return node.deepCopy();
    }
}
