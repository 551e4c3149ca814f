package io.tradergateway.market;

import io.tradergateway.plan.EntryConditions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a plan's entry conditions ALL hold (SPEC §1). Semantics, per condition present in the plan:
 * <ul>
 *   <li>{@code price_above: x} — price &gt; x (strictly)</li>
 *   <li>{@code price_below: x} — price &lt; x (strictly)</li>
 *   <li>{@code volume_spike: x} — traded quantity in the rolling window ≥ x</li>
 *   <li>{@code volatility_threshold: x} — volatility (std. dev. of log returns in the window, a fraction) ≥ x</li>
 * </ul>
 * where price, volume and volatility are those of {@link ConditionInputs} (see {@link MarketDataWindow} for the
 * definitions). Missing market data means the condition is NOT met: no price (no trade and no two-sided book),
 * a volatility that cannot be measured (fewer than 3 trades in the window). Volume without trades is zero, so it
 * does not meet a positive threshold either. A plan without entry conditions is met at once.
 * Stateless.
 */
public final class EntryConditionEvaluator {

    /**
     * @param allMet   true when every condition holds
     * @param observed the measures the decision was taken on ({@code price}, {@code volume}, {@code volatility},
     *                 {@code trades_in_window}; a value is null when unknown), in that order, to be logged and
     *                 reported when the entry triggers
     * @param unmet    the condition keys that do not hold ({@code price_above}, …), empty when all are met
     */
    public record Evaluation(boolean allMet, Map<String, Object> observed, List<String> unmet) {
        public Evaluation {
            observed = Collections.unmodifiableMap(new LinkedHashMap<>(observed));
            unmet = List.copyOf(unmet);
        }
    }

    public Evaluation evaluate(EntryConditions conditions, ConditionInputs inputs) {
        Objects.requireNonNull(conditions, "conditions");
        Objects.requireNonNull(inputs, "inputs");
        Map<String, Object> observed = new LinkedHashMap<>();
        observed.put("price", inputs.price());
        observed.put("volume", inputs.volume());
        observed.put("volatility", inputs.volatility());
        observed.put("trades_in_window", inputs.tradesInWindow());

        List<String> unmet = new ArrayList<>();
        BigDecimal price = inputs.price();
        if (conditions.priceAbove() != null && (price == null || price.compareTo(conditions.priceAbove()) <= 0)) {
            unmet.add("price_above");
        }
        if (conditions.priceBelow() != null && (price == null || price.compareTo(conditions.priceBelow()) >= 0)) {
            unmet.add("price_below");
        }
        if (conditions.volumeSpike() != null && inputs.volume().compareTo(conditions.volumeSpike()) < 0) {
            unmet.add("volume_spike");
        }
        if (conditions.volatilityThreshold() != null && (inputs.volatility() == null
                || inputs.volatility() < conditions.volatilityThreshold().doubleValue())) {
            unmet.add("volatility_threshold");
        }
        return new Evaluation(unmet.isEmpty(), observed, unmet);
    }
}
