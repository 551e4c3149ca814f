package io.tradergateway.market;

import io.tradergateway.plan.EntryConditions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryConditionEvaluatorTest {

    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final EntryConditionEvaluator evaluator = new EntryConditionEvaluator();

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    /** price 100.00, volume 5000 in the window, volatility 0.002 from 10 trades. */
    private static final ConditionInputs MARKET = new ConditionInputs(NOW, d("100.00"), d("5000"), 0.002, 10);
    /** Nothing known yet: no price, no trades. */
    private static final ConditionInputs EMPTY = new ConditionInputs(NOW, null, BigDecimal.ZERO, null, 0);

    private static EntryConditions priceAbove(String x) {
        return new EntryConditions(d(x), null, null, null);
    }

    private static EntryConditions priceBelow(String x) {
        return new EntryConditions(null, d(x), null, null);
    }

    private static EntryConditions volume(String x) {
        return new EntryConditions(null, null, d(x), null);
    }

    private static EntryConditions volatility(String x) {
        return new EntryConditions(null, null, null, d(x));
    }

    private boolean met(EntryConditions conditions, ConditionInputs inputs) {
        return evaluator.evaluate(conditions, inputs).allMet();
    }

    @Test
    void noConditionsAreMetAtOnceEvenWithoutData() {
        assertTrue(met(EntryConditions.NONE, EMPTY));
    }

    @Test
    void priceAboveIsStrict() {
        assertTrue(met(priceAbove("99.99"), MARKET));
        assertFalse(met(priceAbove("100.00"), MARKET), "equal is not above");
        assertFalse(met(priceAbove("100.01"), MARKET));
    }

    @Test
    void priceBelowIsStrict() {
        assertTrue(met(priceBelow("100.01"), MARKET));
        assertFalse(met(priceBelow("100"), MARKET), "equal is not below");
        assertFalse(met(priceBelow("99.99"), MARKET));
    }

    @Test
    void volumeSpikeIsAtLeast() {
        assertTrue(met(volume("4999"), MARKET));
        assertTrue(met(volume("5000"), MARKET), "reaching the threshold is enough");
        assertFalse(met(volume("5000.5"), MARKET));
    }

    @Test
    void volatilityThresholdIsAtLeast() {
        assertTrue(met(volatility("0.0015"), MARKET));
        assertTrue(met(volatility("0.002"), MARKET));
        assertFalse(met(volatility("0.0021"), MARKET));
    }

    @Test
    void missingMarketDataMeetsNoCondition() {
        for (EntryConditions c : List.of(priceAbove("1"), priceBelow("1000"), volume("1"), volatility("0.0001"))) {
            assertFalse(met(c, EMPTY), c.toString());
        }
    }

    @Test
    void allConditionsMustHoldAndUnmetOnesAreNamed() {
        EntryConditions all = new EntryConditions(d("99"), d("101"), d("6000"), d("0.003"));
        EntryConditionEvaluator.Evaluation evaluation = evaluator.evaluate(all, MARKET);
        assertFalse(evaluation.allMet());
        assertEquals(List.of("volume_spike", "volatility_threshold"), evaluation.unmet());

        EntryConditions reachable = new EntryConditions(d("99"), d("101"), d("5000"), d("0.001"));
        EntryConditionEvaluator.Evaluation ok = evaluator.evaluate(reachable, MARKET);
        assertTrue(ok.allMet());
        assertEquals(List.of(), ok.unmet());
        assertEquals(Map.of("price", d("100.00"), "volume", d("5000"), "volatility", 0.002, "trades_in_window", 10),
                ok.observed());
        assertEquals(List.of("price", "volume", "volatility", "trades_in_window"), List.copyOf(ok.observed().keySet()));
    }

    @Test
    void observedShowsUnknownValuesAsNull() {
        EntryConditionEvaluator.Evaluation evaluation = evaluator.evaluate(priceAbove("1"), EMPTY);
        assertNull(evaluation.observed().get("price"));
        assertNull(evaluation.observed().get("volatility"));
        assertTrue(evaluation.observed().containsKey("volatility"));
    }

    @Test
    void inputsAreTakenFromTheSymbolMarketAndItsWindow() {
        SymbolMarket market = new SymbolMarket("AAPL");
        // trades 100, 110, 100 within the window: volatility sqrt(2) ln(1.1) = 0.1348; volume 1 + 2 + 3 = 6
        String[][] trades = {{"100", "1"}, {"110", "2"}, {"100", "3"}};
        for (int i = 0; i < trades.length; i++) {
            market.apply(new TradePrint("SIM_DEEP", "AAPL", d(trades[i][0]), d(trades[i][1]), NOW.plusSeconds(i)));
        }
        ConditionInputs inputs = ConditionInputs.from(market, NOW.plusSeconds(2));
        assertEquals(d("100"), inputs.price());
        assertEquals(d("6"), inputs.volume());
        assertEquals(0.1347889489, inputs.volatility(), 1e-9);
        assertEquals(3, inputs.tradesInWindow());
        assertTrue(met(new EntryConditions(d("99"), null, d("6"), d("0.1")), inputs));

        // two minutes later the window is empty: volume and volatility conditions fail, the price still holds
        ConditionInputs later = ConditionInputs.from(market, NOW.plusSeconds(120));
        assertEquals(0, later.volume().signum());
        assertNull(later.volatility());
        assertEquals(Optional.of(d("100")), later.priceIfKnown());
        EntryConditionEvaluator.Evaluation evaluation =
                evaluator.evaluate(new EntryConditions(d("99"), null, d("6"), d("0.1")), later);
        assertEquals(Arrays.asList("volume_spike", "volatility_threshold"), evaluation.unmet());
    }
}
