package io.tradergateway.plan;

import io.tradergateway.domain.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PositionSizerTest {

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private static BigDecimal qty(String pct, String equity, String price, String lot) {
        return PositionSizer.quantity(d(pct), d(equity), d(price), d(lot));
    }

    @Test
    void quantityIsFlooredToWholeShares() {
        // 2.5 % of 1,000,000 = 25,000; / 187.25 = 133.511... -> 133
        assertEquals(d("133"), qty("2.5", "1000000", "187.25", "1"));
    }

    @Test
    void quantityIsFlooredToTheLotSize() {
        // 133.511... shares = 13.35 lots of 10 -> 13 lots = 130 shares
        assertEquals(d("130"), qty("2.5", "1000000", "187.25", "10"));
        // 1 % of 10,000 = 100; / 3000 = 0.0333... -> 3 lots of 0.01 = 0.03
        assertEquals(d("0.03"), qty("1", "10000", "3000", "0.01"));
    }

    @Test
    void exactQuotientIsNotLostToBinaryRounding() {
        // 0.7 % of 10,000 = 70; / 0.7 = exactly 100 (through doubles 0.7/100*10000/0.7 can come out as 99.999...)
        assertEquals(d("100"), qty("0.7", "10000", "0.7", "1"));
        // 10 % of 1000 = 100; / 25 = exactly 4 lots of 1
        assertEquals(d("4"), qty("10", "1000", "25", "1"));
    }

    @Test
    void tooSmallForOneLotGivesZero() {
        // 0.01 % of 1000 = 0.1; / 500 = 0.0002 shares
        assertEquals(0, qty("0.01", "1000", "500", "1").signum());
        // 2.5 % of 1,000,000 = 25,000 / 187.25 = 133 shares, less than one lot of 200
        assertEquals(0, qty("2.5", "1000000", "187.25", "200").signum());
    }

    @Test
    void badArgumentsAreBugsAndThrowNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> qty("2.5", "1000000", "0", "1"));
        assertEquals("referencePrice must be > 0, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> qty("2.5", "1000000", "10", "0"));
        assertThrows(IllegalArgumentException.class, () -> qty("-1", "1000000", "10", "1"));
        assertThrows(IllegalArgumentException.class, () -> qty("1", "-5", "10", "1"));
        assertThrows(NullPointerException.class, () -> PositionSizer.quantity(null, d("1"), d("1"), d("1")));
    }

    @Test
    void floorToLot() {
        assertEquals(d("300"), PositionSizer.floorToLot(d("399.99"), d("100")));
        assertEquals(d("0.25"), PositionSizer.floorToLot(d("0.2549"), d("0.05")));
    }

    // ---------------------------------------------------------------- ticks

    @Test
    void roundToTickWithEachMode() {
        assertEquals(d("101.23"), PriceTicks.roundToTick(d("101.237"), d("0.01"), RoundingMode.FLOOR));
        assertEquals(d("101.24"), PriceTicks.roundToTick(d("101.237"), d("0.01"), RoundingMode.CEILING));
        assertEquals(d("101.24"), PriceTicks.roundToTick(d("101.237"), d("0.01"), RoundingMode.HALF_UP));
        // tick 0.05: 101.23 lies between 101.20 and 101.25
        assertEquals(d("101.20"), PriceTicks.roundToTick(d("101.23"), d("0.05"), RoundingMode.FLOOR));
        assertEquals(d("101.25"), PriceTicks.roundToTick(d("101.23"), d("0.05"), RoundingMode.CEILING));
        assertEquals(d("101.25"), PriceTicks.roundToTick(d("101.23"), d("0.05"), RoundingMode.HALF_EVEN));
        // tick 0.25 on whole numbers
        assertEquals(d("187.00"), PriceTicks.roundToTick(d("187.2"), d("0.25"), RoundingMode.FLOOR));
    }

    @Test
    void passiveLimitNeverPaysMoreOrReceivesLess() {
        assertEquals(d("101.23"), PriceTicks.passiveLimit(d("101.237"), d("0.01"), Side.BUY));
        assertEquals(d("101.24"), PriceTicks.passiveLimit(d("101.231"), d("0.01"), Side.SELL));
        // on-tick prices are left alone
        assertEquals(d("101.25"), PriceTicks.passiveLimit(d("101.25"), d("0.05"), Side.BUY));
        assertEquals(d("101.25"), PriceTicks.passiveLimit(d("101.25"), d("0.05"), Side.SELL));
    }

    @Test
    void isOnTick() {
        assertTrue(PriceTicks.isOnTick(d("101.25"), d("0.05")));
        assertTrue(PriceTicks.isOnTick(d("101.2500"), d("0.05")));
        assertFalse(PriceTicks.isOnTick(d("101.26"), d("0.05")));
        assertThrows(IllegalArgumentException.class, () -> PriceTicks.isOnTick(d("1"), d("0")));
    }
}
