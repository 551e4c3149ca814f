package io.tradergateway.market;

import io.tradergateway.domain.Direction;
import io.tradergateway.plan.ExitConditions;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExitConditionEvaluatorTest {

    static final Instant OPENED = Instant.parse("2026-11-25T10:00:00Z");

    private final ExitConditionEvaluator evaluator = new ExitConditionEvaluator();

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private Optional<String> trigger(ExitConditions c, Direction dir, String price, String best, long heldSeconds) {
        return evaluator.evaluate(c, dir, price == null ? null : d(price), best == null ? null : d(best), OPENED,
                OPENED.plusSeconds(heldSeconds)).map(ExitConditionEvaluator.ExitTrigger::condition);
    }

    @Test
    void maxHoldTriggersWithoutAPrice() {
        ExitConditions c = new ExitConditions(null, null, 3600L, null);
        assertEquals(Optional.empty(), trigger(c, Direction.LONG, null, null, 3599));
        assertEquals(Optional.of("max_hold_seconds"), trigger(c, Direction.LONG, null, null, 3600));
    }

    @Test
    void priceBands() {
        ExitConditions c = new ExitConditions(d("110"), d("90"), null, null);
        assertEquals(Optional.empty(), trigger(c, Direction.LONG, "110", null, 1));
        assertEquals(Optional.of("price_above"), trigger(c, Direction.LONG, "110.01", null, 1));
        assertEquals(Optional.empty(), trigger(c, Direction.SHORT, "90", null, 1));
        assertEquals(Optional.of("price_below"), trigger(c, Direction.SHORT, "89.99", null, 1));
    }

    @Test
    void longTrailingStopRetracesFromTheHighestPrice() {
        // best 120, 2 %: trigger at 120 × 0.98 = 117.60
        ExitConditions c = new ExitConditions(null, null, null, d("0.02"));
        assertEquals(Optional.empty(), trigger(c, Direction.LONG, "117.61", "120", 1));
        assertEquals(Optional.of("trailing_stop"), trigger(c, Direction.LONG, "117.60", "120", 1));
        var observed = evaluator.evaluate(c, Direction.LONG, d("117"), d("120"), OPENED, OPENED).orElseThrow()
                .observed();
        assertEquals(0, d("117.60").compareTo((BigDecimal) observed.get("trailing_trigger_price")));
    }

    @Test
    void shortTrailingStopRetracesFromTheLowestPrice() {
        // best 80, 5 %: trigger at 80 × 1.05 = 84
        ExitConditions c = new ExitConditions(null, null, null, d("0.05"));
        assertEquals(Optional.empty(), trigger(c, Direction.SHORT, "83.99", "80", 1));
        assertEquals(Optional.of("trailing_stop"), trigger(c, Direction.SHORT, "84", "80", 1));
    }

    @Test
    void bestPriceFollowsTheFavourableDirection() {
        assertEquals(d("105"), ExitConditionEvaluator.bestPrice(Direction.LONG, d("100"), d("105")));
        assertEquals(d("105"), ExitConditionEvaluator.bestPrice(Direction.LONG, d("105"), d("101")));
        assertEquals(d("95"), ExitConditionEvaluator.bestPrice(Direction.SHORT, d("100"), d("95")));
        assertEquals(d("95"), ExitConditionEvaluator.bestPrice(Direction.SHORT, d("95"), d("99")));
        assertEquals(d("100"), ExitConditionEvaluator.bestPrice(Direction.LONG, null, d("100")));
    }

    @Test
    void noConditionsNeverTrigger() {
        assertTrue(trigger(ExitConditions.NONE, Direction.LONG, "1", "1000", 1_000_000).isEmpty());
    }
}
