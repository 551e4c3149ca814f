package io.tradergateway.position;

import io.tradergateway.domain.Direction;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Watches one open plan position for its exit: stop loss, take profit and the plan's exit conditions
 * (any one triggers). Fed with every price update of the symbol ({@link #onPrice}) and with timer ticks
 * ({@link #onTime}). Not thread-safe: owned by the engine's single trading thread.
 *
 * <h2>Triggers</h2>
 * <table border="1">
 *   <caption>When each rule fires (touching the level counts)</caption>
 *   <tr><th>rule</th><th>long</th><th>short</th><th>reason</th></tr>
 *   <tr><td>stop_loss</td><td>price ≤ stop_loss</td><td>price ≥ stop_loss</td><td>STOP_LOSS</td></tr>
 *   <tr><td>take_profit</td><td>price ≥ take_profit</td><td>price ≤ take_profit</td><td>TAKE_PROFIT</td></tr>
 *   <tr><td>trailing_stop t</td><td>price ≤ high·(1 − t)</td><td>price ≥ low·(1 + t)</td><td>CONDITION_MET</td></tr>
 *   <tr><td>price_below</td><td colspan="2">price ≤ price_below</td><td>CONDITION_MET</td></tr>
 *   <tr><td>price_above</td><td colspan="2">price ≥ price_above</td><td>CONDITION_MET</td></tr>
 *   <tr><td>max_hold_seconds</td><td colspan="2">now ≥ entry time + max_hold_seconds</td><td>CONDITION_MET</td></tr>
 * </table>
 * {@code high}/{@code low} is the best price seen since entry, starting at the entry price and updated with
 * each price <i>before</i> the rules are checked (so a new high never triggers the trailing stop).
 *
 * <p><b>Precedence</b> when several fire on the same price: STOP_LOSS, then TAKE_PROFIT, then
 * CONDITION_MET, whose detail names every condition that fired, in the table's order, joined by "; ".
 *
 * <p><b>Latch.</b> After a signal the monitor stays triggered and returns nothing more, so one exit order is
 * sent, not one per tick. If the exit order fails and the engine wants the monitor to fire again, it calls
 * {@link #rearm()}.
 */
public final class ExitMonitor {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final Direction direction;
    private final BigDecimal entryPrice;
    private final Instant entryTime;
    private final ExitRules rules;
    private BigDecimal bestPrice;
    private ExitSignal triggered;

    /**
     * @param direction  the position's direction
     * @param entryPrice average entry fill price (the starting best price for the trailing stop)
     * @param entryTime  time of the entry fill (start of max_hold_seconds)
     * @param rules      the exit levels
     */
    public ExitMonitor(Direction direction, BigDecimal entryPrice, Instant entryTime, ExitRules rules) {
        this(direction, entryPrice, entryTime, rules, entryPrice);
    }

    private ExitMonitor(Direction direction, BigDecimal entryPrice, Instant entryTime, ExitRules rules,
                        BigDecimal bestPrice) {
        this.direction = Objects.requireNonNull(direction, "direction");
        this.entryPrice = requirePositive("entry price", entryPrice);
        this.entryTime = Objects.requireNonNull(entryTime, "entryTime");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.bestPrice = requirePositive("best price", bestPrice);
    }

    /** Rebuilds a monitor after a restart, with the best price seen before it. */
    public static ExitMonitor restore(Direction direction, BigDecimal entryPrice, Instant entryTime, ExitRules rules,
                                      BigDecimal bestPriceSinceEntry) {
        return new ExitMonitor(direction, entryPrice, entryTime, rules, bestPriceSinceEntry);
    }

    /** A new price of the symbol: updates the best price, then checks every rule. */
    public Optional<ExitSignal> onPrice(BigDecimal price, Instant now) {
        requirePositive("price", price);
        Objects.requireNonNull(now, "now");
        if (triggered != null) {
            return Optional.empty();
        }
        boolean isLong = direction == Direction.LONG;
        if (isLong ? price.compareTo(bestPrice) > 0 : price.compareTo(bestPrice) < 0) {
            bestPrice = price;
        }

        if (rules.stopLoss() != null
                && (isLong ? price.compareTo(rules.stopLoss()) <= 0 : price.compareTo(rules.stopLoss()) >= 0)) {
            return fire(ExitReason.STOP_LOSS, "stop_loss " + plain(rules.stopLoss()) + " reached: price " + plain(price));
        }
        if (rules.takeProfit() != null
                && (isLong ? price.compareTo(rules.takeProfit()) >= 0 : price.compareTo(rules.takeProfit()) <= 0)) {
            return fire(ExitReason.TAKE_PROFIT,
                    "take_profit " + plain(rules.takeProfit()) + " reached: price " + plain(price));
        }

        List<String> conditions = new ArrayList<>();
        if (rules.trailingStop() != null) {
            BigDecimal trail = rules.trailingStop();
            BigDecimal level = isLong
                    ? bestPrice.multiply(BigDecimal.ONE.subtract(trail))
                    : bestPrice.multiply(BigDecimal.ONE.add(trail));
            if (isLong ? price.compareTo(level) <= 0 : price.compareTo(level) >= 0) {
                conditions.add("trailing_stop " + plain(trail.multiply(HUNDRED)) + " %: price " + plain(price)
                        + (isLong ? " ≤ " : " ≥ ") + plain(level) + " (" + (isLong ? "high " : "low ")
                        + plain(bestPrice) + ")");
            }
        }
        if (rules.priceBelow() != null && price.compareTo(rules.priceBelow()) <= 0) {
            conditions.add("price_below " + plain(rules.priceBelow()) + ": price " + plain(price));
        }
        if (rules.priceAbove() != null && price.compareTo(rules.priceAbove()) >= 0) {
            conditions.add("price_above " + plain(rules.priceAbove()) + ": price " + plain(price));
        }
        maxHoldReached(now).ifPresent(conditions::add);
        if (!conditions.isEmpty()) {
            return fire(ExitReason.CONDITION_MET, String.join("; ", conditions));
        }
        return Optional.empty();
    }

    /** A timer tick: checks max_hold_seconds only (prices are checked on each price update). */
    public Optional<ExitSignal> onTime(Instant now) {
        Objects.requireNonNull(now, "now");
        if (triggered != null) {
            return Optional.empty();
        }
        Optional<String> maxHold = maxHoldReached(now);
        return maxHold.isPresent() ? fire(ExitReason.CONDITION_MET, maxHold.get()) : Optional.empty();
    }

    /** An operator's exit (e.g. plan cancel with an open position); empty if already triggered. */
    public Optional<ExitSignal> manualExit(String why) {
        Objects.requireNonNull(why, "why");
        if (triggered != null) {
            return Optional.empty();
        }
        return fire(ExitReason.MANUAL, "manual: " + why);
    }

    /** The signal that fired, if any. */
    public Optional<ExitSignal> triggered() {
        return Optional.ofNullable(triggered);
    }

    public boolean isTriggered() {
        return triggered != null;
    }

    /** Lets the monitor fire again (after the exit order failed). The best price is kept. */
    public void rearm() {
        triggered = null;
    }

    /** Highest price since entry for a long, lowest for a short (persist it to {@link #restore}). */
    public BigDecimal bestPrice() {
        return bestPrice;
    }

    /** When max_hold_seconds is reached; empty if not set. */
    public Optional<Instant> maxHoldDeadline() {
        return rules.maxHoldSeconds() == null ? Optional.empty()
                : Optional.of(entryTime.plusSeconds(rules.maxHoldSeconds()));
    }

    public Direction direction() {
        return direction;
    }

    public BigDecimal entryPrice() {
        return entryPrice;
    }

    public Instant entryTime() {
        return entryTime;
    }

    public ExitRules rules() {
        return rules;
    }

    private Optional<String> maxHoldReached(Instant now) {
        Optional<Instant> deadline = maxHoldDeadline();
        if (deadline.isEmpty() || now.isBefore(deadline.get())) {
            return Optional.empty();
        }
        return Optional.of("max_hold_seconds " + rules.maxHoldSeconds() + " reached: held "
                + Duration.between(entryTime, now).toSeconds() + " s");
    }

    private Optional<ExitSignal> fire(ExitReason reason, String detail) {
        triggered = new ExitSignal(reason, detail);
        return Optional.of(triggered);
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static BigDecimal requirePositive(String name, BigDecimal value) {
        if (value == null || value.signum() <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
