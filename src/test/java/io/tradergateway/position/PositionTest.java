package io.tradergateway.position;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.Direction;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Fill;
import io.tradergateway.domain.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PositionTest {
    private static final Instant T1 = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant T2 = T1.plusSeconds(60);
    private static final Instant T3 = T1.plusSeconds(120);
    private static int execSeq;

    static Fill fill(String symbol, Side side, String qty, String price, String fee, Instant time) {
        execSeq++;
        return new Fill("SIM_A", new ExecId("E" + execSeq), new ClOrdId("C" + execSeq), symbol, side,
                new BigDecimal(qty), new BigDecimal(price), new BigDecimal(fee), time);
    }

    static void assertDecimal(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }

    private static Position longPosition() {
        // BUY 100 @ 50 (fee 1) then BUY 50 @ 53 (fee 0.5): avg (5000 + 2650) / 150 = 51
        Position p = Position.flat("AAPL").apply(fill("AAPL", Side.BUY, "100", "50.00", "1.00", T1)).after();
        return p.apply(fill("AAPL", Side.BUY, "50", "53.00", "0.50", T2)).after();
    }

    @Test
    void openingLongFillSetsCostAndChargesTheFeeWithZeroImpact() {
        PositionUpdate update = Position.flat("AAPL").apply(fill("AAPL", Side.BUY, "100", "50.00", "1.00", T1));
        Position p = update.after();
        assertDecimal("100", p.quantity());
        assertDecimal("50", p.avgPrice());
        assertDecimal("-1.00", p.realizedPnl());
        assertDecimal("1.00", p.feesPaid());
        assertEquals(T1, p.openedAt());
        assertDecimal("0", update.realizedPnlImpact());
        assertEquals(Optional.of(Direction.LONG), p.direction());
        assertEquals(Optional.of(Side.SELL), p.exitSide());
    }

    @Test
    void addingUpdatesTheWeightedAverageCost() {
        Position p = longPosition();
        assertDecimal("150", p.quantity());
        assertDecimal("51", p.avgPrice());
        assertDecimal("-1.50", p.realizedPnl());
        assertDecimal("1.50", p.feesPaid());
        assertEquals(T1, p.openedAt(), "adding keeps the opening time");

        // (100·10 + 200·11) / 300 = 10.666… kept to 8 decimals, HALF_EVEN
        Position q = Position.flat("X").apply(fill("X", Side.BUY, "100", "10", "0", T1)).after()
                .apply(fill("X", Side.BUY, "200", "11", "0", T1)).after();
        assertEquals(new BigDecimal("10.66666667"), q.avgPrice());
    }

    @Test
    void partialThenFullCloseRealizesAgainstTheAverageCostNetOfFees() {
        // SELL 60 @ 55, fee 0.60: (55 − 51)·60 = 240 − 0.60 = 239.40
        PositionUpdate partial = longPosition().apply(fill("AAPL", Side.SELL, "60", "55.00", "0.60", T3));
        assertDecimal("239.40", partial.realizedPnlImpact());
        Position p = partial.after();
        assertDecimal("90", p.quantity());
        assertDecimal("51", p.avgPrice());
        assertDecimal("237.90", p.realizedPnl()); // −1.50 + 239.40
        assertDecimal("2.10", p.feesPaid());
        assertEquals(T1, p.openedAt());

        // SELL 90 @ 49, fee 0.90: (49 − 51)·90 = −180 − 0.90 = −180.90
        PositionUpdate close = p.apply(fill("AAPL", Side.SELL, "90", "49.00", "0.90", T3));
        assertDecimal("-180.90", close.realizedPnlImpact());
        Position flat = close.after();
        assertTrue(flat.isFlat());
        assertDecimal("0", flat.avgPrice());
        assertNull(flat.openedAt());
        assertDecimal("57.00", flat.realizedPnl()); // 237.90 − 180.90
        assertDecimal("3.00", flat.feesPaid());
        assertEquals(Optional.empty(), flat.direction());
    }

    @Test
    void shortOpenAndCover() {
        PositionUpdate open = Position.flat("TSLA").apply(fill("TSLA", Side.SELL, "200", "20.00", "2.00", T1));
        assertDecimal("-200", open.after().quantity());
        assertDecimal("20", open.after().avgPrice());
        assertDecimal("-2.00", open.after().realizedPnl());
        assertDecimal("0", open.realizedPnlImpact());
        assertEquals(Optional.of(Side.BUY), open.after().exitSide());

        // cover 50 @ 18: (18 − 20)·50·(−1) = +100, fee 0.5 → 99.5
        PositionUpdate cover = open.after().apply(fill("TSLA", Side.BUY, "50", "18.00", "0.50", T2));
        assertDecimal("99.50", cover.realizedPnlImpact());
        assertDecimal("-150", cover.after().quantity());
        assertDecimal("97.50", cover.after().realizedPnl());

        // cover 150 @ 21: (21 − 20)·150·(−1) = −150, fee 1.5 → −151.5
        PositionUpdate rest = cover.after().apply(fill("TSLA", Side.BUY, "150", "21.00", "1.50", T3));
        assertDecimal("-151.50", rest.realizedPnlImpact());
        assertTrue(rest.after().isFlat());
        assertDecimal("-54.00", rest.after().realizedPnl());
        assertDecimal("4.00", rest.after().feesPaid());
    }

    @Test
    void flipClosesThenOpensTheRemainderAtTheFillPrice() {
        Position lng = Position.flat("AAPL").apply(fill("AAPL", Side.BUY, "100", "50", "0", T1)).after();
        // SELL 150 @ 52, fee 3: closes 100 → (52 − 50)·100 = 200; closing fee share 3·100/150 = 2
        PositionUpdate flip = lng.apply(fill("AAPL", Side.SELL, "150", "52", "3", T2));
        assertDecimal("198", flip.realizedPnlImpact());
        Position p = flip.after();
        assertDecimal("-50", p.quantity());
        assertDecimal("52", p.avgPrice());
        assertDecimal("197", p.realizedPnl()); // 200 − the whole fee 3
        assertDecimal("3", p.feesPaid());
        assertEquals(T2, p.openedAt());
    }

    @Test
    void reduceOnlyQuantityNeverFlipsOrIncreases() {
        Position lng = longPosition(); // +150
        assertDecimal("150", lng.reduceOnlyQuantity(Side.SELL, new BigDecimal("200")));
        assertDecimal("40", lng.reduceOnlyQuantity(Side.SELL, new BigDecimal("40")));
        assertDecimal("0", lng.reduceOnlyQuantity(Side.BUY, new BigDecimal("10")));

        Position shrt = Position.flat("T").apply(fill("T", Side.SELL, "50", "10", "0", T1)).after();
        assertDecimal("50", shrt.reduceOnlyQuantity(Side.BUY, new BigDecimal("80")));
        assertDecimal("0", shrt.reduceOnlyQuantity(Side.SELL, new BigDecimal("10")));

        assertDecimal("0", Position.flat("F").reduceOnlyQuantity(Side.SELL, new BigDecimal("5")));
        assertThrows(IllegalArgumentException.class, () -> lng.reduceOnlyQuantity(Side.SELL, new BigDecimal("-1")));
    }

    @Test
    void reduceOnlyQuantityLeavesOutWhatOtherWorkingExitsWillAlreadyTakeOff() {
        Position lng = longPosition(); // +150
        // Another exit is already selling 100: only 50 is left to sell without going short.
        assertDecimal("50", lng.reduceOnlyQuantity(Side.SELL, new BigDecimal("100"), new BigDecimal("100")));
        assertDecimal("30", lng.reduceOnlyQuantity(Side.SELL, new BigDecimal("30"), new BigDecimal("100")));
        // Already covered (or more than covered): nothing.
        assertDecimal("0", lng.reduceOnlyQuantity(Side.SELL, new BigDecimal("100"), new BigDecimal("150")));
        assertDecimal("0", lng.reduceOnlyQuantity(Side.SELL, new BigDecimal("100"), new BigDecimal("400")));

        Position shrt = Position.flat("T").apply(fill("T", Side.SELL, "50", "10", "0", T1)).after();
        assertDecimal("20", shrt.reduceOnlyQuantity(Side.BUY, new BigDecimal("50"), new BigDecimal("30")));
        assertThrows(IllegalArgumentException.class,
                () -> lng.reduceOnlyQuantity(Side.SELL, BigDecimal.ONE, new BigDecimal("-1")));
    }

    @Test
    void unrealizedPnlForLongShortAndFlat() {
        assertDecimal("375", longPosition().unrealizedPnl(new BigDecimal("53.50"))); // (53.5 − 51)·150
        assertDecimal("373.50", longPosition().totalPnl(new BigDecimal("53.50"))); // −1.50 + 375
        Position shrt = Position.flat("T").apply(fill("T", Side.SELL, "150", "20", "0", T1)).after();
        assertDecimal("300", shrt.unrealizedPnl(new BigDecimal("18")));  // (18 − 20)·(−150)
        assertDecimal("-300", shrt.unrealizedPnl(new BigDecimal("22")));
        assertDecimal("0", Position.flat("F").unrealizedPnl(new BigDecimal("99")));
    }

    @Test
    void rejectsAFillOfAnotherSymbolAndInconsistentRecords() {
        assertThrows(IllegalArgumentException.class,
                () -> Position.flat("AAPL").apply(fill("MSFT", Side.BUY, "1", "1", "0", T1)));
        assertThrows(IllegalArgumentException.class,
                () -> new Position("A", BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ZERO, null));
        assertThrows(IllegalArgumentException.class,
                () -> new Position("A", BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ZERO, null));
    }

    @Test
    void bookKeepsOnePositionPerSymbolIncludingFlatOnes() {
        PositionBook book = new PositionBook();
        assertTrue(book.get("AAPL").isFlat());
        book.apply(fill("AAPL", Side.BUY, "10", "100", "0.10", T1));
        book.apply(fill("MSFT", Side.SELL, "5", "300", "0", T1));
        PositionUpdate close = book.apply(fill("AAPL", Side.SELL, "10", "101", "0.10", T2));
        assertDecimal("9.90", close.realizedPnlImpact()); // (101 − 100)·10 − 0.10
        assertTrue(book.get("AAPL").isFlat());
        assertDecimal("9.80", book.get("AAPL").realizedPnl());
        assertDecimal("-5", book.get("MSFT").quantity());
        assertEquals(2, book.all().size());
    }
}
