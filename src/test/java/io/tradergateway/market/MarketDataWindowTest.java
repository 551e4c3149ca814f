package io.tradergateway.market;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarketDataWindowTest {

    static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    private final MarketDataWindow window = new MarketDataWindow(); // 60 s

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    private void trade(long secondsAfterT, String price, String qty) {
        window.onTrade(T.plusSeconds(secondsAfterT), d(price), qty == null ? null : d(qty));
    }

    /** Issue 10 item 10: trades were evicted only when read, so a symbol nobody asked about held every trade. */
    @Test
    void insertsAloneKeepMemoryToOneWindowOfTrades() {
        // 100,000 trades, one every 10 ms (1,000 s), never queried: one 60 s window is 6,000 trades.
        for (int i = 0; i < 100_000; i++) {
            window.onTrade(T.plusMillis(10L * i), d(i % 2 == 0 ? "100" : "100.5"), d("1"));
            assertTrue(window.heldTrades() <= 6_000, () -> "held " + window.heldTrades());
        }
        assertEquals(6_000, window.heldTrades());
        Instant last = T.plusMillis(10L * 99_999);
        assertEquals(d("6000"), window.volume(last));
        assertEquals(6_000, window.tradeCount(last));
    }

    @Test
    void volumeIsTheQuantityTradedInTheWindow() {
        trade(0, "100", "100");
        trade(10, "100.5", "50");
        trade(30, "101", "25.5");
        assertEquals(d("175.5"), window.volume(T.plusSeconds(30)));
        // at T+60 the T+0 trade is exactly 60 s old: out of the window (it holds time > now - 60 s)
        assertEquals(d("75.5"), window.volume(T.plusSeconds(60)));
        assertEquals(d("75.5"), window.volume(T.plusMillis(70_000).minusNanos(1)));
        assertEquals(d("25.5"), window.volume(T.plusSeconds(70)));
        assertEquals(0, window.volume(T.plusSeconds(90)).signum());
        assertEquals(0, window.tradeCount(T.plusSeconds(90)));
    }

    @Test
    void windowLengthIsConfigurable() {
        MarketDataWindow tenSeconds = new MarketDataWindow(Duration.ofSeconds(10));
        tenSeconds.onTrade(T, d("100"), d("7"));
        tenSeconds.onTrade(T.plusSeconds(5), d("100"), d("3"));
        assertEquals(d("10"), tenSeconds.volume(T.plusSeconds(9)));
        assertEquals(d("3"), tenSeconds.volume(T.plusSeconds(10)));
        assertEquals(Duration.ofSeconds(10), tenSeconds.length());
        assertThrows(IllegalArgumentException.class, () -> new MarketDataWindow(Duration.ZERO));
    }

    @Test
    void volatilityOfUpAndDownMove() {
        // prices 100, 110, 100: log returns r1 = ln(1.1) = 0.0953102, r2 = ln(100/110) = -0.0953102
        // mean = 0; sample variance = (r1^2 + r2^2) / (2 - 1) = 2 ln(1.1)^2; std dev = sqrt(2) ln(1.1) = 0.1347889
        trade(0, "100", "1");
        trade(1, "110", "1");
        trade(2, "100", "1");
        assertEquals(0.1347889489, window.volatility(T.plusSeconds(2)), 1e-9);
    }

    @Test
    void volatilityOfFourTrades() {
        // prices 100, 101, 100, 102:
        //   r1 = ln(101/100) =  0.00995033, r2 = ln(100/101) = -0.00995033, r3 = ln(102/100) = 0.01980263
        //   mean = 0.01980263 / 3 = 0.00660088
        //   deviations 0.00334946, -0.01655121, 0.01320175; squares 1.12188e-5, 2.73942e-4, 1.74286e-4
        //   sum = 4.59448e-4; / (3 - 1) = 2.29724e-4; sqrt = 0.0151566
        trade(0, "100", "1");
        trade(1, "101", "1");
        trade(2, "100", "1");
        trade(3, "102", "1");
        assertEquals(0.0151566, window.volatility(T.plusSeconds(3)), 1e-7);
    }

    @Test
    void steadyGeometricTrendHasNoVolatility() {
        // every return is ln(1.1): deviations from the mean are 0
        trade(0, "100", "1");
        trade(1, "110", "1");
        trade(2, "121", "1");
        trade(3, "133.1", "1");
        assertEquals(0.0, window.volatility(T.plusSeconds(3)), 1e-12);
    }

    @Test
    void volatilityNeedsThreeTradesInTheWindow() {
        assertEquals(0.0, window.volatility(T));
        trade(0, "100", "1");
        trade(1, "110", "1");
        assertEquals(0.0, window.volatility(T.plusSeconds(1)), "two trades, one return: not measurable");
        assertFalse(window.volatilityMeasurable(T.plusSeconds(1)));
        trade(2, "100", "1");
        assertTrue(window.volatilityMeasurable(T.plusSeconds(2)));
        assertTrue(window.volatility(T.plusSeconds(2)) > 0.13);
        // at T+60 the first trade leaves: 110, 100 remain, one return again
        assertEquals(0.0, window.volatility(T.plusSeconds(60)));
    }

    @Test
    void volatilityUsesOnlyReturnsBetweenTradesInsideTheWindow() {
        // 50 -> 100 is a huge return, but 50 leaves the window before we look; 100, 110, 100 remain
        trade(0, "50", "1");
        trade(30, "100", "1");
        trade(31, "110", "1");
        trade(32, "100", "1");
        assertEquals(0.1347889489, window.volatility(T.plusSeconds(60)), 1e-9);
    }

    @Test
    void latePrintIsKeptAtTheNewestTimeOrDroppedWhenAlreadyOutside() {
        trade(100, "100", "10");
        trade(90, "100", "5");   // 10 s late: counted, held as if at T+100
        trade(30, "100", "99");  // 70 s older than the newest trade: already outside a 60 s window
        assertEquals(d("15"), window.volume(T.plusSeconds(100)));
        assertEquals(d("15"), window.volume(T.plusSeconds(155)), "the late print leaves with the T+100 one");
        assertEquals(0, window.volume(T.plusSeconds(160)).signum());
    }

    @Test
    void badPricesAreDroppedAndMissingQuantityCountsZero() {
        trade(0, "0", "10");
        trade(1, "-5", "10");
        trade(2, "100", null);
        trade(3, "100", "-3");
        assertEquals(2, window.tradeCount(T.plusSeconds(3)));
        assertEquals(0, window.volume(T.plusSeconds(3)).signum());
    }

    @Test
    void manyTradesKeepARunningVolume() {
        // one trade of 1 every 100 ms for 1000 s; at the end the 60 s window holds 600 of them
        for (int i = 0; i < 10_000; i++) {
            window.onTrade(T.plusMillis(100L * i), d("100"), BigDecimal.ONE);
        }
        Instant last = T.plusMillis(100L * 9_999);
        assertEquals(600, window.tradeCount(last));
        assertEquals(d("600"), window.volume(last));
    }
}
