package io.tradergateway.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static io.tradergateway.plan.PlanValidator.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanValidatorTest {

    /** The sample plan is valid from 10:00:00Z to 10:15:00Z; we validate at 10:05:00Z. */
    static final Instant NOW = Instant.parse("2026-11-25T10:05:00Z");
    static final Set<String> VENUES = Set.of("SIM_DEEP", "SIM_FAST", "SIM_CHEAP");

    private final PlanValidator validator = new PlanValidator();

    private final ValidationContext ctx = ValidationContext.of(NOW, Set.of("AAPL", "MSFT"), VENUES,
            Map.of("AAPL", new BigDecimal("187.00")));
    /** A context in which nothing is known about prices. */
    private final ValidationContext noPrices = ValidationContext.of(NOW, Set.of("AAPL", "MSFT"), VENUES, Map.of());

    private static TradingPlan plan(Consumer<ObjectNode> edit) {
        ParseResult result = new PlanParser().parse(PlanParserTest.sampleWith(edit));
        assertTrue(result.isParsed(), () -> "sample edit must stay well-formed: " + result.errors());
        return ((ParseResult.Parsed) result).plan();
    }

    private List<PlanIssue> issues(Consumer<ObjectNode> edit) {
        return validator.validate(plan(edit), ctx);
    }

    private static List<String> codes(List<PlanIssue> issues) {
        return issues.stream().map(PlanIssue::code).toList();
    }

    /** Exactly one issue, with this code and field. */
    private static void assertOnly(List<PlanIssue> issues, String code, String field) {
        assertEquals(1, issues.size(), () -> "issues: " + issues);
        assertEquals(code, issues.get(0).code(), () -> "issues: " + issues);
        assertEquals(field, issues.get(0).field(), () -> "issues: " + issues);
    }

    @Test
    void validPlanHasNoIssues() {
        assertEquals(List.of(), validator.validate(PlanParserTest.samplePlan(), ctx));
        assertEquals(List.of(), validator.validate(PlanParserTest.samplePlan(), noPrices));
    }

    @Test
    void validShortPlanHasNoIssues() {
        assertEquals(List.of(), issues(n -> {
            n.put("direction", "short");
            n.put("stop_loss", 190.0);
            n.put("take_profit", 180.0);
            n.putObject("entry_conditions").put("price_below", 188);
            n.putObject("exit_conditions").put("price_above", 191).put("price_below", 179);
        }));
    }

    // ---------------------------------------------------------------- time

    @Test
    void planAtOrPastValidUntilIsExpired() {
        TradingPlan plan = PlanParserTest.samplePlan();
        ValidationContext atEnd = ValidationContext.of(Instant.parse("2026-11-25T10:15:00Z"), Set.of("AAPL"), VENUES,
                Map.of());
        assertOnly(validator.validate(plan, atEnd), EXPIRED, "valid_until");
        ValidationContext oneMsBefore = ValidationContext.of(Instant.parse("2026-11-25T10:14:59.999Z"),
                Set.of("AAPL"), VENUES, Map.of());
        assertEquals(List.of(), validator.validate(plan, oneMsBefore));
    }

    @Test
    void createdAtMustBeBeforeValidUntil() {
        assertOnly(issues(n -> n.put("created_at", "2026-11-25T10:20:00Z")), CREATED_AFTER_VALID_UNTIL,
                "created_at");
        assertOnly(issues(n -> n.put("created_at", "2026-11-25T10:15:00Z")), CREATED_AFTER_VALID_UNTIL,
                "created_at");
    }

    // ---------------------------------------------------------------- symbol and sizes

    @Test
    void symbolNotListedByAnyVenueIsNotTradeable() {
        List<PlanIssue> issues = issues(n -> n.put("symbol", "TSLA"));
        assertOnly(issues, NOT_TRADEABLE, "symbol");
        assertTrue(issues.get(0).message().contains("TSLA"));
    }

    @Test
    void sizeOverMax() {
        List<PlanIssue> issues = issues(n -> n.put("position_size", 6));
        assertOnly(issues, SIZE_OVER_MAX, "position_size");
        assertEquals("position_size 6 exceeds max_position_size 5.0", issues.get(0).message());
        assertEquals(List.of(), issues(n -> n.put("position_size", 5)), "equal to the max is fine");
    }

    @Test
    void positionSizeOutsideZeroToHundred() {
        assertOnly(issues(n -> n.put("position_size", 0)), POSITION_SIZE_OUT_OF_RANGE, "position_size");
        assertOnly(issues(n -> n.put("position_size", -1)), POSITION_SIZE_OUT_OF_RANGE, "position_size");
        assertEquals(List.of(POSITION_SIZE_OUT_OF_RANGE, MAX_POSITION_SIZE_OUT_OF_RANGE),
                codes(issues(n -> n.put("position_size", 100.5).put("max_position_size", 101))));
        assertEquals(List.of(), issues(n -> n.put("position_size", 100).put("max_position_size", 100)));
    }

    @Test
    void maxPositionSizeOutsideZeroToHundred() {
        assertEquals(List.of(MAX_POSITION_SIZE_OUT_OF_RANGE, SIZE_OVER_MAX),
                codes(issues(n -> n.put("max_position_size", 0))));
    }

    // ---------------------------------------------------------------- prices

    @Test
    void limitPlanNeedsEntryPrice() {
        assertOnly(issues(n -> {
            n.put("execution_strategy", "limit");
            n.remove("entry_price");
        }), LIMIT_WITHOUT_ENTRY_PRICE, "entry_price");
        assertEquals(List.of(), issues(n -> n.put("execution_strategy", "limit")));
    }

    @Test
    void nonPositivePricesAreReportedOncePerField() {
        List<PlanIssue> issues = issues(n -> n.put("entry_price", 0).put("stop_loss", -1).put("take_profit", 0));
        assertEquals(List.of(NON_POSITIVE_PRICE, NON_POSITIVE_PRICE, NON_POSITIVE_PRICE), codes(issues));
        assertEquals(List.of("entry_price", "stop_loss", "take_profit"),
                issues.stream().map(PlanIssue::field).toList());
    }

    @Test
    void longStopLossAtOrAboveEntryIsWrongSide() {
        // entry 187.25, take profit 195: a stop at 188 is above the entry
        List<PlanIssue> issues = issues(n -> n.put("stop_loss", 188));
        assertOnly(issues, STOP_LOSS_WRONG_SIDE, "stop_loss");
        assertEquals("stop_loss 188 must be below the entry 187.25 (entry_price) for a long plan",
                issues.get(0).message());
        assertOnly(issues(n -> n.put("stop_loss", 187.25)), STOP_LOSS_WRONG_SIDE, "stop_loss");
    }

    @Test
    void longTakeProfitBelowEntryIsWrongSide() {
        // take profit 186 is below the entry 187.25 but still above the stop 183.50
        assertOnly(issues(n -> n.put("take_profit", 186)), TAKE_PROFIT_WRONG_SIDE, "take_profit");
    }

    @Test
    void shortStopAndTakeOnLongSidesAreAllReported() {
        // short entry 187.25 with the long plan's stop 183.50 and take 195: everything is the wrong way round
        List<PlanIssue> issues = issues(n -> n.put("direction", "short"));
        assertEquals(List.of(STOP_LOSS_WRONG_SIDE, TAKE_PROFIT_WRONG_SIDE, STOP_LOSS_TAKE_PROFIT_INVERTED),
                codes(issues));
        assertEquals("stop_loss 183.50 must be above the entry 187.25 (entry_price) for a short plan",
                issues.get(0).message());
    }

    @Test
    void stopAboveTakeForLongIsInvertedEvenWithoutEntry() {
        // no entry_price and no reference price: only the stop vs take order can be checked
        TradingPlan plan = plan(n -> {
            n.remove("entry_price");
            n.put("stop_loss", 196);
        });
        assertOnly(validator.validate(plan, noPrices), STOP_LOSS_TAKE_PROFIT_INVERTED, "stop_loss");
    }

    @Test
    void stopEqualToTakeForShortIsInverted() {
        TradingPlan plan = plan(n -> {
            n.put("direction", "short");
            n.remove("entry_price");
            n.put("stop_loss", 190).put("take_profit", 190);
            n.remove("entry_conditions");
        });
        assertOnly(validator.validate(plan, noPrices), STOP_LOSS_TAKE_PROFIT_INVERTED, "stop_loss");
    }

    @Test
    void withoutEntryPriceTheReferencePriceIsTheEntry() {
        // reference 187.00; entry condition price_above removed so the estimate stays at 187.00
        List<PlanIssue> issues = issues(n -> {
            n.remove("entry_price");
            n.remove("entry_conditions");
            n.put("stop_loss", 187.5).put("take_profit", 195);
        });
        assertOnly(issues, STOP_LOSS_WRONG_SIDE, "stop_loss");
        assertEquals("stop_loss 187.5 must be below the entry 187.00 (reference price) for a long plan",
                issues.get(0).message());
    }

    @Test
    void breakoutEntryIsCheckedAgainstItsTriggerNotTheCurrentPrice() {
        // market at 187.00, long breakout above 200: the entry will be above 200, so a stop at 195 is right
        assertEquals(List.of(), issues(n -> {
            n.remove("entry_price");
            n.putObject("entry_conditions").put("price_above", 200);
            n.put("stop_loss", 195).put("take_profit", 210);
        }));
        // ... and a take profit at 199 is wrong, whatever the current price
        List<PlanIssue> issues = issues(n -> {
            n.remove("entry_price");
            n.putObject("entry_conditions").put("price_above", 200);
            n.put("stop_loss", 195).put("take_profit", 199);
        });
        assertOnly(issues, TAKE_PROFIT_WRONG_SIDE, "take_profit");
        assertTrue(issues.get(0).message().contains("(entry_conditions.price_above)"), issues.get(0).message());
    }

    // ---------------------------------------------------------------- conditions

    @Test
    void entryPriceAboveNotBelowPriceBelowIsContradictory() {
        assertOnly(issues(n -> ((ObjectNode) n.get("entry_conditions")).put("price_below", 186)),
                ENTRY_CONDITIONS_CONTRADICTORY, "entry_conditions.price_above");
        assertOnly(issues(n -> ((ObjectNode) n.get("entry_conditions")).put("price_below", 186.00)),
                ENTRY_CONDITIONS_CONTRADICTORY, "entry_conditions.price_above");
        assertEquals(List.of(), issues(n -> ((ObjectNode) n.get("entry_conditions")).put("price_below", 189)));
    }

    @Test
    void nonPositiveEntryConditionValues() {
        List<PlanIssue> issues = issues(n -> n.putObject("entry_conditions")
                .put("price_above", 0).put("price_below", -5).put("volume_spike", 0).put("volatility_threshold", -0.1));
        // price_above 0 < price_below -5 is false, so the band is also contradictory
        assertEquals(List.of(CONDITION_NOT_POSITIVE, CONDITION_NOT_POSITIVE, CONDITION_NOT_POSITIVE,
                CONDITION_NOT_POSITIVE, ENTRY_CONDITIONS_CONTRADICTORY), codes(issues));
        assertEquals(List.of("entry_conditions.price_above", "entry_conditions.price_below",
                        "entry_conditions.volume_spike", "entry_conditions.volatility_threshold",
                        "entry_conditions.price_above"),
                issues.stream().map(PlanIssue::field).toList());
    }

    @Test
    void nonPositiveExitPrice() {
        assertOnly(issues(n -> ((ObjectNode) n.get("exit_conditions")).put("price_below", 0)),
                CONDITION_NOT_POSITIVE, "exit_conditions.price_below");
    }

    @Test
    void exitPriceBandThatAlwaysTriggers() {
        // exit if price > 180 OR price < 182: every price meets one of them
        assertOnly(issues(n -> ((ObjectNode) n.get("exit_conditions")).put("price_above", 180)),
                EXIT_CONDITIONS_ALWAYS_MET, "exit_conditions.price_above");
    }

    @Test
    void maxHoldMustBePositive() {
        assertOnly(issues(n -> ((ObjectNode) n.get("exit_conditions")).put("max_hold_seconds", 0)),
                MAX_HOLD_NOT_POSITIVE, "exit_conditions.max_hold_seconds");
    }

    @Test
    void trailingStopMustBeAFractionInZeroToOne() {
        for (double bad : new double[]{0, 1, 2, -0.01}) {
            assertOnly(issues(n -> ((ObjectNode) n.get("exit_conditions")).put("trailing_stop", bad)),
                    TRAILING_STOP_OUT_OF_RANGE, "exit_conditions.trailing_stop");
        }
        assertEquals(List.of(), issues(n -> ((ObjectNode) n.get("exit_conditions")).put("trailing_stop", 0.999)));
    }

    // ---------------------------------------------------------------- scores and execution

    @Test
    void confidenceOutsideZeroToOne() {
        assertOnly(issues(n -> n.put("confidence_score", 1.01)), CONFIDENCE_OUT_OF_RANGE, "confidence_score");
        assertOnly(issues(n -> n.put("confidence_score", -0.01)), CONFIDENCE_OUT_OF_RANGE, "confidence_score");
        assertEquals(List.of(), issues(n -> n.put("confidence_score", 0)));
        assertEquals(List.of(), issues(n -> n.put("confidence_score", 1)));
    }

    @Test
    void negativeRiskReward() {
        assertOnly(issues(n -> n.put("risk_reward_ratio", -0.5)), RISK_REWARD_NEGATIVE, "risk_reward_ratio");
        assertEquals(List.of(), issues(n -> n.put("risk_reward_ratio", 0)));
    }

    @Test
    void latencyMustBePositive() {
        assertOnly(issues(n -> n.put("max_latency_ms", 0)), MAX_LATENCY_NOT_POSITIVE, "max_latency_ms");
        assertOnly(issues(n -> n.put("max_latency_ms", -10)), MAX_LATENCY_NOT_POSITIVE, "max_latency_ms");
    }

    @Test
    void slippageMustBeInZeroToOne() {
        assertOnly(issues(n -> n.put("max_slippage", -0.001)), MAX_SLIPPAGE_OUT_OF_RANGE, "max_slippage");
        assertOnly(issues(n -> n.put("max_slippage", 1)), MAX_SLIPPAGE_OUT_OF_RANGE, "max_slippage");
        assertEquals(List.of(), issues(n -> n.put("max_slippage", 0)));
    }

    @Test
    void twapParametersMustBePositive() {
        List<PlanIssue> issues = issues(n -> {
            n.put("execution_strategy", "twap");
            n.putObject("execution_params").put("slices", 0).put("duration_s", 0);
        });
        assertEquals(List.of(TWAP_SLICES_INVALID, TWAP_DURATION_INVALID), codes(issues));
        assertEquals(List.of("execution_params.slices", "execution_params.duration_s"),
                issues.stream().map(PlanIssue::field).toList());
    }

    @Test
    void twapParametersHaveSaneUpperBounds() {
        assertEquals(List.of(TWAP_SLICES_INVALID, TWAP_DURATION_INVALID), codes(issues(n ->
                n.putObject("execution_params").put("slices", 1001).put("duration_s", 86_401))));
        assertEquals(List.of(), issues(n ->
                n.putObject("execution_params").put("slices", 1000).put("duration_s", 86_400)));
    }

    @Test
    void venuePreferencesNamingNoKnownVenue() {
        List<PlanIssue> both = issues(n -> n.putArray("venue_preferences").add("NYSE").add("BATS"));
        assertEquals(List.of(UNKNOWN_VENUE, UNKNOWN_VENUE), codes(both));
        assertEquals(List.of("venue_preferences[0]", "venue_preferences[1]"), both.stream().map(PlanIssue::field).toList());
        assertEquals(List.of(), issues(n -> n.putArray("venue_preferences")), "empty means any venue");
    }

    /** Issue 10 item 9: one unknown name beside a known one was accepted silently and later "passed over". */
    @Test
    void anyUnknownVenueInThePreferencesIsNamed() {
        List<PlanIssue> issues = issues(n -> n.putArray("venue_preferences").add("SIM_CHEAP").add("SIM_CHEEP"));
        assertOnly(issues, UNKNOWN_VENUE, "venue_preferences[1]");
        assertTrue(issues.get(0).message().contains("\"SIM_CHEEP\""), issues.get(0).message());
        assertEquals(List.of(), issues(n -> n.putArray("venue_preferences").add("SIM_CHEAP")), "known venues only");
    }

    // ---------------------------------------------------------------- all at once

    @Test
    void everyIssueIsListedAtOnce() {
        List<PlanIssue> issues = validator.validate(plan(n -> {
            n.put("symbol", "TSLA");
            n.put("position_size", 7);
            n.put("stop_loss", 190);
            n.put("confidence_score", 2);
            n.put("max_latency_ms", 0);
        }), ValidationContext.of(Instant.parse("2026-11-25T11:00:00Z"), Set.of("AAPL"), VENUES, Map.of()));
        assertEquals(List.of(NOT_TRADEABLE, SIZE_OVER_MAX, STOP_LOSS_WRONG_SIDE, CONFIDENCE_OUT_OF_RANGE,
                MAX_LATENCY_NOT_POSITIVE, EXPIRED), codes(issues));
    }
}
