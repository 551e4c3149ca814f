package io.tradergateway.plan;

import io.tradergateway.domain.Direction;
import io.tradergateway.domain.ExecutionStrategy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Business rules of a well-formed plan: the HTTP 422 layer (a rejected plan also gets a {@code failed} report).
 * {@link #validate} returns EVERY issue found, in field order; an empty list means the plan may be accepted.
 * <p>
 * Rules and their stable codes (they go into reports and metrics; never rename one):
 * <table>
 *   <caption>Rules</caption>
 *   <tr><th>code</th><th>field</th><th>fires when</th></tr>
 *   <tr><td>{@value #NOT_TRADEABLE}</td><td>symbol</td><td>no connected venue lists the symbol</td></tr>
 *   <tr><td>{@value #POSITION_SIZE_OUT_OF_RANGE}</td><td>position_size</td><td>outside (0, 100]</td></tr>
 *   <tr><td>{@value #MAX_POSITION_SIZE_OUT_OF_RANGE}</td><td>max_position_size</td><td>outside (0, 100]</td></tr>
 *   <tr><td>{@value #SIZE_OVER_MAX}</td><td>position_size</td><td>position_size &gt; max_position_size</td></tr>
 *   <tr><td>{@value #NON_POSITIVE_PRICE}</td><td>entry_price, stop_loss, take_profit</td><td>≤ 0</td></tr>
 *   <tr><td>{@value #LIMIT_WITHOUT_ENTRY_PRICE}</td><td>entry_price</td><td>strategy {@code limit} without one</td></tr>
 *   <tr><td>{@value #STOP_LOSS_WRONG_SIDE}</td><td>stop_loss</td><td>long: stop_loss ≥ entry; short: ≤ entry</td></tr>
 *   <tr><td>{@value #TAKE_PROFIT_WRONG_SIDE}</td><td>take_profit</td><td>long: take_profit ≤ entry; short: ≥ entry</td></tr>
 *   <tr><td>{@value #STOP_LOSS_TAKE_PROFIT_INVERTED}</td><td>stop_loss</td><td>long: stop_loss ≥ take_profit;
 *       short: take_profit ≥ stop_loss (checked with or without an entry)</td></tr>
 *   <tr><td>{@value #ENTRY_CONDITIONS_CONTRADICTORY}</td><td>entry_conditions.price_above</td>
 *       <td>price_above ≥ price_below: both can never hold at once</td></tr>
 *   <tr><td>{@value #CONDITION_NOT_POSITIVE}</td><td>entry_conditions.*, exit_conditions.price_*</td>
 *       <td>a price, volume or volatility threshold ≤ 0 (meaningless: always or never true)</td></tr>
 *   <tr><td>{@value #EXIT_CONDITIONS_ALWAYS_MET}</td><td>exit_conditions.price_above</td>
 *       <td>price_above ≤ price_below: every price meets one of them, the position would exit at once</td></tr>
 *   <tr><td>{@value #MAX_HOLD_NOT_POSITIVE}</td><td>exit_conditions.max_hold_seconds</td><td>≤ 0</td></tr>
 *   <tr><td>{@value #TRAILING_STOP_OUT_OF_RANGE}</td><td>exit_conditions.trailing_stop</td><td>outside (0, 1)</td></tr>
 *   <tr><td>{@value #RISK_REWARD_NEGATIVE}</td><td>risk_reward_ratio</td><td>&lt; 0</td></tr>
 *   <tr><td>{@value #CONFIDENCE_OUT_OF_RANGE}</td><td>confidence_score</td><td>outside [0, 1]</td></tr>
 *   <tr><td>{@value #TWAP_SLICES_INVALID}</td><td>execution_params.slices</td>
 *       <td>&lt; 1 or &gt; {@value #MAX_TWAP_SLICES}</td></tr>
 *   <tr><td>{@value #TWAP_DURATION_INVALID}</td><td>execution_params.duration_s</td>
 *       <td>≤ 0 or &gt; {@value #MAX_TWAP_DURATION_S} (one day)</td></tr>
 *   <tr><td>{@value #MAX_SLIPPAGE_OUT_OF_RANGE}</td><td>max_slippage</td><td>&lt; 0 or ≥ 1</td></tr>
 *   <tr><td>{@value #MAX_LATENCY_NOT_POSITIVE}</td><td>max_latency_ms</td><td>≤ 0</td></tr>
 *   <tr><td>{@value #UNKNOWN_VENUE}</td><td>venue_preferences[i]</td><td>names a venue that is not configured (each one is
 *       named; one unknown name is enough: a misspelt preference must not be passed over silently)</td></tr>
 *   <tr><td>{@value #CREATED_AFTER_VALID_UNTIL}</td><td>created_at</td><td>created_at ≥ valid_until</td></tr>
 *   <tr><td>{@value #EXPIRED}</td><td>valid_until</td><td>valid_until ≤ now</td></tr>
 * </table>
 * <p>
 * The entry the stop-loss / take-profit sides are checked against is {@code entry_price}; without one, the
 * symbol's reference price from the context, moved into the entry-condition price band when there is one (a long
 * breakout plan with {@code price_above: 200} enters above 200 even if the market is at 187 now, so its stop at 195
 * is on the right side). Without either, only the stop-loss vs take-profit order is checked. A non-positive
 * price is reported once as {@value #NON_POSITIVE_PRICE} and left out of the side checks.
 * <p>
 * TWAP parameters are checked whatever the strategy: nonsense in a plan is reported, not silently ignored. Their
 * upper bounds keep a schedule something an engine can run (timers, child orders) rather than a typo of 10^9.
 */
public final class PlanValidator {

    public static final String EXPIRED = "expired";
    public static final String CREATED_AFTER_VALID_UNTIL = "created_after_valid_until";
    public static final String POSITION_SIZE_OUT_OF_RANGE = "position_size_out_of_range";
    public static final String MAX_POSITION_SIZE_OUT_OF_RANGE = "max_position_size_out_of_range";
    public static final String SIZE_OVER_MAX = "size_over_max";
    public static final String NOT_TRADEABLE = "not_tradeable";
    public static final String NON_POSITIVE_PRICE = "non_positive_price";
    public static final String LIMIT_WITHOUT_ENTRY_PRICE = "limit_without_entry_price";
    public static final String STOP_LOSS_WRONG_SIDE = "stop_loss_wrong_side";
    public static final String TAKE_PROFIT_WRONG_SIDE = "take_profit_wrong_side";
    public static final String STOP_LOSS_TAKE_PROFIT_INVERTED = "stop_loss_take_profit_inverted";
    public static final String ENTRY_CONDITIONS_CONTRADICTORY = "entry_conditions_contradictory";
    public static final String EXIT_CONDITIONS_ALWAYS_MET = "exit_conditions_always_met";
    public static final String CONDITION_NOT_POSITIVE = "condition_not_positive";
    public static final String MAX_HOLD_NOT_POSITIVE = "max_hold_not_positive";
    public static final String TRAILING_STOP_OUT_OF_RANGE = "trailing_stop_out_of_range";
    public static final String RISK_REWARD_NEGATIVE = "risk_reward_negative";
    public static final String CONFIDENCE_OUT_OF_RANGE = "confidence_out_of_range";
    public static final String TWAP_SLICES_INVALID = "twap_slices_invalid";
    public static final String TWAP_DURATION_INVALID = "twap_duration_invalid";
    public static final String MAX_SLIPPAGE_OUT_OF_RANGE = "max_slippage_out_of_range";
    public static final String MAX_LATENCY_NOT_POSITIVE = "max_latency_not_positive";
    public static final String UNKNOWN_VENUE = "unknown_venue";

    /** Most TWAP slices a plan may ask for. */
    public static final int MAX_TWAP_SLICES = 1000;
    /** Longest TWAP duration a plan may ask for, in seconds (one day). */
    public static final long MAX_TWAP_DURATION_S = 86_400;

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** Every business-rule violation of {@code plan}; empty when it may be accepted. */
    public List<PlanIssue> validate(TradingPlan plan, ValidationContext ctx) {
        List<PlanIssue> issues = new ArrayList<>();
        checkSymbol(plan, ctx, issues);
        checkSizes(plan, issues);
        checkPrices(plan, ctx, issues);
        checkEntryConditions(plan.entryConditions(), issues);
        checkExitConditions(plan.exitConditions(), issues);
        checkScores(plan, issues);
        checkExecution(plan, ctx, issues);
        checkTimes(plan, ctx, issues);
        return List.copyOf(issues);
    }

    private static void checkSymbol(TradingPlan plan, ValidationContext ctx, List<PlanIssue> issues) {
        if (!ctx.tradeableSymbols().contains(plan.symbol())) {
            issues.add(new PlanIssue(NOT_TRADEABLE, "symbol",
                    "symbol " + plan.symbol() + " is not listed by any connected venue"));
        }
    }

    private static void checkSizes(TradingPlan plan, List<PlanIssue> issues) {
        if (!isPercent(plan.positionSize())) {
            issues.add(new PlanIssue(POSITION_SIZE_OUT_OF_RANGE, "position_size",
                    "position_size must be in (0, 100] percent, got " + plan.positionSize()));
        }
        if (!isPercent(plan.maxPositionSize())) {
            issues.add(new PlanIssue(MAX_POSITION_SIZE_OUT_OF_RANGE, "max_position_size",
                    "max_position_size must be in (0, 100] percent, got " + plan.maxPositionSize()));
        }
        if (plan.positionSize().compareTo(plan.maxPositionSize()) > 0) {
            issues.add(new PlanIssue(SIZE_OVER_MAX, "position_size", "position_size " + plan.positionSize()
                    + " exceeds max_position_size " + plan.maxPositionSize()));
        }
    }

    private static boolean isPercent(BigDecimal value) {
        return value.signum() > 0 && value.compareTo(HUNDRED) <= 0;
    }

    private static void checkPrices(TradingPlan plan, ValidationContext ctx, List<PlanIssue> issues) {
        BigDecimal entryPrice = positivePrice("entry_price", plan.entryPrice(), issues);
        BigDecimal stopLoss = positivePrice("stop_loss", plan.stopLoss(), issues);
        BigDecimal takeProfit = positivePrice("take_profit", plan.takeProfit(), issues);

        if (plan.executionStrategy() == ExecutionStrategy.LIMIT && plan.entryPrice() == null) {
            issues.add(new PlanIssue(LIMIT_WITHOUT_ENTRY_PRICE, "entry_price",
                    "a limit plan needs entry_price (its limit price)"));
        }

        Direction direction = plan.direction();
        String dir = direction.wireName();
        Optional<Entry> entry = entryReference(plan, entryPrice, ctx);
        if (entry.isPresent()) {
            BigDecimal e = entry.get().price();
            String against = " the entry " + e + " (" + entry.get().source() + ") for a " + dir + " plan";
            if (stopLoss != null && !worseFor(direction, stopLoss, e)) {
                issues.add(new PlanIssue(STOP_LOSS_WRONG_SIDE, "stop_loss", "stop_loss " + stopLoss + " must be "
                        + (direction == Direction.LONG ? "below" : "above") + against));
            }
            if (takeProfit != null && !worseFor(direction, e, takeProfit)) {
                issues.add(new PlanIssue(TAKE_PROFIT_WRONG_SIDE, "take_profit", "take_profit " + takeProfit
                        + " must be " + (direction == Direction.LONG ? "above" : "below") + against));
            }
        }
        if (stopLoss != null && takeProfit != null && !worseFor(direction, stopLoss, takeProfit)) {
            issues.add(new PlanIssue(STOP_LOSS_TAKE_PROFIT_INVERTED, "stop_loss", "stop_loss " + stopLoss
                    + " must be " + (direction == Direction.LONG ? "below" : "above") + " take_profit "
                    + takeProfit + " for a " + dir + " plan"));
        }
    }

    /**
     * True when price {@code a} is strictly worse than {@code b} for a position of this direction (lower for a long,
     * higher for a short): a stop loss is worse than the entry, the entry worse than the take profit.
     */
    private static boolean worseFor(Direction direction, BigDecimal a, BigDecimal b) {
        int cmp = a.compareTo(b);
        return direction == Direction.LONG ? cmp < 0 : cmp > 0;
    }

    private static BigDecimal positivePrice(String field, BigDecimal value, List<PlanIssue> issues) {
        if (value == null) return null;
        if (value.signum() <= 0) {
            issues.add(new PlanIssue(NON_POSITIVE_PRICE, field, field + " must be > 0, got " + value));
            return null;
        }
        return value;
    }

    private record Entry(BigDecimal price, String source) {
    }

    private static Optional<Entry> entryReference(TradingPlan plan, BigDecimal entryPrice, ValidationContext ctx) {
        if (entryPrice != null) return Optional.of(new Entry(entryPrice, "entry_price"));
        if (plan.entryPrice() != null) return Optional.empty(); // present but invalid: already reported
        Optional<BigDecimal> reference = ctx.referencePrice(plan.symbol()).filter(p -> p.signum() > 0);
        if (reference.isEmpty()) return Optional.empty();
        BigDecimal price = reference.get();
        String source = "reference price";
        EntryConditions conditions = plan.entryConditions();
        // The entry cannot happen outside the entry-condition price band: move the estimate into it.
        if (conditions.priceAbove() != null && conditions.priceAbove().signum() > 0
                && price.compareTo(conditions.priceAbove()) < 0) {
            price = conditions.priceAbove();
            source = "entry_conditions.price_above";
        }
        if (conditions.priceBelow() != null && conditions.priceBelow().signum() > 0
                && price.compareTo(conditions.priceBelow()) > 0) {
            price = conditions.priceBelow();
            source = "entry_conditions.price_below";
        }
        return Optional.of(new Entry(price, source));
    }

    private static void checkEntryConditions(EntryConditions c, List<PlanIssue> issues) {
        String prefix = PlanParser.ENTRY_CONDITIONS + ".";
        positiveCondition(prefix + "price_above", c.priceAbove(), issues);
        positiveCondition(prefix + "price_below", c.priceBelow(), issues);
        positiveCondition(prefix + "volume_spike", c.volumeSpike(), issues);
        positiveCondition(prefix + "volatility_threshold", c.volatilityThreshold(), issues);
        if (c.priceAbove() != null && c.priceBelow() != null && c.priceAbove().compareTo(c.priceBelow()) >= 0) {
            issues.add(new PlanIssue(ENTRY_CONDITIONS_CONTRADICTORY, prefix + "price_above",
                    "price_above " + c.priceAbove() + " must be below price_below " + c.priceBelow()
                            + ": a price cannot be above " + c.priceAbove() + " and below " + c.priceBelow()));
        }
    }

    private static void checkExitConditions(ExitConditions c, List<PlanIssue> issues) {
        String prefix = PlanParser.EXIT_CONDITIONS + ".";
        positiveCondition(prefix + "price_above", c.priceAbove(), issues);
        positiveCondition(prefix + "price_below", c.priceBelow(), issues);
        if (c.priceAbove() != null && c.priceBelow() != null && c.priceAbove().compareTo(c.priceBelow()) <= 0) {
            issues.add(new PlanIssue(EXIT_CONDITIONS_ALWAYS_MET, prefix + "price_above",
                    "price_above " + c.priceAbove() + " must be above price_below " + c.priceBelow()
                            + ": otherwise every price meets one of them and the position exits at once"));
        }
        if (c.maxHoldSeconds() != null && c.maxHoldSeconds() <= 0) {
            issues.add(new PlanIssue(MAX_HOLD_NOT_POSITIVE, prefix + "max_hold_seconds",
                    "max_hold_seconds must be > 0, got " + c.maxHoldSeconds()));
        }
        BigDecimal trailing = c.trailingStop();
        if (trailing != null && (trailing.signum() <= 0 || trailing.compareTo(BigDecimal.ONE) >= 0)) {
            issues.add(new PlanIssue(TRAILING_STOP_OUT_OF_RANGE, prefix + "trailing_stop",
                    "trailing_stop is a fraction in (0, 1) (0.02 = 2 %), got " + trailing));
        }
    }

    private static void positiveCondition(String field, BigDecimal value, List<PlanIssue> issues) {
        if (value != null && value.signum() <= 0) {
            issues.add(new PlanIssue(CONDITION_NOT_POSITIVE, field, field + " must be > 0, got " + value));
        }
    }

    private static void checkScores(TradingPlan plan, List<PlanIssue> issues) {
        if (plan.riskRewardRatio().signum() < 0) {
            issues.add(new PlanIssue(RISK_REWARD_NEGATIVE, "risk_reward_ratio",
                    "risk_reward_ratio must be >= 0, got " + plan.riskRewardRatio()));
        }
        BigDecimal confidence = plan.confidenceScore();
        if (confidence.signum() < 0 || confidence.compareTo(BigDecimal.ONE) > 0) {
            issues.add(new PlanIssue(CONFIDENCE_OUT_OF_RANGE, "confidence_score",
                    "confidence_score must be in [0, 1], got " + confidence));
        }
    }

    private static void checkExecution(TradingPlan plan, ValidationContext ctx, List<PlanIssue> issues) {
        TwapParams twap = plan.twapParams();
        if (twap.slices() < 1 || twap.slices() > MAX_TWAP_SLICES) {
            issues.add(new PlanIssue(TWAP_SLICES_INVALID, PlanParser.EXECUTION_PARAMS + ".slices",
                    "slices must be in [1, " + MAX_TWAP_SLICES + "], got " + twap.slices()));
        }
        if (twap.durationS() <= 0 || twap.durationS() > MAX_TWAP_DURATION_S) {
            issues.add(new PlanIssue(TWAP_DURATION_INVALID, PlanParser.EXECUTION_PARAMS + ".duration_s",
                    "duration_s must be in [1, " + MAX_TWAP_DURATION_S + "] seconds, got " + twap.durationS()));
        }
        BigDecimal slippage = plan.maxSlippage();
        if (slippage.signum() < 0 || slippage.compareTo(BigDecimal.ONE) >= 0) {
            issues.add(new PlanIssue(MAX_SLIPPAGE_OUT_OF_RANGE, "max_slippage",
                    "max_slippage is a fraction in [0, 1) (0.001 = 10 bps), got " + slippage));
        }
        if (plan.maxLatencyMs() <= 0) {
            issues.add(new PlanIssue(MAX_LATENCY_NOT_POSITIVE, "max_latency_ms",
                    "max_latency_ms must be > 0, got " + plan.maxLatencyMs()));
        }
        List<String> preferred = plan.venuePreferences();
        for (int i = 0; i < preferred.size(); i++) {
            if (ctx.knownVenues().contains(preferred.get(i))) continue;
            issues.add(new PlanIssue(UNKNOWN_VENUE, "venue_preferences[" + i + "]", "venue_preferences[" + i + "] "
                    + PlanParser.quote(preferred.get(i)) + " is not a configured venue; configured: "
                    + ctx.knownVenues().stream().sorted().toList()));
        }
    }

    private static void checkTimes(TradingPlan plan, ValidationContext ctx, List<PlanIssue> issues) {
        if (!plan.createdAt().isBefore(plan.validUntil())) {
            issues.add(new PlanIssue(CREATED_AFTER_VALID_UNTIL, "created_at", "created_at " + plan.createdAt()
                    + " must be before valid_until " + plan.validUntil()));
        }
        if (!plan.validUntil().isAfter(ctx.now())) {
            issues.add(new PlanIssue(EXPIRED, "valid_until",
                    "plan expired: valid_until " + plan.validUntil() + " is not after now " + ctx.now()));
        }
    }
}
