package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4 §1: every plan is validated before anything is sent. Business rules answer 422 with every issue and
 * emit one {@code failed} exec-report naming them; schema errors answer 400 naming the field and emit nothing.
 * The market is frozen and never moved here, so one gateway serves all cases (each with its own plan_id).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlanValidationSystemTest {
    @TempDir
    static Path dir;
    static GatewayHarness h;

    @BeforeAll
    static void start() {
        h = GatewayHarness.start(dir);
    }


    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** One business rule: how to break a valid AAPL long market plan, and the issue code and field it must give. */
    static Stream<Arguments> businessRules() {
        return Stream.of(
                rule("expired", p -> {
                    p.put("created_at", now().minus(Duration.ofMinutes(10)).toString());
                    p.put("valid_until", now().minus(Duration.ofMinutes(1)).toString());
                }, "expired", "valid_until"),
                rule("created-after-valid-until", p -> {
                    p.put("created_at", now().plus(Duration.ofMinutes(20)).toString());
                    p.put("valid_until", now().plus(Duration.ofMinutes(10)).toString());
                }, "created_after_valid_until", "created_at"),
                rule("size-over-max", p -> {
                    p.put("position_size", 6.0);
                    p.put("max_position_size", 5.0);
                }, "size_over_max", "position_size"),
                rule("size-zero", p -> p.put("position_size", 0), "position_size_out_of_range", "position_size"),
                rule("size-negative", p -> p.put("position_size", -1.5), "position_size_out_of_range", "position_size"),
                rule("size-over-100", p -> {
                    p.put("position_size", 100.5);
                    p.put("max_position_size", 100);
                }, "position_size_out_of_range", "position_size"),
                rule("max-size-over-100", p -> p.put("max_position_size", 150), "max_position_size_out_of_range",
                        "max_position_size"),
                rule("not-tradeable", p -> p.put("symbol", "ZZZZ"), "not_tradeable", "symbol"),
                rule("long-stop-above-entry", p -> {
                    p.put("entry_price", 190.00);
                    p.put("stop_loss", 195.00);
                }, "stop_loss_wrong_side", "stop_loss"),
                rule("long-target-below-entry", p -> {
                    p.put("entry_price", 190.00);
                    p.put("take_profit", 185.00);
                }, "take_profit_wrong_side", "take_profit"),
                rule("short-stop-below-entry", p -> {
                    p.put("direction", "short");
                    p.put("entry_price", 190.00);
                    p.put("stop_loss", 185.00);
                }, "stop_loss_wrong_side", "stop_loss"),
                rule("short-target-above-market", p -> {
                    // No entry_price: the side is checked against the market (AAPL ~190, frozen).
                    p.put("direction", "short");
                    p.put("take_profit", 250.00);
                }, "take_profit_wrong_side", "take_profit"),
                rule("limit-without-entry-price", p -> p.put("execution_strategy", "limit"),
                        "limit_without_entry_price", "entry_price"),
                rule("confidence-above-1", p -> p.put("confidence_score", 1.2), "confidence_out_of_range", "confidence_score"),
                rule("confidence-negative", p -> p.put("confidence_score", -0.1), "confidence_out_of_range", "confidence_score"),
                rule("latency-zero", p -> p.put("max_latency_ms", 0), "max_latency_not_positive", "max_latency_ms"),
                rule("latency-negative", p -> p.put("max_latency_ms", -50), "max_latency_not_positive", "max_latency_ms"),
                rule("slippage-negative", p -> p.put("max_slippage", -0.001), "max_slippage_out_of_range", "max_slippage"),
                rule("unknown-venues", p -> p.putArray("venue_preferences").add("NYSE").add("SIM_NOWHERE"),
                        "unknown_venue", "venue_preferences[0]"));
    }

    private static Arguments rule(String name, Consumer<ObjectNode> breakIt, String code, String field) {
        return Arguments.of(name, breakIt, code, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("businessRules")
    void businessRuleViolationIs422WithAFailedReportNamingIt(String name, Consumer<ObjectNode> breakIt, String code,
                                                             String field) {
        String planId = "val-" + name;
        ObjectNode plan = Plans.market(planId, "AAPL", "long");
        breakIt.accept(plan);

        GatewayHarness.Response response = h.post("/v1/plans", plan);

        assertThat(response.status()).as(response.body().toString()).isEqualTo(422);
        assertThat(response.body().path("errors").findValuesAsText("code")).contains(code);
        assertThat(response.body().path("errors").findValuesAsText("field")).contains(field);

        JsonNode report = h.awaitReport(planId, r -> true);
        assertThat(report.path("status").asText()).isEqualTo("failed");
        assertThat(report.path("leg").asText()).isEqualTo("entry");
        assertThat(report.path("error_message").asText()).contains(code).contains(field);
        assertThat(texts(report.path("what_didnt_work"))).anyMatch(s -> s.startsWith("Plan rejected:"));
        assertThat(report.path("executed_quantity").decimalValue()).isZero();
        assertThat(h.reportsOf(planId)).hasSize(1);

        assertThat(h.plan(planId).path("state").asText()).isEqualTo("failed");
        assertThat(h.plan(planId).path("orders")).isEmpty();
    }

    @Test
    void everyIssueOfAPlanIsListedAtOnce() {
        String planId = "val-many";
        ObjectNode plan = Plans.market(planId, "ZZZZ", "long");
        plan.put("position_size", 7.5);
        plan.put("max_position_size", 5.0);
        plan.put("confidence_score", 1.7);
        plan.put("max_latency_ms", 0);
        plan.put("created_at", now().minus(Duration.ofHours(2)).toString());
        plan.put("valid_until", now().minus(Duration.ofHours(1)).toString());

        GatewayHarness.Response response = h.post("/v1/plans", plan);

        List<String> codes = List.of("not_tradeable", "size_over_max", "confidence_out_of_range",
                "max_latency_not_positive", "expired");
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.body().path("errors").findValuesAsText("code")).containsExactlyInAnyOrderElementsOf(codes);

        JsonNode report = h.awaitReport(planId, r -> true);
        assertThat(report.path("status").asText()).isEqualTo("failed");
        for (String code : codes) assertThat(report.path("error_message").asText()).contains(code);
        // One "Plan rejected: ..." sentence per issue, each carrying the issue's own message.
        List<String> rejected = texts(report.path("what_didnt_work")).stream().filter(s -> s.startsWith("Plan rejected:")).toList();
        assertThat(rejected).hasSize(codes.size());
        assertThat(rejected).anyMatch(s -> s.contains("ZZZZ"));
        assertThat(rejected).anyMatch(s -> s.contains("7.5") && s.contains("5.0"));
        assertThat(rejected).anyMatch(s -> s.contains("confidence_score") && s.contains("1.7"));
        assertThat(rejected).anyMatch(s -> s.contains("max_latency_ms"));
        assertThat(rejected).anyMatch(s -> s.contains("expired"));
        assertThat(texts(report.path("lessons_learned"))).anyMatch(s -> s.contains("confidence_score"));
        assertThat(h.plan(planId).path("orders")).isEmpty();
    }

    @Test
    void aPlanWhoseOnlyVenueDoesNotListTheSymbolFailsWithoutAnOrder() {
        // NVDA is tradeable (SIM_DEEP, SIM_CHEAP) but not at SIM_FAST, the only venue the plan allows.
        ObjectNode plan = Plans.market("val-fast-nvda", "NVDA", "long");
        plan.putArray("venue_preferences").add("SIM_FAST");

        GatewayHarness.Response response = h.post("/v1/plans", plan);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.body().path("errors").findValuesAsText("field")).contains("venue_preferences");
        assertThat(response.body().path("state").asText()).isEqualTo("failed");
        JsonNode report = h.awaitReport("val-fast-nvda", r -> true);
        assertThat(report.path("status").asText()).isEqualTo("failed");
        assertThat(report.path("error_message").asText()).contains("SIM_FAST").contains("does not list");
        assertThat(h.plan("val-fast-nvda").path("orders")).isEmpty();
        assertThat(h.sim.received("SIM_FAST")).noneMatch(e -> "NVDA".equals(e.symbol()));
    }

    /** A schema error: how to break the plan and the field the 400 must name. */
    static Stream<Arguments> schemaErrors() {
        return Stream.of(
                Arguments.of("unknown-entry-condition", (Consumer<ObjectNode>) p -> p.putObject("entry_conditions")
                        .put("price_abvoe", 200), "entry_conditions.price_abvoe"),
                Arguments.of("non-numeric-entry-condition", (Consumer<ObjectNode>) p -> p.putObject("entry_conditions")
                        .put("volume_spike", "lots"), "entry_conditions.volume_spike"),
                Arguments.of("boolean-volatility", (Consumer<ObjectNode>) p -> p.putObject("entry_conditions")
                        .put("volatility_threshold", true), "entry_conditions.volatility_threshold"),
                Arguments.of("unknown-exit-condition", (Consumer<ObjectNode>) p -> p.putObject("exit_conditions")
                        .put("stop_price", 180), "exit_conditions.stop_price"),
                Arguments.of("non-numeric-exit-condition", (Consumer<ObjectNode>) p -> p.putObject("exit_conditions")
                        .put("max_hold_seconds", "1h"), "exit_conditions.max_hold_seconds"),
                Arguments.of("unknown-strategy", (Consumer<ObjectNode>) p -> p.put("execution_strategy", "vwap"),
                        "execution_strategy"),
                Arguments.of("unknown-execution-param", (Consumer<ObjectNode>) p -> p.putObject("execution_params")
                        .put("slice_count", 4), "execution_params.slice_count"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaErrors")
    void schemaErrorIs400NamingTheFieldAndEmitsNoReport(String name, Consumer<ObjectNode> breakIt, String field) {
        String planId = "val-400-" + name;
        ObjectNode plan = Plans.market(planId, "AAPL", "long");
        breakIt.accept(plan);

        GatewayHarness.Response response = h.post("/v1/plans", plan);

        assertThat(response.status()).as(response.body().toString()).isEqualTo(400);
        assertThat(response.body().path("errors").findValuesAsText("field")).contains(field);
        assertThat(h.reportsOf(planId)).isEmpty();
        assertThat(h.get("/v1/plans/" + planId).status()).isEqualTo(404);
    }

    @Test
    void nanAndInfinityInAConditionAre400NamingTheField() {
        String nan = Plans.market("val-400-nan", "AAPL", "long").put("execution_notes", "x").toString()
                .replace("\"execution_notes\":\"x\"", "\"entry_conditions\":{\"price_above\":NaN}");
        GatewayHarness.Response response = h.post("/v1/plans", nan);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("errors").findValuesAsText("field")).contains("entry_conditions.price_above");

        String infinity = Plans.market("val-400-inf", "AAPL", "long").put("execution_notes", "x").toString()
                .replace("\"execution_notes\":\"x\"", "\"exit_conditions\":{\"trailing_stop\":Infinity}");
        response = h.post("/v1/plans", infinity);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("errors").findValuesAsText("field")).contains("exit_conditions.trailing_stop");
        assertThat(h.reportsOf("val-400-nan")).isEmpty();
        assertThat(h.reportsOf("val-400-inf")).isEmpty();
    }

    @Test
    void aValidPlanNextToTheInvalidOnesStillTrades() {
        // The gateway is not wedged by the refusals: a good plan on the same gateway goes through.
        GatewayHarness.Response response = h.post("/v1/plans", Plans.market("val-ok", "MSFT", "long"));
        assertThat(response.status()).isEqualTo(202);
        assertThat(h.awaitReport("val-ok", r -> r.path("status").asText().equals("filled")).path("cumulative_quantity")
                .decimalValue()).isPositive();
    }

    @Test
    void idsAtTheWidthOfTheirColumnsAreStoredAndOneCharacterMoreIs400() {
        // plan_id and symbol are database keys: the widest accepted ones must commit (a plan that trades, a refused
        // plan with its failed report), and one character more must be a 400 naming the field, never a 500.
        String widestId = "val-wide-" + "w".repeat(128 - "val-wide-".length());
        assertThat(h.post("/v1/plans", Plans.market(widestId, "MSFT", "long")).status()).isEqualTo(202);
        assertThat(h.awaitReport(widestId, r -> r.path("status").asText().equals("filled")).path("plan_id").asText())
                .isEqualTo(widestId);

        String refusedId = "val-wide-symbol";
        GatewayHarness.Response refused = h.post("/v1/plans", Plans.market(refusedId, "Z".repeat(32), "long"));
        assertThat(refused.status()).as(refused.body().toString()).isEqualTo(422);
        assertThat(h.awaitReport(refusedId, r -> r.path("status").asText().equals("failed")).path("symbol").asText())
                .hasSize(32);

        GatewayHarness.Response tooLong = h.post("/v1/plans", Plans.market(widestId + "x", "MSFT", "long"));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().path("errors").findValuesAsText("field")).containsExactly("plan_id");
        GatewayHarness.Response symbolTooLong = h.post("/v1/plans", Plans.market("val-wide-symbol-2", "Z".repeat(33), "long"));
        assertThat(symbolTooLong.status()).isEqualTo(400);
        assertThat(symbolTooLong.body().path("errors").findValuesAsText("field")).containsExactly("symbol");
    }

    @Test
    void aBodyOverTheLimitIs413AndLeavesNothingBehind() {
        ObjectNode plan = Plans.market("val-413", "AAPL", "long");
        plan.put("x_padding", "p".repeat(70 * 1024)); // an unknown top-level field: tolerated, but not at any size
        GatewayHarness.Response response = h.post("/v1/plans", plan);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body().toString()).contains("larger than 65536 bytes");
        assertThat(h.get("/v1/plans/val-413").status()).isEqualTo(404);
        assertThat(h.reportsOf("val-413")).isEmpty();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
