package io.tradergateway.market;

import io.tradergateway.domain.Direction;
import io.tradergateway.plan.ExitConditions;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether ANY of a plan's exit conditions triggers for an open position (SPEC §1; the report's
 * {@code exit_reason} is then {@code condition_met}). Semantics, per condition present in the plan:
 * <ul>
 *   <li>{@code max_hold_seconds: s} — now − openedAt ≥ s (needs no market data)</li>
 *   <li>{@code price_above: x} — price &gt; x</li>
 *   <li>{@code price_below: x} — price &lt; x</li>
 *   <li>{@code trailing_stop: f} — the price has retraced the fraction f from the best price since entry:
 *       a long exits when price ≤ best × (1 − f), a short when price ≥ best × (1 + f). "Best" is the highest
 *       price seen since entry for a long, the lowest for a short, starting at the entry price; keep it with
 *       {@link #bestPrice}.</li>
 * </ul>
 * Conditions are checked in that order and the first one that holds is returned. Without a price, only
 * {@code max_hold_seconds} can trigger. Stateless.
 */
public final class ExitConditionEvaluator {

    /**
     * @param condition the condition key that triggered ({@code max_hold_seconds}, {@code price_above},
     *                  {@code price_below}, {@code trailing_stop})
     * @param observed  the values it was decided on, to be logged and reported
     */
    public record ExitTrigger(String condition, Map<String, Object> observed) {
        public ExitTrigger {
            Objects.requireNonNull(condition, "condition");
            observed = Collections.unmodifiableMap(new LinkedHashMap<>(observed));
        }
    }

    /**
     * @param price               current price (null when unknown)
     * @param bestPriceSinceEntry see {@link #bestPrice}; null when unknown (no trailing stop check)
     * @param openedAt            when the position was opened (first entry fill)
     */
    public Optional<ExitTrigger> evaluate(ExitConditions conditions, Direction direction, BigDecimal price,
                                          BigDecimal bestPriceSinceEntry, Instant openedAt, Instant now) {
        Objects.requireNonNull(conditions, "conditions");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(now, "now");
        Map<String, Object> observed = new LinkedHashMap<>();
        observed.put("price", price);
        observed.put("best_price_since_entry", bestPriceSinceEntry);
        Duration held = Duration.between(openedAt, now);
        observed.put("held_seconds", held.getSeconds());

        if (conditions.maxHoldSeconds() != null && held.compareTo(Duration.ofSeconds(conditions.maxHoldSeconds())) >= 0) {
            return Optional.of(new ExitTrigger("max_hold_seconds", observed));
        }
        if (price == null) return Optional.empty();
        if (conditions.priceAbove() != null && price.compareTo(conditions.priceAbove()) > 0) {
            return Optional.of(new ExitTrigger("price_above", observed));
        }
        if (conditions.priceBelow() != null && price.compareTo(conditions.priceBelow()) < 0) {
            return Optional.of(new ExitTrigger("price_below", observed));
        }
        if (conditions.trailingStop() != null && bestPriceSinceEntry != null) {
            BigDecimal trigger = direction == Direction.LONG
                    ? bestPriceSinceEntry.multiply(BigDecimal.ONE.subtract(conditions.trailingStop()))
                    : bestPriceSinceEntry.multiply(BigDecimal.ONE.add(conditions.trailingStop()));
            boolean retraced = direction == Direction.LONG
                    ? price.compareTo(trigger) <= 0
                    : price.compareTo(trigger) >= 0;
            if (retraced) {
                observed.put("trailing_trigger_price", trigger);
                return Optional.of(new ExitTrigger("trailing_stop", observed));
            }
        }
        return Optional.empty();
    }

    /**
     * The best price since entry after seeing {@code price}: the higher of the two for a long, the lower for a short.
     * Start with the entry (average fill) price.
     */
    public static BigDecimal bestPrice(Direction direction, BigDecimal bestSoFar, BigDecimal price) {
        if (bestSoFar == null) return price;
        if (price == null) return bestSoFar;
        return direction == Direction.LONG ? bestSoFar.max(price) : bestSoFar.min(price);
    }
}
