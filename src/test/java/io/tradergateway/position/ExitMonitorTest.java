package io.tradergateway.position;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tradergateway.domain.Direction;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExitMonitorTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final BigDecimal ENTRY = new BigDecimal("100");

    private static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    private static ExitMonitor monitor(Direction direction, ExitRules rules) {
        return new ExitMonitor(direction, ENTRY, T0, rules);
    }

    private static Optional<ExitSignal> signal(ExitReason reason, String detail) {
        return Optional.of(new ExitSignal(reason, detail));
    }

    @Test
    void longStopLossFiresAtOrBelowTheStopAndLatches() {
        ExitMonitor m = monitor(Direction.LONG, ExitRules.stopAndTarget(d("95"), d("110")));
        assertEquals(Optional.empty(), m.onPrice(d("95.01"), T0));
        assertFalse(m.isTriggered());
        assertEquals(signal(ExitReason.STOP_LOSS, "stop_loss 95 reached: price 95"), m.onPrice(d("95"), T0));
        assertEquals(Optional.empty(), m.onPrice(d("90"), T0), "one signal, not one per tick");
        assertEquals(ExitReason.STOP_LOSS, m.triggered().orElseThrow().reason());
        m.rearm();
        assertEquals(signal(ExitReason.STOP_LOSS, "stop_loss 95 reached: price 94"), m.onPrice(d("94"), T0));
    }

    @Test
    void longTakeProfitFiresAtOrAboveTheTarget() {
        ExitMonitor m = monitor(Direction.LONG, ExitRules.stopAndTarget(d("95"), d("110")));
        assertEquals(Optional.empty(), m.onPrice(d("109.99"), T0));
        assertEquals(signal(ExitReason.TAKE_PROFIT, "take_profit 110 reached: price 110.5"), m.onPrice(d("110.50"), T0));
    }

    @Test
    void shortStopLossFiresAtOrAboveTheStop() {
        ExitMonitor m = monitor(Direction.SHORT, ExitRules.stopAndTarget(d("105"), d("90")));
        assertEquals(Optional.empty(), m.onPrice(d("104.99"), T0));
        assertEquals(signal(ExitReason.STOP_LOSS, "stop_loss 105 reached: price 105"), m.onPrice(d("105"), T0));
    }

    @Test
    void shortTakeProfitFiresAtOrBelowTheTarget() {
        ExitMonitor m = monitor(Direction.SHORT, ExitRules.stopAndTarget(d("105"), d("90")));
        assertEquals(Optional.empty(), m.onPrice(d("90.01"), T0));
        assertEquals(signal(ExitReason.TAKE_PROFIT, "take_profit 90 reached: price 90"), m.onPrice(d("90"), T0));
    }

    @Test
    void longTrailingStopFollowsTheHighWaterMark() {
        ExitMonitor m = monitor(Direction.LONG, new ExitRules(null, null, null, null, null, d("0.05")));
        assertEquals(Optional.empty(), m.onPrice(d("104"), T0));
        assertEquals(Optional.empty(), m.onPrice(d("110"), T0));
        assertEquals(d("110"), m.bestPrice());
        assertEquals(Optional.empty(), m.onPrice(d("104.51"), T0)); // level 110·0.95 = 104.5
        assertEquals(signal(ExitReason.CONDITION_MET, "trailing_stop 5 %: price 104.5 ≤ 104.5 (high 110)"),
                m.onPrice(d("104.5"), T0));
    }

    @Test
    void longTrailingStopStartsFromTheEntryPrice() {
        ExitMonitor m = monitor(Direction.LONG, new ExitRules(null, null, null, null, null, d("0.05")));
        assertEquals(signal(ExitReason.CONDITION_MET, "trailing_stop 5 %: price 95 ≤ 95 (high 100)"),
                m.onPrice(d("95"), T0));
    }

    @Test
    void shortTrailingStopFollowsTheLowWaterMark() {
        ExitMonitor m = monitor(Direction.SHORT, new ExitRules(null, null, null, null, null, d("0.05")));
        assertEquals(Optional.empty(), m.onPrice(d("96"), T0));
        assertEquals(Optional.empty(), m.onPrice(d("90"), T0));
        assertEquals(d("90"), m.bestPrice());
        assertEquals(Optional.empty(), m.onPrice(d("94.49"), T0)); // level 90·1.05 = 94.5
        assertEquals(signal(ExitReason.CONDITION_MET, "trailing_stop 5 %: price 94.5 ≥ 94.5 (low 90)"),
                m.onPrice(d("94.5"), T0));
    }

    @Test
    void restoredMonitorKeepsItsBestPrice() {
        ExitMonitor m = ExitMonitor.restore(Direction.LONG, ENTRY, T0,
                new ExitRules(null, null, null, null, null, d("0.1")), d("120"));
        assertEquals(signal(ExitReason.CONDITION_MET, "trailing_stop 10 %: price 108 ≤ 108 (high 120)"),
                m.onPrice(d("108"), T0));
    }

    @Test
    void maxHoldFiresOnTimerAndOnPrice() {
        ExitRules rules = new ExitRules(null, null, null, null, 3600L, null);
        ExitMonitor timer = monitor(Direction.LONG, rules);
        assertEquals(Optional.of(T0.plusSeconds(3600)), timer.maxHoldDeadline());
        assertEquals(Optional.empty(), timer.onTime(T0.plusSeconds(3599)));
        assertEquals(signal(ExitReason.CONDITION_MET, "max_hold_seconds 3600 reached: held 3600 s"),
                timer.onTime(T0.plusSeconds(3600)));
        assertEquals(Optional.empty(), timer.onTime(T0.plusSeconds(3700)));

        ExitMonitor price = monitor(Direction.SHORT, rules);
        assertEquals(Optional.empty(), price.onPrice(d("100"), T0.plusSeconds(10)));
        assertEquals(signal(ExitReason.CONDITION_MET, "max_hold_seconds 3600 reached: held 4000 s"),
                price.onPrice(d("100"), T0.plusSeconds(4000)));
    }

    @Test
    void priceAboveAndPriceBelowConditions() {
        ExitRules rules = new ExitRules(null, null, d("105"), d("97"), null, null);
        ExitMonitor above = monitor(Direction.LONG, rules);
        assertEquals(Optional.empty(), above.onPrice(d("104"), T0));
        assertEquals(signal(ExitReason.CONDITION_MET, "price_above 105: price 105"), above.onPrice(d("105"), T0));

        ExitMonitor below = monitor(Direction.SHORT, rules);
        assertEquals(Optional.empty(), below.onPrice(d("97.01"), T0));
        assertEquals(signal(ExitReason.CONDITION_MET, "price_below 97: price 96.5"), below.onPrice(d("96.50"), T0));

        // Touching the level counts, for either direction (the conditions do not depend on it).
        assertEquals(signal(ExitReason.CONDITION_MET, "price_below 97: price 97"),
                monitor(Direction.LONG, rules).onPrice(d("97"), T0));
        assertEquals(signal(ExitReason.CONDITION_MET, "price_above 105: price 105"),
                monitor(Direction.SHORT, rules).onPrice(d("105"), T0));
    }

    @Test
    void bestPriceFollowsOnlyTheFavourableDirection() {
        ExitRules none = ExitRules.none();
        ExitMonitor longPosition = monitor(Direction.LONG, none);
        assertEquals(ENTRY, longPosition.bestPrice());
        longPosition.onPrice(d("105"), T0);
        longPosition.onPrice(d("101"), T0);
        assertEquals(d("105"), longPosition.bestPrice());

        ExitMonitor shortPosition = monitor(Direction.SHORT, none);
        shortPosition.onPrice(d("95"), T0);
        shortPosition.onPrice(d("99"), T0);
        assertEquals(d("95"), shortPosition.bestPrice());
    }

    @Test
    void noRulesNeverFireOnPriceOrTime() {
        ExitMonitor m = monitor(Direction.SHORT, ExitRules.none());
        assertEquals(Optional.empty(), m.onPrice(d("1000"), T0.plusSeconds(1_000_000)));
        assertEquals(Optional.empty(), m.onTime(T0.plusSeconds(1_000_000)));
        assertEquals(Optional.empty(), m.maxHoldDeadline());
        assertFalse(m.isTriggered());
    }

    @Test
    void stopLossTakesPrecedenceThenTakeProfitThenConditions() {
        ExitRules all = new ExitRules(d("95"), null, null, d("96"), 60L, d("0.02"));
        assertEquals(ExitReason.STOP_LOSS, monitor(Direction.LONG, all).onPrice(d("94"), T0.plusSeconds(60))
                .orElseThrow().reason());

        ExitRules withTarget = new ExitRules(null, d("110"), d("105"), null, null, null);
        assertEquals(ExitReason.TAKE_PROFIT, monitor(Direction.LONG, withTarget).onPrice(d("111"), T0)
                .orElseThrow().reason());

        ExitRules conditionsOnly = new ExitRules(null, null, null, d("96"), 60L, d("0.02"));
        assertEquals(signal(ExitReason.CONDITION_MET, "trailing_stop 2 %: price 94 ≤ 98 (high 100); "
                        + "price_below 96: price 94; max_hold_seconds 60 reached: held 60 s"),
                monitor(Direction.LONG, conditionsOnly).onPrice(d("94"), T0.plusSeconds(60)));
    }

    @Test
    void manualExitFiresOnce() {
        ExitMonitor m = monitor(Direction.LONG, ExitRules.none());
        assertEquals(Optional.empty(), m.onPrice(d("1"), T0.plusSeconds(999_999)));
        assertEquals(signal(ExitReason.MANUAL, "manual: plan cancelled"), m.manualExit("plan cancelled"));
        assertTrue(m.isTriggered());
        assertEquals(Optional.empty(), m.manualExit("again"));
    }

    @Test
    void wireNamesAndRuleValidation() {
        assertEquals("stop_loss", ExitReason.STOP_LOSS.wireName());
        assertEquals("take_profit", ExitReason.TAKE_PROFIT.wireName());
        assertEquals("condition_met", ExitReason.CONDITION_MET.wireName());
        assertEquals("manual", ExitReason.MANUAL.wireName());
        assertEquals(ExitReason.CONDITION_MET, ExitReason.fromWire("condition_met"));
        assertThrows(IllegalArgumentException.class, () -> ExitReason.fromWire("STOP_LOSS"));
        assertThrows(IllegalArgumentException.class, () -> new ExitRules(null, null, null, null, null, d("1")));
        assertThrows(IllegalArgumentException.class, () -> new ExitRules(null, null, null, null, null, d("0")));
        assertThrows(IllegalArgumentException.class, () -> new ExitRules(null, null, null, null, 0L, null));
        assertThrows(IllegalArgumentException.class, () -> new ExitRules(d("-1"), null, null, null, null, null));
    }
}
