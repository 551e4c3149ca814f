package io.tradergateway.simvenue;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quickfix.Message;
import quickfix.field.OrdType;
import quickfix.field.Side;
import quickfix.field.TimeInForce;

import java.time.Duration;
import java.util.List;

import static io.tradergateway.simvenue.TestFixClient.decimal;
import static io.tradergateway.simvenue.TestFixClient.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scripted outcomes, random rejects, ack delays, dropped sessions, book exhaustion and sliced partial fills. */
@Timeout(60)
class SimVenueFaultTest extends SimVenueFixture {
    private static final String FAST = "SIM_FAST";
    private static final String CHEAP = "SIM_CHEAP";

    @Override
    SimVenueConfig configure(SimVenueConfig base) {
        // SIM_CHEAP always works an order in 3 slices, 60 ms apart
        return base.withProfile(CHEAP, p -> p.withPartialFillProbability(1.0).withPartialFillSlices(3)
                .withPartialFillInterval(Duration.ofMillis(60)));
    }

    private List<String> execTypes(String venue, String clOrdId) {
        return client.reports(venue, clOrdId).stream().map(m -> field(m, 150)).toList();
    }

    @Test
    void scriptedRejectAppliesToTheNextOrderOnly() {
        sim.scriptNext(FAST, ScriptedOutcome.reject("venue halted"));
        client.send(FAST, TestFixClient.market("SR1", "AAPL", Side.BUY, "10"));
        Message reject = client.awaitExecType(FAST, "SR1", '8');
        assertEquals("8", field(reject, 39));
        assertEquals("0", field(reject, 103));
        assertEquals("venue halted", field(reject, 58));
        client.send(FAST, TestFixClient.market("SR2", "AAPL", Side.BUY, "10"));
        client.awaitStatus(FAST, "SR2", '2');
    }

    @Test
    void scriptedPartialFillsThenLeavesTheRestWorkingUntilCancelled() {
        sim.setMid("AAPL", bd("190.00"));
        sim.scriptNext(FAST, ScriptedOutcome.partial(bd("100")));
        client.send(FAST, TestFixClient.market("SP1", "AAPL", Side.BUY, "300"));
        Message partial = client.awaitStatus(FAST, "SP1", '1');
        assertTrue(same(bd("100"), decimal(partial, 32)));
        assertTrue(same(bd("190.02"), decimal(partial, 31)));
        assertTrue(same(bd("200"), decimal(partial, 151)));
        sim.setMid("AAPL", bd("189.00"));
        client.send(FAST, TestFixClient.status("SP1", "AAPL", Side.BUY));
        Message status = client.awaitExecType(FAST, "SP1", 'I');
        assertEquals("1", field(status, 39));
        assertTrue(same(bd("100"), decimal(status, 14)), "the remainder never fills");
        client.send(FAST, TestFixClient.cancel("SP1-c", "SP1", "AAPL", Side.BUY, "300"));
        Message canceled = client.awaitExecType(FAST, "SP1-c", '4');
        assertTrue(same(bd("100"), decimal(canceled, 14)));
    }

    @Test
    void scriptedNeverFillAcksAndRestsEvenWhenMarketable() {
        sim.setMid("AAPL", bd("190.00"));
        sim.scriptNext(FAST, ScriptedOutcome.neverFill());
        client.send(FAST, TestFixClient.limit("SN1", "AAPL", Side.BUY, "100", "190.02", TimeInForce.DAY));
        client.awaitExecType(FAST, "SN1", '0');
        sim.setMid("AAPL", bd("185.00"));
        client.send(FAST, TestFixClient.status("SN1", "AAPL", Side.BUY));
        Message status = client.awaitExecType(FAST, "SN1", 'I');
        assertEquals("0", field(status, 39));
        assertTrue(sim.executions(FAST).isEmpty());
        assertEquals(List.of("0", "I"), execTypes(FAST, "SN1"));
    }

    @Test
    void scriptedFillAllFillsBeyondTheBook() {
        sim.setMid("AAPL", bd("190.00"));
        sim.scriptNext(FAST, ScriptedOutcome.fillAll());
        client.send(FAST, TestFixClient.market("SF1", "AAPL", Side.BUY, "2000"));
        Message filled = client.awaitStatus(FAST, "SF1", '2');
        assertTrue(same(bd("2000"), decimal(filled, 14)));
    }

    @Test
    void marketOrderLargerThanTheBookFillsWhatIsThereAndCancelsTheRest() {
        sim.setMid("AAPL", bd("190.00"));
        client.send(FAST, TestFixClient.market("BIG", "AAPL", Side.BUY, "2000"));
        Message canceled = client.awaitExecType(FAST, "BIG", '4');
        assertTrue(same(bd("1500"), decimal(canceled, 14)), "200+250+300+350+400 on SIM_FAST");
        assertTrue(field(canceled, 58).contains("liquidity"));
        assertEquals(List.of("0", "F", "F", "F", "F", "F", "4"), execTypes(FAST, "BIG"));
    }

    @Test
    void rejectRateRejectsValidOrders() {
        sim.setRejectRate(FAST, 1.0);
        client.send(FAST, TestFixClient.market("RR1", "AAPL", Side.BUY, "10"));
        assertTrue(field(client.awaitExecType(FAST, "RR1", '8'), 58).contains("rejectRate"));
        sim.setRejectRate(FAST, 0.0);
        client.send(FAST, TestFixClient.market("RR2", "AAPL", Side.BUY, "10"));
        client.awaitStatus(FAST, "RR2", '2');
    }

    @Test
    void ackDelayHoldsBackTheAckAndTheFillsComeAfterIt() {
        sim.setAckDelay(FAST, Duration.ofMillis(300), Duration.ZERO);
        long sent = System.nanoTime();
        client.send(FAST, TestFixClient.market("AD1", "AAPL", Side.BUY, "10"));
        client.awaitExecType(FAST, "AD1", '0');
        long elapsedMs = (System.nanoTime() - sent) / 1_000_000;
        assertTrue(elapsedMs >= 300, "ack after " + elapsedMs + " ms");
        client.awaitStatus(FAST, "AD1", '2');
        assertEquals(List.of("0", "F"), execTypes(FAST, "AD1"));
    }

    @Test
    void droppedSessionComesBackAndKeepsWorking() {
        sim.dropSession(FAST);
        Awaitility.await().atMost(TestFixClient.WAIT).until(() -> !client.isLoggedOn(FAST));
        Awaitility.await().atMost(TestFixClient.WAIT).until(() -> sim.isLoggedOn(FAST) && client.isLoggedOn(FAST));
        client.send(FAST, TestFixClient.market("DS1", "AAPL", Side.BUY, "10"));
        client.awaitStatus(FAST, "DS1", '2');
    }

    @Test
    void cheapVenueWorksOrdersInSlicesOverTime() {
        sim.setMid("AAPL", bd("190.00"));
        client.send(CHEAP, TestFixClient.market("SL1", "AAPL", Side.BUY, "300"));
        client.awaitStatus(CHEAP, "SL1", '2');
        List<Message> reports = client.reports(CHEAP, "SL1");
        assertEquals(List.of("0", "F", "F", "F"), reports.stream().map(m -> field(m, 150)).toList());
        assertEquals(List.of("0", "1", "1", "2"), reports.stream().map(m -> field(m, 39)).toList());
        // CHEAP: 12 bps spread around 190.00 -> best offer 190.12 x 800; each slice is 100
        assertEquals(List.of("100@190.12", "100@190.12", "100@190.12"),
                reports.subList(1, 4).stream().map(m -> field(m, 32) + "@" + field(m, 31)).toList());
        // fee 0.1 bps of 19012 = 0.19012 -> 0.1901
        assertEquals("0.1901", field(reports.get(1), 12));

        // a limit order in slices: the slices continue while it is marketable, then it rests
        client.send(CHEAP, TestFixClient.order("SL2", "AAPL", Side.SELL, "600", OrdType.LIMIT, "189.88", TimeInForce.DAY));
        client.awaitStatus(CHEAP, "SL2", '2');
        assertEquals(3, client.reports(CHEAP, "SL2").stream().filter(m -> "F".equals(field(m, 150))).count());
    }
}
