package io.tradergateway.risk;

import io.tradergateway.domain.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RiskGateTest {
    /** Flat book: AAPL at 100, MSFT at 400, nothing held or working unless a test says so. */
    record Book(Map<String, BigDecimal> prices, Map<String, BigDecimal> positions, Map<String, BigDecimal> working,
                BigDecimal gross, int open) implements Exposure {
        static Book flat() {
            return new Book(Map.of("AAPL", new BigDecimal("100"), "MSFT", new BigDecimal("400")), Map.of(), Map.of(),
                    BigDecimal.ZERO, 0);
        }

        @Override
        public Optional<BigDecimal> price(String symbol) {
            return Optional.ofNullable(prices.get(symbol));
        }

        @Override
        public BigDecimal position(String symbol) {
            return positions.getOrDefault(symbol, BigDecimal.ZERO);
        }

        @Override
        public BigDecimal working(String symbol) {
            return working.getOrDefault(symbol, BigDecimal.ZERO);
        }

        @Override
        public BigDecimal grossNotional() {
            return gross;
        }

        @Override
        public int openOrders() {
            return open;
        }
    }

    private final RiskGate defaults = new RiskGate(RiskLimits.defaults());

    private static OrderIntent buy(String qty, String limit) {
        return new OrderIntent("AAPL", Side.BUY, new BigDecimal(qty), limit == null ? null : new BigDecimal(limit), false);
    }

    private static Optional<String> code(Optional<RiskDenial> d) {
        return d.map(RiskDenial::code);
    }

    @Test
    void anOrderWithinEveryLimitPasses() {
        assertThat(defaults.check(buy("100", null), Book.flat())).isEmpty();
    }

    @Test
    void orderNotional() {
        // 3,000 x 100 = 300,000 > 250,000
        Optional<RiskDenial> d = defaults.check(buy("3000", null), Book.flat());
        assertThat(code(d)).contains(RiskDenial.ORDER_NOTIONAL);
        assertThat(d.get().message()).contains("300000.00").contains("250000");
        assertThat(defaults.check(buy("2500", null), Book.flat())).as("equal to the limit passes").isEmpty();
    }

    @Test
    void orderQuantity() {
        RiskGate gate = new RiskGate(new RiskLimits(BigDecimal.ZERO, new BigDecimal("500"), BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, 0, 0, 0));
        assertThat(code(gate.check(buy("501", null), Book.flat()))).contains(RiskDenial.ORDER_QUANTITY);
        assertThat(gate.check(buy("500", null), Book.flat())).isEmpty();
    }

    @Test
    void positionNotionalCountsThePositionAndWorkingOrders() {
        // held 3,000 + working 1,000 + 1,100 = 5,100 x 100 = 510,000 > 500,000
        Book book = new Book(Book.flat().prices(), Map.of("AAPL", new BigDecimal("3000")), Map.of("AAPL", new BigDecimal("1000")),
                BigDecimal.ZERO, 1);
        assertThat(code(defaults.check(buy("1100", null), book))).contains(RiskDenial.POSITION_NOTIONAL);
        assertThat(defaults.check(buy("1000", null), book)).isEmpty();
        // a sell reduces the same position: 4,000 - 1,100 = 2,900
        assertThat(defaults.check(new OrderIntent("AAPL", Side.SELL, new BigDecimal("1100"), null, false), book)).isEmpty();
    }

    @Test
    void grossNotionalAcrossSymbols() {
        Book book = new Book(Book.flat().prices(), Map.of(), Map.of(), new BigDecimal("1900000"), 0);
        // 1,900,000 + 1,100 x 100 = 2,010,000 > 2,000,000
        assertThat(code(defaults.check(buy("1100", null), book))).contains(RiskDenial.GROSS_NOTIONAL);
        assertThat(defaults.check(buy("1000", null), book)).isEmpty();
    }

    @Test
    void priceCollarRefusesALimitFarThroughTheMarketEvenForAnExit() {
        // 5 % through 100: a buy above 105, a sell below 95
        assertThat(code(defaults.check(buy("10", "105.01"), Book.flat()))).contains(RiskDenial.PRICE_COLLAR);
        assertThat(defaults.check(buy("10", "105"), Book.flat())).isEmpty();
        assertThat(defaults.check(buy("10", "50"), Book.flat())).as("a passive limit far from the market is fine").isEmpty();
        OrderIntent exitSell = new OrderIntent("AAPL", Side.SELL, new BigDecimal("10"), new BigDecimal("94.99"), true);
        assertThat(code(defaults.check(exitSell, Book.flat()))).contains(RiskDenial.PRICE_COLLAR);
    }

    @Test
    void aReduceOnlyExitIsNeverDeniedForSizeNorForOpenOrders() {
        Book crowded = new Book(Book.flat().prices(), Map.of("AAPL", new BigDecimal("1000000")), Map.of(), new BigDecimal("9e9"), 9999);
        OrderIntent exit = new OrderIntent("AAPL", Side.SELL, new BigDecimal("1000000"), null, true);
        assertThat(defaults.check(exit, crowded)).isEmpty();
    }

    @Test
    void openOrders() {
        Book busy = new Book(Book.flat().prices(), Map.of(), Map.of(), BigDecimal.ZERO, 500);
        assertThat(code(defaults.check(buy("1", null), busy))).contains(RiskDenial.OPEN_ORDERS);
    }

    @Test
    void everyLimitOffLetsAnythingThrough() {
        assertThat(new RiskGate(RiskLimits.none()).check(buy("1e12", "1e9"), Book.flat())).isEmpty();
    }

    @Test
    void rateLimiterAllowsNPerSlidingSecondPerVenue() {
        RateLimiter rate = new RateLimiter(2);
        Instant t = Instant.parse("2026-11-30T10:00:00Z");
        assertThat(rate.tryAcquire("V", t)).isTrue();
        assertThat(rate.tryAcquire("V", t.plusMillis(100))).isTrue();
        assertThat(rate.tryAcquire("V", t.plusMillis(200))).isFalse();
        assertThat(rate.tryAcquire("W", t.plusMillis(200))).as("per venue").isTrue();
        assertThat(rate.available("V", t.plusMillis(999))).isZero();
        assertThat(rate.tryAcquire("V", t.plusMillis(1000))).as("the first left the window").isTrue();
        assertThat(rate.tryAcquire("V", t.plusMillis(1050))).isFalse();
        assertThat(rate.tryAcquire("V", t.plusMillis(1100))).isTrue();
    }
}
