package io.tradergateway.simvenue;

import org.junit.jupiter.api.Test;
import quickfix.Message;
import quickfix.field.Side;
import quickfix.field.TimeInForce;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static io.tradergateway.simvenue.TestFixClient.decimal;
import static io.tradergateway.simvenue.TestFixClient.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TimeInForce DAY: a DAY order still working at the end of the venue's trading day ({@code dayEndUtc}, here 16:00)
 * expires with ExecType/OrdStatus EXPIRED (C); a GTC order does not. The sim's clock is moved to just before
 * 16:00 UTC so the day ends during the test.
 */
class SimVenueDayOrderTest extends SimVenueFixture {
    private static final String FAST = "SIM_FAST";
    private static final LocalTime DAY_END = LocalTime.of(16, 0);

    @Override
    SimVenueConfig configure(SimVenueConfig base) {
        return base.withDayEndUtc(DAY_END);
    }

    private final SettableClock simClock = new SettableClock();

    @Override
    Clock clock() {
        return simClock;
    }

    @Test
    void workingDayOrderExpiresAtTheEndOfTheTradingDayAndGtcDoesNot() {
        sim.setMid("AAPL", bd("190.00"));
        // Sessions are up: the sim's clock now says one and a half seconds before 16:00 UTC today.
        simClock.set(LocalDate.now(ZoneOffset.UTC).atTime(DAY_END).toInstant(ZoneOffset.UTC).minusMillis(1500));
        client.send(FAST, TestFixClient.limit("DAY1", "AAPL", Side.BUY, "100", "189.00", TimeInForce.DAY));
        client.send(FAST, TestFixClient.limit("GTC1", "AAPL", Side.BUY, "100", "188.00", TimeInForce.GOOD_TILL_CANCEL));
        client.awaitExecType(FAST, "DAY1", '0');
        client.awaitExecType(FAST, "GTC1", '0');

        Message expired = client.awaitExecType(FAST, "DAY1", 'C');
        assertEquals("C", field(expired, 39));
        assertEquals("0", field(expired, 59));
        assertTrue(same(bd("0"), decimal(expired, 151)));
        assertTrue(same(bd("0"), decimal(expired, 14)));
        assertTrue(field(expired, 58).contains("end of the trading day"), field(expired, 58));
        assertEquals(List.of("GTC1"), sim.workingOrders(FAST));

        // The expired order no longer fills; the GTC one still does.
        sim.setMid("AAPL", bd("187.50"));
        client.awaitStatus(FAST, "GTC1", '2');
        assertTrue(sim.executions(FAST).stream().noneMatch(e -> e.clOrdId().equals("DAY1")));
    }

    @Test
    void theNextDayEndIsTodaysUntilItPassesThenTomorrows() {
        Instant morning = Instant.parse("2026-03-02T09:00:00Z");
        assertEquals(Instant.parse("2026-03-02T16:00:00Z"), SimMarket.nextDayEnd(morning, DAY_END));
        assertEquals(Instant.parse("2026-03-03T16:00:00Z"), SimMarket.nextDayEnd(Instant.parse("2026-03-02T16:00:00Z"), DAY_END));
        assertEquals(Instant.parse("2026-03-03T16:00:00Z"), SimMarket.nextDayEnd(Instant.parse("2026-03-02T23:59:59Z"), DAY_END));
    }

    /** The system clock shifted by an offset the test sets (the sim's timers still run in real time). */
    static final class SettableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void set(Instant now) {
            offset = Duration.between(Instant.now(), now);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }
}
