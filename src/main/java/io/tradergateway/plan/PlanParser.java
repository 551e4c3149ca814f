package io.tradergateway.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tradergateway.domain.Direction;
import io.tradergateway.domain.ExecutionStrategy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Schema check of an inbound {@code dm-decision-1.0} plan: the HTTP 400 layer.
 * <p>
 * The parser reports EVERY problem it finds (not just the first), each as a {@link FieldError} naming the JSON path.
 * It checks shape only (presence, JSON types, enum values, time syntax, finiteness); value ranges and cross-field
 * rules are business rules and belong to {@link PlanValidator} (422).
 * <p>
 * Rules:
 * <ul>
 *   <li>The document must be one JSON object; malformed JSON, trailing content and duplicate keys are reported
 *       on field {@code $}.</li>
 *   <li>{@code event_type} must be exactly {@code "dm-decision-1.0"}.</li>
 *   <li>A required field that is missing or {@code null} is an error. An optional field that is {@code null} is
 *       treated as absent (producers often serialise unset optionals as null); the same holds for condition keys
 *       and {@code execution_params} keys.</li>
 *   <li>Numbers must be JSON numbers (a number sent as a string is an error), finite ({@code NaN} and
 *       {@code ±Infinity} are accepted by the JSON reader only so that they can be rejected here by name),
 *       of magnitude below 10^15 and with at most 30 decimal places. They are kept as exact {@link BigDecimal}s,
 *       never through {@code double}.</li>
 *   <li>Integers ({@code max_latency_ms}, {@code max_hold_seconds}, {@code duration_s}, {@code slices}) must be
 *       integral numbers ({@code 250} or {@code 250.0}, not {@code 250.5}) that fit the Java type.</li>
 *   <li>Ids and symbol must be non-blank strings: {@code plan_id} of at most 128 characters and {@code symbol} of at
 *       most 32 (the widths of their database columns), the other ids of at most 256.</li>
 *   <li>{@code direction} is {@code long|short}, {@code execution_strategy} is {@code market|limit|twap}
 *       (lower case, as in the contract).</li>
 *   <li>Times are ISO-8601 with an offset ({@code 2026-11-25T10:00:00Z}, {@code 2026-11-25T11:00:00+01:00}).</li>
 *   <li>{@code entry_conditions}, {@code exit_conditions} and {@code execution_params} must be objects; an unknown key
 *       inside them is an error (a misspelt condition must never be silently dropped).</li>
 *   <li>{@code venue_preferences} must be an array of non-blank strings.</li>
 *   <li>No string anywhere in the plan (value or key, known or not) may hold an unpaired UTF-16 surrogate such as
 *       {@code "\ud800"}: it cannot be encoded as UTF-8, so it would poison every report and log line that carries
 *       it. Each one is an error naming its path.</li>
 *   <li>Unknown top-level keys are tolerated (forward compatibility) and listed in
 *       {@link ParseResult.Parsed#ignoredKeys()}.</li>
 * </ul>
 * Thread-safe and stateless once built.
 */
public final class PlanParser {

    public static final String EVENT_TYPE = "dm-decision-1.0";

    /** Longest accepted id: ids end up in log lines and reports. */
    public static final int MAX_TEXT_LENGTH = 256;
    /** Longest accepted {@code plan_id}: the width of the {@code plan_id} columns (the idempotency key). */
    public static final int MAX_PLAN_ID_LENGTH = 128;
    /** Longest accepted {@code execution_notes}: free text that is logged, so it is kept to a readable size. */
    public static final int MAX_NOTES_LENGTH = 4096;
    /** Longest accepted {@code symbol}: the width of the {@code symbol} columns. */
    public static final int MAX_SYMBOL_LENGTH = 32;
    /** Numbers must be below this magnitude; a bound keeps {@code 1e999999999} from reaching arithmetic or logs. */
    public static final BigDecimal MAX_MAGNITUDE = new BigDecimal("1E+15");
    /** Most decimal places accepted in a number. */
    public static final int MAX_DECIMAL_PLACES = 30;

    static final String ENTRY_CONDITIONS = "entry_conditions";
    static final String EXIT_CONDITIONS = "exit_conditions";
    static final String EXECUTION_PARAMS = "execution_params";

    private static final List<String> ENTRY_CONDITION_KEYS =
            List.of("price_above", "price_below", "volume_spike", "volatility_threshold");
    private static final List<String> EXIT_CONDITION_KEYS =
            List.of("price_above", "price_below", "max_hold_seconds", "trailing_stop");
    private static final List<String> EXECUTION_PARAM_KEYS = List.of("duration_s", "slices");

    private static final Set<String> KNOWN_TOP_LEVEL_KEYS = Set.of(
            "event_type", "plan_id", "signal_id", "decision_id", "symbol", "direction", "position_size",
            "max_position_size", "entry_price", "stop_loss", "take_profit", ENTRY_CONDITIONS, EXIT_CONDITIONS,
            "risk_reward_ratio", "confidence_score", "execution_strategy", EXECUTION_PARAMS, "max_slippage",
            "max_latency_ms", "venue_preferences", "created_at", "valid_until", "execution_notes");

    private static final Map<String, Direction> DIRECTIONS = Map.of("long", Direction.LONG, "short", Direction.SHORT);
    private static final Map<String, ExecutionStrategy> STRATEGIES = Map.of(
            "market", ExecutionStrategy.MARKET, "limit", ExecutionStrategy.LIMIT, "twap", ExecutionStrategy.TWAP);

    private final ObjectMapper mapper;

    public PlanParser() {
        this(newObjectMapper());
    }

    /** @param mapper used by {@link #parse(String)}; should be configured like {@link #newObjectMapper()} */
    public PlanParser(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * The JSON reader configuration plans need: {@code NaN}/{@code Infinity} are readable (so that they are rejected
     * with the field's name rather than as "malformed JSON"), decimals are read as exact {@link BigDecimal}s with
     * their trailing zeros, duplicate keys and trailing content are errors. Use this mapper (or {@link #parse(String)})
     * when reading a plan body; a tree read by a default mapper holds doubles for decimals.
     */
    public static ObjectMapper newObjectMapper() {
        JsonFactory factory = JsonFactory.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    /** Parses a request body. Never throws for bad input: malformed JSON is a {@link FieldError} on {@code $}. */
    public ParseResult parse(String json) {
        if (json == null || json.isBlank()) {
            return malformed("$", "empty document; expected a JSON object");
        }
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return malformed("$", "malformed JSON: " + e.getOriginalMessage() + describe(e.getLocation()));
        }
        return parse(node);
    }

    /** Parses an already-read JSON tree (see {@link #newObjectMapper()} for how it should have been read). */
    public ParseResult parse(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return malformed("$", "empty document; expected a JSON object");
        }
        if (!root.isObject()) {
            return malformed("$", "expected a JSON object, got " + typeOf(root));
        }
        Fields in = new Fields(root);
        in.refuseUnencodableText(root, "");

        String eventType = in.requiredText("event_type");
        if (eventType != null && !EVENT_TYPE.equals(eventType)) {
            in.error("event_type", "must be \"" + EVENT_TYPE + "\", got " + quote(eventType));
        }
        String planId = in.requiredText("plan_id", MAX_PLAN_ID_LENGTH);
        String signalId = in.requiredText("signal_id");
        String decisionId = in.requiredText("decision_id");
        String symbol = in.requiredText("symbol", MAX_SYMBOL_LENGTH);
        Direction direction = in.requiredEnum("direction", DIRECTIONS);
        BigDecimal positionSize = in.requiredDecimal("position_size");
        BigDecimal maxPositionSize = in.requiredDecimal("max_position_size");
        BigDecimal entryPrice = in.optionalDecimal("entry_price");
        BigDecimal stopLoss = in.optionalDecimal("stop_loss");
        BigDecimal takeProfit = in.optionalDecimal("take_profit");
        EntryConditions entryConditions = in.entryConditions();
        ExitConditions exitConditions = in.exitConditions();
        BigDecimal riskRewardRatio = in.requiredDecimal("risk_reward_ratio");
        BigDecimal confidenceScore = in.requiredDecimal("confidence_score");
        ExecutionStrategy strategy = in.requiredEnum("execution_strategy", STRATEGIES);
        TwapParams twapParams = in.executionParams();
        BigDecimal maxSlippage = in.requiredDecimal("max_slippage");
        Long maxLatencyMs = in.requiredLong("max_latency_ms");
        List<String> venuePreferences = in.venuePreferences();
        Instant createdAt = in.requiredInstant("created_at");
        Instant validUntil = in.requiredInstant("valid_until");
        String executionNotes = in.optionalText("execution_notes", MAX_NOTES_LENGTH);

        if (!in.errors.isEmpty()) {
            return new ParseResult.Malformed(in.errors);
        }
        List<String> ignoredKeys = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!KNOWN_TOP_LEVEL_KEYS.contains(name)) ignoredKeys.add(name);
        });
        TradingPlan plan = new TradingPlan(planId, signalId, decisionId, symbol, direction, positionSize,
                maxPositionSize, entryPrice, stopLoss, takeProfit, entryConditions, exitConditions, riskRewardRatio,
                confidenceScore, strategy, twapParams, maxSlippage, maxLatencyMs, venuePreferences, createdAt,
                validUntil, executionNotes);
        return new ParseResult.Parsed(plan, ignoredKeys);
    }

    /** True when {@code text} holds a UTF-16 surrogate that is not half of a pair (it has no UTF-8 encoding). */
    public static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static ParseResult malformed(String field, String message) {
        return new ParseResult.Malformed(List.of(new FieldError(field, message)));
    }

    private static String describe(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) return "";
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    static String typeOf(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** A short, safe description of a bad value for an error message. */
    static String describeValue(JsonNode node) {
        if (node.isTextual()) return "string " + quote(node.textValue());
        if (node.isNumber() || node.isBoolean()) return typeOf(node) + " " + node.asText();
        return typeOf(node);
    }

    static String quote(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return "\"" + shown + "\"";
    }

    /** Reads fields of one JSON object, collecting every error instead of stopping at the first. */
    private static final class Fields {
        private final JsonNode root;
        private final List<FieldError> errors = new ArrayList<>();

        Fields(JsonNode root) {
            this.root = root;
        }

        void error(String field, String message) {
            errors.add(new FieldError(field, message));
        }

        /** Every string value and key under {@code node} that cannot be encoded as UTF-8 is an error naming its path. */
        void refuseUnencodableText(JsonNode node, String path) {
            if (node.isTextual()) {
                if (hasUnpairedSurrogate(node.textValue())) {
                    error(path, "must be valid Unicode text (an unpaired surrogate cannot be encoded)");
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) refuseUnencodableText(node.get(i), path + "[" + i + "]");
            } else if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                    if (hasUnpairedSurrogate(field.getKey())) {
                        error(path.isEmpty() ? "$" : path, "a key must be valid Unicode text (an unpaired surrogate cannot be encoded)");
                    } else {
                        refuseUnencodableText(field.getValue(), child);
                    }
                }
            }
        }

        /** The field's node, or null when missing or JSON null. */
        private JsonNode present(JsonNode object, String key) {
            JsonNode value = object.get(key);
            return value == null || value.isNull() ? null : value;
        }

        private JsonNode required(String key) {
            JsonNode value = present(root, key);
            if (value == null) error(key, root.has(key) ? "required, must not be null" : "required");
            return value;
        }

        String requiredText(String key) {
            return requiredText(key, MAX_TEXT_LENGTH);
        }

        String requiredText(String key, int maxLength) {
            JsonNode value = required(key);
            if (value == null) return null;
            if (!value.isTextual()) {
                error(key, "must be a string, got " + describeValue(value));
                return null;
            }
            String text = value.textValue();
            if (text.isBlank()) {
                error(key, "must not be blank");
                return null;
            }
            if (text.length() > maxLength) {
                error(key, "must be at most " + maxLength + " characters, got " + text.length());
                return null;
            }
            if (text.indexOf('\u0000') >= 0) {
                // Stored in columns of their own (plan_id, symbol): PostgreSQL text cannot hold U+0000.
                error(key, "must not contain the NUL character (U+0000)");
                return null;
            }
            return text;
        }

        String optionalText(String key, int maxLength) {
            JsonNode value = present(root, key);
            if (value == null) return null;
            if (!value.isTextual()) {
                error(key, "must be a string, got " + describeValue(value));
                return null;
            }
            if (value.textValue().length() > maxLength) {
                error(key, "must be at most " + maxLength + " characters, got " + value.textValue().length());
                return null;
            }
            return value.textValue();
        }

        <E> E requiredEnum(String key, Map<String, E> allowed) {
            String text = requiredText(key);
            if (text == null) return null;
            E value = allowed.get(text);
            if (value == null) {
                error(key, "must be one of " + allowed.keySet().stream().sorted().toList() + ", got " + quote(text));
            }
            return value;
        }

        BigDecimal requiredDecimal(String key) {
            JsonNode value = required(key);
            return value == null ? null : decimal(value, key);
        }

        BigDecimal optionalDecimal(String key) {
            JsonNode value = present(root, key);
            return value == null ? null : decimal(value, key);
        }

        Long requiredLong(String key) {
            JsonNode value = required(key);
            return value == null ? null : integer(value, key, Long.MIN_VALUE, Long.MAX_VALUE);
        }

        Instant requiredInstant(String key) {
            String text = requiredText(key);
            if (text == null) return null;
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                error(key, "must be an ISO-8601 time with an offset (e.g. 2026-11-25T10:00:00Z), got " + quote(text));
                return null;
            }
        }

        /** A finite number within range, as an exact BigDecimal; null (and an error) otherwise. */
        BigDecimal decimal(JsonNode value, String path) {
            if (!value.isNumber()) {
                error(path, "must be a number, got " + describeValue(value));
                return null;
            }
            if (value.isDouble() || value.isFloat()) {
                double d = value.doubleValue();
                if (Double.isNaN(d)) {
                    error(path, "must be a finite number, got NaN");
                    return null;
                }
                if (Double.isInfinite(d)) {
                    error(path, "must be a finite number, got " + (d > 0 ? "Infinity" : "-Infinity"));
                    return null;
                }
            }
            BigDecimal decimal = value.decimalValue();
            if (decimal.abs().compareTo(MAX_MAGNITUDE) >= 0) {
                error(path, "must be smaller in magnitude than 1E+15, got " + decimal);
                return null;
            }
            if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > MAX_DECIMAL_PLACES) {
                error(path, "must have at most " + MAX_DECIMAL_PLACES + " decimal places, got " + decimal);
                return null;
            }
            return decimal;
        }

        /** An integral number within [min, max]; null (and an error) otherwise. */
        Long integer(JsonNode value, String path, long min, long max) {
            if (!value.isNumber()) {
                error(path, "must be an integer, got " + describeValue(value));
                return null;
            }
            if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
                error(path, "must be an integer, got " + value.asText());
                return null;
            }
            BigDecimal decimal = value.decimalValue();
            if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
                error(path, "must be an integer, got " + decimal);
                return null;
            }
            if (decimal.compareTo(BigDecimal.valueOf(min)) < 0 || decimal.compareTo(BigDecimal.valueOf(max)) > 0) {
                error(path, "must be an integer between " + min + " and " + max + ", got " + decimal);
                return null;
            }
            return decimal.longValue();
        }

        /**
         * The object under {@code key}, with unknown keys reported; null when absent/null or not an object
         * (the latter reported).
         */
        private JsonNode conditionObject(String key, List<String> allowedKeys) {
            JsonNode object = present(root, key);
            if (object == null) return null;
            if (!object.isObject()) {
                error(key, "must be an object, got " + describeValue(object));
                return null;
            }
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!allowedKeys.contains(name)) {
                    error(key + "." + name, "unknown key; allowed: " + allowedKeys);
                }
            }
            return object;
        }

        private BigDecimal nestedDecimal(JsonNode object, String key, String name) {
            JsonNode value = present(object, name);
            return value == null ? null : decimal(value, key + "." + name);
        }

        private Long nestedLong(JsonNode object, String key, String name, long min, long max) {
            JsonNode value = present(object, name);
            return value == null ? null : integer(value, key + "." + name, min, max);
        }

        EntryConditions entryConditions() {
            JsonNode object = conditionObject(ENTRY_CONDITIONS, ENTRY_CONDITION_KEYS);
            if (object == null) return EntryConditions.NONE;
            return new EntryConditions(
                    nestedDecimal(object, ENTRY_CONDITIONS, "price_above"),
                    nestedDecimal(object, ENTRY_CONDITIONS, "price_below"),
                    nestedDecimal(object, ENTRY_CONDITIONS, "volume_spike"),
                    nestedDecimal(object, ENTRY_CONDITIONS, "volatility_threshold"));
        }

        ExitConditions exitConditions() {
            JsonNode object = conditionObject(EXIT_CONDITIONS, EXIT_CONDITION_KEYS);
            if (object == null) return ExitConditions.NONE;
            return new ExitConditions(
                    nestedDecimal(object, EXIT_CONDITIONS, "price_above"),
                    nestedDecimal(object, EXIT_CONDITIONS, "price_below"),
                    nestedLong(object, EXIT_CONDITIONS, "max_hold_seconds", Long.MIN_VALUE, Long.MAX_VALUE),
                    nestedDecimal(object, EXIT_CONDITIONS, "trailing_stop"));
        }

        TwapParams executionParams() {
            JsonNode object = conditionObject(EXECUTION_PARAMS, EXECUTION_PARAM_KEYS);
            if (object == null) return TwapParams.DEFAULT;
            Long durationS = nestedLong(object, EXECUTION_PARAMS, "duration_s", Long.MIN_VALUE, Long.MAX_VALUE);
            Long slices = nestedLong(object, EXECUTION_PARAMS, "slices", Integer.MIN_VALUE, Integer.MAX_VALUE);
            return new TwapParams(
                    durationS == null ? TwapParams.DEFAULT_DURATION_S : durationS,
                    slices == null ? TwapParams.DEFAULT_SLICES : slices.intValue());
        }

        List<String> venuePreferences() {
            String key = "venue_preferences";
            JsonNode array = present(root, key);
            if (array == null) return List.of();
            if (!array.isArray()) {
                error(key, "must be an array of strings, got " + describeValue(array));
                return List.of();
            }
            List<String> venues = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                String path = key + "[" + i + "]";
                if (!element.isTextual()) {
                    error(path, "must be a string, got " + describeValue(element));
                } else if (element.textValue().isBlank()) {
                    error(path, "must not be blank");
                } else {
                    venues.add(element.textValue());
                }
            }
            return venues;
        }
    }
}
