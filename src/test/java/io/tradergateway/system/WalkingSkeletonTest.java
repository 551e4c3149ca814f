package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.report.Json;
import io.tradergateway.simvenue.SimExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A plan in over HTTP, a NewOrderSingle out over FIX to the simulated venue, the fill back, an exec-report out (over
 * the API and as a line of the reports log).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WalkingSkeletonTest {
    @TempDir
    Path dir;
    GatewayHarness h;

    @BeforeEach
    void start() {
        h = startGateway(dir);
    }

    /** The gateway and the simulated venue, on the embedded H2 here ({@link WalkingSkeletonOnPostgresqlTest}: PostgreSQL). */
    GatewayHarness startGateway(Path dir) {
        return GatewayHarness.start(dir);
    }

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    @Test
    void marketPlanBecomesFilledReportWithPosition() {
        BigDecimal mid = h.mid("AAPL");
        ObjectNode plan = Plans.market("skel-1", "AAPL", "long");
        var accepted = h.post("/v1/plans", plan);
        assertThat(accepted.status()).isEqualTo(202);

        JsonNode filled = h.awaitReport("skel-1", r -> r.path("status").asText().equals("filled"));
        // 1 % of 1,000,000 equity at ~190 = floor(10000 / price) shares.
        BigDecimal reference = filled.path("expected_price").decimalValue();
        BigDecimal expectedQty = new BigDecimal("10000").divide(reference, 0, RoundingMode.DOWN);
        assertThat(filled.path("event_type").asText()).isEqualTo("exec-report-1.0");
        assertThat(filled.path("cumulative_quantity").decimalValue()).isEqualByComparingTo(expectedQty);
        assertThat(filled.path("side").asText()).isEqualTo("buy");
        assertThat(filled.path("leg").asText()).isEqualTo("entry");
        BigDecimal avg = filled.path("avg_price").decimalValue();
        // Bought at the offer side of a book around the mid: within 1 % of it.
        assertThat(avg.subtract(mid).abs()).isLessThan(mid.multiply(new BigDecimal("0.01")));
        // Exactly what the venue executed for this ClOrdID: the last fill's price and quantity, and their VWAP.
        String clOrdId = filled.path("cl_ord_id").asText();
        List<SimExecution> executions = h.sim.executions(filled.path("venue").asText()).stream()
                .filter(e -> e.clOrdId().equals(clOrdId)).toList();
        assertThat(executions).isNotEmpty();
        SimExecution last = executions.get(executions.size() - 1);
        assertThat(filled.path("executed_price").decimalValue()).isEqualByComparingTo(last.price());
        assertThat(filled.path("executed_quantity").decimalValue()).isEqualByComparingTo(last.quantity());
        BigDecimal notional = executions.stream().map(e -> e.price().multiply(e.quantity())).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal executedQty = executions.stream().map(SimExecution::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(executedQty).isEqualByComparingTo(expectedQty);
        assertThat(avg).isEqualByComparingTo(notional.divide(executedQty, avg.scale(), RoundingMode.HALF_EVEN));
        assertThat(filled.path("cl_ord_id").asText()).startsWith("TG-");
        assertThat(filled.path("latency_ms").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(filled.path("reported_to")).hasSize(3);
        assertThat(filled.path("position_after").path("quantity").decimalValue()).isEqualByComparingTo(expectedQty);
        assertThat(filled.path("what_worked").isArray()).isTrue();

        JsonNode position = h.position("AAPL");
        assertThat(position.path("quantity").decimalValue()).isEqualByComparingTo(expectedQty);
        assertThat(position.path("avg_price").decimalValue()).isEqualByComparingTo(avg);

        JsonNode view = h.plan("skel-1");
        assertThat(view.path("state").asText()).isEqualTo("filled");
        assertThat(view.path("orders")).hasSize(1);
        assertThat(view.path("orders").get(0).path("status").asText()).isEqualTo("FILLED");
        assertThat(view.path("orders").get(0).path("fills").size()).isGreaterThanOrEqualTo(1);
        assertThat(h.sim.received(view.path("orders").get(0).path("venue").asText())).isNotEmpty();
    }

    @Test
    void samePlanTwiceSendsOneOrderAndConflictingPlanIs409() {
        ObjectNode plan = Plans.market("skel-idem", "MSFT", "long");
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        h.awaitReport("skel-idem", r -> r.path("status").asText().equals("filled"));
        var again = h.post("/v1/plans", plan);
        assertThat(again.status()).isEqualTo(200);
        ObjectNode other = plan.deepCopy();
        other.put("position_size", 2.0);
        var conflict = h.post("/v1/plans", other);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body().path("message").asText()).contains("skel-idem");

        long newOrders = h.sim.venues().stream().flatMap(v -> h.sim.received(v).stream())
                .filter(e -> e.isNewOrder()).count();
        assertThat(h.plan("skel-idem").path("orders")).hasSize(1);
        assertThat(newOrders).isEqualTo(1);
    }

    @Test
    void malformedPlansGet400NamingTheField() {
        var broken = h.post("/v1/plans", "{ not json");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.body().path("errors").get(0).path("field").asText()).isNotEmpty();

        ObjectNode missing = Plans.market("skel-bad-1", "AAPL", "long");
        missing.remove("max_slippage");
        assertField(h.post("/v1/plans", missing), "max_slippage");

        ObjectNode wrongType = Plans.market("skel-bad-2", "AAPL", "long");
        wrongType.put("position_size", "lots");
        assertField(h.post("/v1/plans", wrongType), "position_size");

        String nan = Plans.market("skel-bad-3", "AAPL", "long").toString().replace("\"confidence_score\":0.7", "\"confidence_score\":NaN");
        assertField(h.post("/v1/plans", nan), "confidence_score");

        var unauthorized = h.call(HttpRequest.newBuilder(h.uri("/v1/plans"))
                .POST(HttpRequest.BodyPublishers.ofString(missing.toString())).build());
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(h.reports()).isEmpty();
    }

    @Test
    void everyCallButHealthAndMetricsNeedsTheRightBearerToken() {
        assertThat(h.post("/v1/plans", Plans.market("skel-auth", "AAPL", "long")).status()).isEqualTo(202);
        String plan = Plans.market("skel-auth-2", "AAPL", "long").toString();
        List<HttpRequest.Builder> calls = List.of(
                request("/v1/plans").POST(HttpRequest.BodyPublishers.ofString(plan)),
                request("/v1/plans/skel-auth/cancel").POST(HttpRequest.BodyPublishers.noBody()),
                request("/v1/kill-switch").POST(HttpRequest.BodyPublishers.ofString("{\"engaged\": true}")),
                request("/v1/plans/skel-auth").GET(),
                request("/v1/exec-reports?after=0&limit=10").GET(),
                request("/v1/positions").GET(),
                request("/v1/venues").GET());
        for (String header : new String[]{null, "Bearer wrong-token", "Bearer " + GatewayHarness.TOKEN + "x", GatewayHarness.TOKEN, "Basic dGVzdC10b2tlbg=="}) {
            for (HttpRequest.Builder call : calls) {
                if (header != null) call.setHeader("Authorization", header);
                HttpRequest request = call.build();
                assertThat(h.call(request).status()).as("%s %s with Authorization %s", request.method(), request.uri().getPath(), header)
                        .isEqualTo(401);
            }
        }
        // Nothing got through: no second plan, no cancel, kill switch still off.
        assertThat(h.get("/v1/plans/skel-auth-2").status()).isEqualTo(404);
        assertThat(h.awaitPlanState("skel-auth", "filled")).isEqualTo("filled");
        assertThat(h.post("/v1/plans", Plans.market("skel-auth-3", "AAPL", "long")).status()).isEqualTo(202);

        HttpRequest health = request("/health").GET().build();
        GatewayHarness.Response healthAnswer = h.call(health);
        assertThat(healthAnswer.status()).isEqualTo(200);
        assertThat(healthAnswer.body().path("all_sessions_logged_on").asBoolean()).isTrue();
        assertThat(h.metrics()).isNotBlank();
        // No consumer URL configured here: all three pull, so the gateway cannot know their lag and shows none.
        assertThat(h.metrics()).doesNotContain("trader_consumer_lag{");
        JsonNode consumers = h.get("/v1/consumers").body().path("consumers");
        assertThat(consumers.findValuesAsText("consumer")).containsExactly("alpha_detector", "decision_maker", "learning_systems");
        assertThat(consumers.findValuesAsText("state")).containsOnly("pull_only");
        assertThat(consumers).allMatch(c -> c.path("lag").isNull() && c.path("cursor").isNull());
        var metricsWithWrongToken = h.text(request("/metrics").header("Authorization", "Bearer wrong-token").GET().build());
        assertThat(metricsWithWrongToken.statusCode()).isEqualTo(200);
        assertThat(metricsWithWrongToken.body()).isNotBlank();
    }

    @Test
    void venuesAndHealthShowEachSessionsVersionCapabilitiesAndLastProblem() {
        h.awaitReady();
        await().atMost(Duration.ofSeconds(20)).until(() -> h.app.fix().ready());

        JsonNode venues = h.get("/v1/venues").body().path("venues");
        assertThat(venues.findValuesAsText("venue")).containsExactlyInAnyOrder("SIM_DEEP", "SIM_FAST", "SIM_CHEAP");
        for (JsonNode v : venues) {
            assertThat(v.path("fix_session").asText()).isEqualTo("FIX.4.4:GATEWAY->" + v.path("venue").asText());
            JsonNode caps = v.path("capabilities");
            assertThat(caps.path("fix_version").asText()).isEqualTo("FIX.4.4");
            assertThat(caps.path("route_orders").asBoolean()).isTrue();
            assertThat(caps.path("order_types").toString()).isEqualTo("[\"MARKET\",\"LIMIT\"]");
            assertThat(caps.path("time_in_force")).hasSize(5);
            assertThat(v.path("instruments_known").asBoolean()).isTrue();
            assertThat(v.has("last_problem")).isTrue();
            assertThat(v.path("last_problem").isNull()).isTrue();
        }
        JsonNode health = h.get("/health").body().path("venues");
        assertThat(health.path("SIM_FAST").path("fix_version").asText()).isEqualTo("FIX.4.4");
        assertThat(health.path("SIM_FAST").path("session").asText()).isEqualTo("logged_on");
        assertThat(health.path("SIM_FAST").path("last_problem").isNull()).isTrue();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(h.uri(path));
    }

    private static void assertField(GatewayHarness.Response response, String field) {
        assertThat(response.status()).isEqualTo(400);
        List<String> fields = response.body().path("errors").findValuesAsText("field");
        assertThat(fields).contains(field);
    }

    @Test
    void restartKeepsPositionReportSequenceAndFixSequenceNumbers() {
        assertThat(h.post("/v1/plans", Plans.market("skel-r1", "AAPL", "long")).status()).isEqualTo(202);
        JsonNode first = h.awaitReport("skel-r1", r -> r.path("status").asText().equals("filled"));
        BigDecimal qty = h.position("AAPL").path("quantity").decimalValue();
        String venue = first.path("venue").asText();
        long ordersAtVenue = h.sim.received(venue).size();
        long lastSeq = h.reports().get(h.reports().size() - 1).path("sequence").asLong();

        h.app.close();
        List<Map<String, String>> beforeRestart = fixMessages(venue);
        Map<String, String> lastSent = lastOf(beforeRestart, true);
        Map<String, String> lastReceived = lastOf(beforeRestart, false);
        h.startGateway();

        // No reset: the first message each way after the restart (the Logons) carries the number right after the last
        // one logged that way before the stop.
        List<Map<String, String>> all = fixMessages(venue);
        List<Map<String, String>> afterRestart = all.subList(beforeRestart.size(), all.size());
        Map<String, String> logonSent = firstOf(afterRestart, true);
        Map<String, String> logonReceived = firstOf(afterRestart, false);
        assertThat(logonSent.get("35")).isEqualTo("A");
        // Our Logout at the stop is the last message the venue logged from us. Now and then (a loaded machine) the venue's
        // answer crosses it and QuickFIX/J answers that Logout with a second one, lost as the venue hangs up: one number
        // more, which the venue asks for again and the gateway gap-fills. Either way nothing was reset.
        assertThat(Integer.parseInt(logonSent.get("34"))).isBetween(Integer.parseInt(lastSent.get("34")) + 1,
                Integer.parseInt(lastSent.get("34")) + 2);
        assertThat(lastSent.get("35")).as("the gateway logged out at the stop").isEqualTo("5");
        assertThat(logonSent.get("141")).isNotEqualTo("Y");
        assertThat(logonReceived.get("35")).isEqualTo("A");
        assertThat(Integer.parseInt(logonReceived.get("34"))).isEqualTo(Integer.parseInt(lastReceived.get("34")) + 1);
        assertThat(h.position("AAPL").path("quantity").decimalValue()).isEqualByComparingTo(qty);
        assertThat(h.plan("skel-r1").path("state").asText()).isEqualTo("filled");
        // Nothing re-sent: the venue saw no new order after the restart (status requests aside).
        assertThat(h.sim.received(venue).stream().skip(ordersAtVenue).filter(e -> e.isNewOrder()).count()).isZero();

        assertThat(h.post("/v1/plans", Plans.market("skel-r2", "AAPL", "long")).status()).isEqualTo(202);
        JsonNode second = h.awaitReport("skel-r2", r -> r.path("status").asText().equals("filled"));
        assertThat(second.path("sequence").asLong()).isEqualTo(lastSeq + 1);
        assertThat(h.position("AAPL").path("quantity").decimalValue())
                .isEqualByComparingTo(qty.add(second.path("cumulative_quantity").decimalValue()));
    }

    @Test
    void everyReportIsOneLineInSequenceOrderEqualToTheApi() {
        assertThat(h.post("/v1/plans", Plans.market("log-1", "AAPL", "long")).status()).isEqualTo(202);
        assertThat(h.post("/v1/plans", Plans.market("log-2", "MSFT", "short")).status()).isEqualTo(202);
        ObjectNode refused = Plans.market("log-3", "NOPE", "long");
        assertThat(h.post("/v1/plans", refused).status()).isEqualTo(422);
        h.awaitReport("log-1", r -> r.path("status").asText().equals("filled"));
        h.awaitReport("log-2", r -> r.path("status").asText().equals("filled"));
        h.awaitReport("log-3", r -> r.path("status").asText().equals("failed"));

        Path file = h.config.reportsLog();
        assertThat(file).isEqualTo(h.config.dataDir().resolve("reports").resolve("exec-reports.jsonl"));
        // The line is appended just after the report's commit: wait until the file has caught up with the API.
        List<JsonNode> api = h.reports();
        await().atMost(GatewayHarness.WAIT).until(() -> {
            String text = Files.exists(file) ? Files.readString(file) : "";
            return text.endsWith("\n") && text.lines().count() >= api.size();
        });

        List<JsonNode> logged = lines(file);
        assertThat(api).hasSizeGreaterThanOrEqualTo(3);
        assertThat(logged).containsExactlyElementsOf(api);
        List<Long> sequences = logged.stream().map(r -> r.path("sequence").asLong()).toList();
        for (int i = 0; i < sequences.size(); i++) assertThat(sequences.get(i)).isEqualTo(i + 1L);
    }

    private static List<JsonNode> lines(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            if (!Files.exists(file)) return out;
            for (String line : Files.readAllLines(file)) {
                assertThat(line).as("one JSON object per line").startsWith("{").endsWith("}");
                out.add(Json.MAPPER.readTree(line));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The venue's FIX message log of its session with the gateway (the simulated venue's QuickFIX/J FileLog, kept across
     * gateway restarts), parsed; the gateway's own message log leaves heartbeats out and rolls.
     */
    private List<Map<String, String>> fixMessages(String venue) {
        Path log = h.dataDir.resolve("sim").resolve("log").resolve("FIX.4.4-" + venue + "-GATEWAY.messages.log");
        try {
            List<Map<String, String>> out = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                int start = line.indexOf("8=FIX");
                if (start < 0) continue;
                Map<String, String> fields = new LinkedHashMap<>();
                for (String field : line.substring(start).split("\u0001")) {
                    int eq = field.indexOf('=');
                    if (eq > 0) fields.putIfAbsent(field.substring(0, eq), field.substring(eq + 1));
                }
                out.add(fields);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean sentByGateway(Map<String, String> message) {
        return "GATEWAY".equals(message.get("49"));
    }

    private static Map<String, String> firstOf(List<Map<String, String>> messages, boolean sent) {
        return messages.stream().filter(m -> sentByGateway(m) == sent).findFirst().orElseThrow();
    }

    private static Map<String, String> lastOf(List<Map<String, String>> messages, boolean sent) {
        return messages.stream().filter(m -> sentByGateway(m) == sent).reduce((a, b) -> b).orElseThrow();
    }
}
