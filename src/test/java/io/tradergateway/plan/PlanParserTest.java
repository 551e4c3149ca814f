package io.tradergateway.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.domain.Direction;
import io.tradergateway.domain.ExecutionStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanParserTest {

    static final String SAMPLE = "/plans/valid-market-plan.json";
    static final ObjectMapper MAPPER = PlanParser.newObjectMapper();

    private final PlanParser parser = new PlanParser();

    static String sampleJson() {
        try (InputStream in = PlanParserTest.class.getResourceAsStream(SAMPLE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample plan, changed by {@code edit}, as JSON text. */
    static String sampleWith(Consumer<ObjectNode> edit) {
        try {
            ObjectNode node = (ObjectNode) MAPPER.readTree(sampleJson());
            edit.accept(node);
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample plan with one literal replaced in the raw text (for tokens Jackson would not write, like NaN). */
    static String sampleReplacing(String literal, String replacement) {
        String json = sampleJson();
        assertTrue(json.contains(literal), "sample contains " + literal);
        return json.replace(literal, replacement);
    }

    static TradingPlan samplePlan() {
        return ((ParseResult.Parsed) new PlanParser().parse(sampleJson())).plan();
    }

    private List<FieldError> errorsOf(String json) {
        ParseResult result = parser.parse(json);
        assertInstanceOf(ParseResult.Malformed.class, result, "expected schema errors for " + json);
        assertFalse(result.isParsed());
        return result.errors();
    }

    /** Asserts exactly one error, on {@code field}, whose message contains {@code fragment}. */
    private void assertSingleError(String json, String field, String fragment) {
        List<FieldError> errors = errorsOf(json);
        assertEquals(1, errors.size(), () -> "errors: " + errors);
        assertEquals(field, errors.get(0).field(), () -> "errors: " + errors);
        assertTrue(errors.get(0).message().contains(fragment), () -> "message: " + errors.get(0).message());
    }

    private TradingPlan parsed(String json) {
        ParseResult result = parser.parse(json);
        assertInstanceOf(ParseResult.Parsed.class, result, () -> "errors: " + result.errors());
        assertTrue(result.errors().isEmpty());
        return ((ParseResult.Parsed) result).plan();
    }

    // ---------------------------------------------------------------- valid plans

    @Test
    void fullValidPlanParsesWithExactValues() {
        ParseResult result = parser.parse(sampleJson());
        assertTrue(result.isParsed());
        TradingPlan plan = ((ParseResult.Parsed) result).plan();
        assertEquals(List.of(), ((ParseResult.Parsed) result).ignoredKeys());

        assertEquals("plan-2026-11-25-0001", plan.planId());
        assertEquals("sig-7f3a", plan.signalId());
        assertEquals("dec-91b2", plan.decisionId());
        assertEquals("AAPL", plan.symbol());
        assertEquals(Direction.LONG, plan.direction());
        // BigDecimal.equals compares the scale too: the text's trailing zeros are kept, nothing went through double
        assertEquals(new BigDecimal("2.50"), plan.positionSize());
        assertEquals(new BigDecimal("5.0"), plan.maxPositionSize());
        assertEquals(new BigDecimal("187.25"), plan.entryPrice());
        assertEquals(new BigDecimal("183.50"), plan.stopLoss());
        assertEquals(new BigDecimal("195.00"), plan.takeProfit());
        assertEquals(new EntryConditions(new BigDecimal("186.00"), null, new BigDecimal("15000"),
                new BigDecimal("0.0005")), plan.entryConditions());
        assertEquals(new ExitConditions(null, new BigDecimal("182.00"), 3600L, new BigDecimal("0.02")),
                plan.exitConditions());
        assertEquals(new BigDecimal("2.07"), plan.riskRewardRatio());
        assertEquals(new BigDecimal("0.82"), plan.confidenceScore());
        assertEquals(ExecutionStrategy.MARKET, plan.executionStrategy());
        assertEquals(new TwapParams(300, 10), plan.twapParams());
        assertEquals(new BigDecimal("0.001"), plan.maxSlippage());
        assertEquals(250L, plan.maxLatencyMs());
        assertEquals(List.of("SIM_DEEP", "SIM_FAST"), plan.venuePreferences());
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), plan.createdAt());
        assertEquals(Instant.parse("2026-11-25T10:15:00Z"), plan.validUntil());
        assertEquals("Momentum entry after earnings beat; scale out above 195.", plan.executionNotes());
    }

    @Test
    void decimalsBeyondDoublePrecisionStayExact() {
        TradingPlan plan = parsed(sampleReplacing("\"entry_price\": 187.25",
                "\"entry_price\": 187.12345678901234567890123"));
        assertEquals(new BigDecimal("187.12345678901234567890123"), plan.entryPrice());
    }

    @Test
    void optionalFieldsAbsentOrNullGiveDefaults() {
        TradingPlan plan = parsed(sampleWith(n -> {
            n.remove(List.of("entry_price", "stop_loss", "take_profit", "entry_conditions", "venue_preferences"));
            n.putNull("exit_conditions");
            n.putNull("execution_params");
            n.putNull("execution_notes");
        }));
        assertNull(plan.entryPrice());
        assertNull(plan.stopLoss());
        assertNull(plan.takeProfit());
        assertTrue(plan.entryConditions().isEmpty());
        assertTrue(plan.exitConditions().isEmpty());
        assertEquals(TwapParams.DEFAULT, plan.twapParams());
        assertEquals(List.of(), plan.venuePreferences());
        assertNull(plan.executionNotes());
    }

    @Test
    void twapPlanWithExecutionParams() {
        TradingPlan plan = parsed(sampleWith(n -> {
            n.put("execution_strategy", "twap");
            n.putObject("execution_params").put("duration_s", 120).put("slices", 4);
        }));
        assertEquals(ExecutionStrategy.TWAP, plan.executionStrategy());
        assertEquals(new TwapParams(120, 4), plan.twapParams());
    }

    @Test
    void missingExecutionParamKeysTakeTheirDefaults() {
        TradingPlan plan = parsed(sampleWith(n -> n.putObject("execution_params").put("slices", 5)));
        assertEquals(new TwapParams(300, 5), plan.twapParams());
    }

    @Test
    void shortLimitPlanAndOffsetTimes() {
        TradingPlan plan = parsed(sampleWith(n -> {
            n.put("direction", "short");
            n.put("execution_strategy", "limit");
            n.put("created_at", "2026-11-25T11:00:00+01:00");
            n.put("valid_until", "2026-11-25T05:30:00.250-05:00");
        }));
        assertEquals(Direction.SHORT, plan.direction());
        assertEquals(ExecutionStrategy.LIMIT, plan.executionStrategy());
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), plan.createdAt());
        assertEquals(Instant.parse("2026-11-25T10:30:00.250Z"), plan.validUntil());
    }

    @Test
    void unknownTopLevelKeysAreToleratedAndListed() {
        ParseResult result = parser.parse(sampleWith(n -> {
            n.put("model_version", "v7");
            n.putObject("extra").put("x", 1);
        }));
        assertTrue(result.isParsed(), () -> "errors: " + result.errors());
        assertEquals(List.of("model_version", "extra"), ((ParseResult.Parsed) result).ignoredKeys());
    }

    @Test
    void integralLatencyWrittenWithDecimalPointIsAccepted() {
        assertEquals(250L, parsed(sampleReplacing("\"max_latency_ms\": 250", "\"max_latency_ms\": 250.0"))
                .maxLatencyMs());
        assertEquals(1000L, parsed(sampleReplacing("\"max_latency_ms\": 250", "\"max_latency_ms\": 1e3"))
                .maxLatencyMs());
    }

    @Test
    void treeReadByAnotherMapperIsParsedToo() throws IOException {
        JsonNode tree = new ObjectMapper().readTree(sampleJson());
        ParseResult result = parser.parse(tree);
        assertTrue(result.isParsed(), () -> "errors: " + result.errors());
        TradingPlan plan = ((ParseResult.Parsed) result).plan();
        assertEquals(0, new BigDecimal("2.5").compareTo(plan.positionSize()));
        assertEquals(0, new BigDecimal("0.001").compareTo(plan.maxSlippage()));
    }

    @Test
    void sameContentIgnoresDecimalScaleButNotValues() {
        TradingPlan original = samplePlan();
        TradingPlan rescaled = parsed(sampleReplacing("\"position_size\": 2.50", "\"position_size\": 2.5"));
        TradingPlan changed = parsed(sampleReplacing("\"position_size\": 2.50", "\"position_size\": 2.6"));
        assertFalse(original.equals(rescaled), "record equality sees the scale");
        assertTrue(original.sameContentAs(rescaled));
        assertFalse(original.sameContentAs(changed));
        assertFalse(original.sameContentAs(null));
    }

    // ---------------------------------------------------------------- document-level errors

    @Test
    void malformedJsonIsReportedOnDollar() {
        List<FieldError> errors = errorsOf("{\"event_type\": \"dm-decision-1.0\", \"plan_id\": ");
        assertEquals(1, errors.size());
        assertEquals("$", errors.get(0).field());
        assertTrue(errors.get(0).message().startsWith("malformed JSON"), errors.get(0).message());
    }

    @Test
    void trailingContentIsMalformed() {
        assertSingleError(sampleJson() + " {}", "$", "malformed JSON");
    }

    @Test
    void duplicateKeyIsMalformed() {
        assertSingleError(sampleReplacing("\"position_size\": 2.50", "\"position_size\": 2.50, \"position_size\": 90"),
                "$", "position_size");
    }

    @Test
    void emptyBodyAndNonObjectsAreRejected() {
        assertSingleError("", "$", "empty document");
        assertSingleError("   ", "$", "empty document");
        assertSingleError("null", "$", "empty document");
        assertSingleError("[1, 2]", "$", "expected a JSON object, got array");
        assertSingleError("\"plan\"", "$", "expected a JSON object, got string");
    }

    // ---------------------------------------------------------------- required fields and event type

    @ParameterizedTest
    @ValueSource(strings = {"event_type", "plan_id", "signal_id", "decision_id", "symbol", "direction",
            "position_size", "max_position_size", "risk_reward_ratio", "confidence_score", "execution_strategy",
            "max_slippage", "max_latency_ms", "created_at", "valid_until"})
    void eachRequiredFieldMissingIsNamed(String field) {
        assertSingleError(sampleWith(n -> n.remove(field)), field, "required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plan_id", "symbol", "position_size", "max_latency_ms", "created_at"})
    void requiredFieldNullIsNamed(String field) {
        assertSingleError(sampleWith(n -> n.putNull(field)), field, "must not be null");
    }

    @Test
    void allErrorsAreReportedNotJustTheFirst() {
        List<FieldError> errors = errorsOf("{}");
        // 15 required fields, each reported
        assertEquals(15, errors.size(), () -> "errors: " + errors);
        assertEquals("event_type", errors.get(0).field());
        assertEquals("valid_until", errors.get(14).field());
    }

    @Test
    void errorsOfDifferentKindsAreListedTogether() {
        List<FieldError> errors = errorsOf(sampleWith(n -> {
            n.put("position_size", "2.5");
            n.put("direction", "buy");
            n.remove("symbol");
            ((ObjectNode) n.get("entry_conditions")).put("price_abve", 1);
            n.put("valid_until", "tomorrow");
        }));
        assertEquals(List.of("symbol", "direction", "position_size", "entry_conditions.price_abve", "valid_until"),
                errors.stream().map(FieldError::field).toList());
    }

    @Test
    void wrongEventTypeIsRejected() {
        assertSingleError(sampleWith(n -> n.put("event_type", "dm-decision-2.0")), "event_type",
                "must be \"dm-decision-1.0\", got \"dm-decision-2.0\"");
    }

    @Test
    void blankIdIsRejected() {
        assertSingleError(sampleWith(n -> n.put("plan_id", "  ")), "plan_id", "must not be blank");
    }

    @Test
    void nulCharacterInAnIdIsRejected() {
        // A database column cannot hold it on PostgreSQL: refused up front (400), not a failed commit (500).
        assertSingleError(sampleWith(n -> n.put("plan_id", "P\u00001")), "plan_id", "must not contain the NUL character");
    }

    @Test
    void unpairedSurrogateInSignalIdIsRefusedNamingTheField() {
        // Issue 10 item 6: "\ud800" cannot be encoded as UTF-8; accepted, it poisoned every report page carrying it.
        String json = sampleJson().replaceFirst("\"signal_id\"\\s*:\\s*\"", "\"signal_id\": \"\\\\ud800");
        assertTrue(json.contains("\\ud800"), json);
        assertSingleError(json, "signal_id", "unpaired surrogate");
    }

    @Test
    void unpairedSurrogateAnywhereInThePlanIsRefusedWithItsPath() {
        assertSingleError(sampleWith(n -> n.put("execution_notes", "ok \udc00")), "execution_notes", "unpaired surrogate");
        assertSingleError(sampleWith(n -> n.putArray("venue_preferences").add("SIM_A").add("\ud83d")),
                "venue_preferences[1]", "unpaired surrogate");
        assertSingleError(sampleWith(n -> n.put("x_extra", "\ud800")), "x_extra", "unpaired surrogate");
        // A well-formed pair (an emoji) is fine.
        assertEquals("sig \ud83d\ude00", parsed(sampleWith(n -> n.put("signal_id", "sig \ud83d\ude00"))).signalId());
    }

    @Test
    void executionNotesAreBounded() {
        assertSingleError(sampleWith(n -> n.put("execution_notes", "n".repeat(PlanParser.MAX_NOTES_LENGTH + 1))),
                "execution_notes", "at most 4096 characters");
        assertEquals(PlanParser.MAX_NOTES_LENGTH,
                parsed(sampleWith(n -> n.put("execution_notes", "n".repeat(PlanParser.MAX_NOTES_LENGTH)))).executionNotes().length());
    }

    @Test
    void idsAndSymbolAreBoundedByTheirColumnWidths() {
        // plan_id and symbol are database keys (VARCHAR(128) and VARCHAR(32)): longer is a 400 naming the field,
        // never a failed commit (500); the other ids only travel in JSON and get the general bound.
        assertSingleError(sampleWith(n -> n.put("symbol", "X".repeat(33))), "symbol", "at most 32 characters");
        assertSingleError(sampleWith(n -> n.put("plan_id", "P".repeat(129))), "plan_id", "at most 128 characters");
        assertSingleError(sampleWith(n -> n.put("signal_id", "S".repeat(257))), "signal_id", "at most 256 characters");
        TradingPlan widest = parsed(sampleWith(n -> {
            n.put("symbol", "X".repeat(32));
            n.put("plan_id", "P".repeat(128));
            n.put("signal_id", "S".repeat(256));
        }));
        assertEquals(128, widest.planId().length());
        assertEquals(32, widest.symbol().length());
        assertEquals(256, widest.signalId().length());
    }

    // ---------------------------------------------------------------- wrong JSON types

    @Test
    void numberGivenAsStringIsRejected() {
        assertSingleError(sampleWith(n -> n.put("position_size", "2.5")), "position_size",
                "must be a number, got string \"2.5\"");
    }

    @Test
    void stringGivenAsNumberIsRejected() {
        assertSingleError(sampleWith(n -> n.put("plan_id", 42)), "plan_id", "must be a string, got number 42");
    }

    @Test
    void booleanGivenAsNumberIsRejected() {
        assertSingleError(sampleWith(n -> n.put("confidence_score", true)), "confidence_score",
                "must be a number, got boolean true");
    }

    @Test
    void objectGivenAsNumberIsRejected() {
        assertSingleError(sampleWith(n -> n.putObject("max_slippage")), "max_slippage",
                "must be a number, got object");
    }

    @Test
    void timeGivenAsNumberIsRejected() {
        assertSingleError(sampleWith(n -> n.put("created_at", 1764064800)), "created_at", "must be a string");
    }

    @Test
    void nonIntegralLatencyIsRejected() {
        assertSingleError(sampleReplacing("\"max_latency_ms\": 250", "\"max_latency_ms\": 250.5"), "max_latency_ms",
                "must be an integer, got 250.5");
    }

    @Test
    void latencyAsStringIsRejected() {
        assertSingleError(sampleWith(n -> n.put("max_latency_ms", "250")), "max_latency_ms",
                "must be an integer, got string \"250\"");
    }

    @Test
    void latencyBeyondLongIsRejected() {
        assertSingleError(sampleReplacing("\"max_latency_ms\": 250", "\"max_latency_ms\": 99999999999999999999"),
                "max_latency_ms", "must be an integer between");
    }

    @Test
    void venuePreferencesNotAnArrayIsRejected() {
        assertSingleError(sampleWith(n -> n.put("venue_preferences", "SIM_DEEP")), "venue_preferences",
                "must be an array of strings, got string \"SIM_DEEP\"");
    }

    @Test
    void venuePreferencesElementsMustBeStrings() {
        List<FieldError> errors = errorsOf(sampleWith(n -> n.putArray("venue_preferences")
                .add("SIM_DEEP").add(3).add("").addNull()));
        assertEquals(List.of(
                new FieldError("venue_preferences[1]", "must be a string, got number 3"),
                new FieldError("venue_preferences[2]", "must not be blank"),
                new FieldError("venue_preferences[3]", "must be a string, got null")), errors);
    }

    @Test
    void conditionsMustBeObjects() {
        assertSingleError(sampleWith(n -> n.putArray("entry_conditions").add(1)), "entry_conditions",
                "must be an object, got array");
        assertSingleError(sampleWith(n -> n.put("execution_params", 5)), "execution_params",
                "must be an object, got number 5");
    }

    @Test
    void executionNotesMustBeAString() {
        assertSingleError(sampleWith(n -> n.put("execution_notes", 7)), "execution_notes", "must be a string");
    }

    // ---------------------------------------------------------------- NaN / Infinity / range

    @Test
    void nanIsRejectedNamingTheField() {
        assertSingleError(sampleReplacing("\"position_size\": 2.50", "\"position_size\": NaN"), "position_size",
                "must be a finite number, got NaN");
    }

    @Test
    void infinityIsRejectedNamingTheField() {
        assertSingleError(sampleReplacing("\"stop_loss\": 183.50", "\"stop_loss\": Infinity"), "stop_loss",
                "must be a finite number, got Infinity");
        assertSingleError(sampleReplacing("\"take_profit\": 195.00", "\"take_profit\": -Infinity"), "take_profit",
                "must be a finite number, got -Infinity");
    }

    @Test
    void nanInsideConditionsIsRejectedWithItsPath() {
        assertSingleError(sampleReplacing("\"volume_spike\": 15000", "\"volume_spike\": NaN"),
                "entry_conditions.volume_spike", "got NaN");
        assertSingleError(sampleReplacing("\"max_hold_seconds\": 3600", "\"max_hold_seconds\": Infinity"),
                "exit_conditions.max_hold_seconds", "must be an integer, got Infinity");
    }

    @Test
    void absurdMagnitudeIsRejected() {
        assertSingleError(sampleReplacing("\"entry_price\": 187.25", "\"entry_price\": 1e999999"), "entry_price",
                "smaller in magnitude");
        assertSingleError(sampleReplacing("\"entry_price\": 187.25", "\"entry_price\": 1e-40"), "entry_price",
                "at most 30 decimal places");
    }

    // ---------------------------------------------------------------- times

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T10:15:00", "2026-11-25", "25/11/2026 10:15", "2026-11-25T25:00:00Z", ""})
    void unparseableTimeIsRejected(String text) {
        List<FieldError> errors = errorsOf(sampleWith(n -> n.put("valid_until", text)));
        assertEquals(1, errors.size(), () -> "errors: " + errors);
        assertEquals("valid_until", errors.get(0).field());
    }

    @Test
    void timeWithoutOffsetMessageSaysAnOffsetIsNeeded() {
        assertSingleError(sampleWith(n -> n.put("created_at", "2026-11-25T10:00:00")), "created_at",
                "ISO-8601 time with an offset");
    }

    // ---------------------------------------------------------------- enums

    @ParameterizedTest
    @ValueSource(strings = {"buy", "LONG", "Long", "flat"})
    void badDirectionIsRejected(String value) {
        assertSingleError(sampleWith(n -> n.put("direction", value)), "direction",
                "must be one of [long, short], got \"" + value + "\"");
    }

    @Test
    void badStrategyIsRejected() {
        assertSingleError(sampleWith(n -> n.put("execution_strategy", "vwap")), "execution_strategy",
                "must be one of [limit, market, twap], got \"vwap\"");
    }

    // ---------------------------------------------------------------- conditions and execution params

    @Test
    void unknownEntryConditionKeyIsRejected() {
        assertSingleError(sampleWith(n -> ((ObjectNode) n.get("entry_conditions")).put("price_abve", 190)),
                "entry_conditions.price_abve", "unknown key");
    }

    @Test
    void unknownExitConditionKeyIsRejected() {
        assertSingleError(sampleWith(n -> ((ObjectNode) n.get("exit_conditions")).put("stop", 0.01)),
                "exit_conditions.stop", "unknown key");
    }

    @Test
    void unknownExecutionParamIsRejected() {
        assertSingleError(sampleWith(n -> n.putObject("execution_params").put("slice", 4)),
                "execution_params.slice", "unknown key; allowed: [duration_s, slices]");
    }

    @Test
    void nonNumericConditionValueIsRejected() {
        assertSingleError(sampleWith(n -> ((ObjectNode) n.get("entry_conditions")).put("price_above", "high")),
                "entry_conditions.price_above", "must be a number, got string \"high\"");
        assertSingleError(sampleWith(n -> ((ObjectNode) n.get("exit_conditions")).put("trailing_stop", true)),
                "exit_conditions.trailing_stop", "must be a number, got boolean true");
    }

    @Test
    void nonIntegralHoldTimeIsRejected() {
        assertSingleError(sampleWith(n -> ((ObjectNode) n.get("exit_conditions")).put("max_hold_seconds", 1.5)),
                "exit_conditions.max_hold_seconds", "must be an integer, got 1.5");
    }

    @Test
    void slicesMustBeAnIntFittingInteger() {
        assertSingleError(sampleWith(n -> n.putObject("execution_params").put("slices", 2.5)),
                "execution_params.slices", "must be an integer, got 2.5");
        assertSingleError(sampleWith(n -> n.putObject("execution_params").put("slices", 3_000_000_000L)),
                "execution_params.slices", "between -2147483648 and 2147483647");
        assertSingleError(sampleWith(n -> n.putObject("execution_params").put("duration_s", "300")),
                "execution_params.duration_s", "must be an integer, got string");
    }
}
