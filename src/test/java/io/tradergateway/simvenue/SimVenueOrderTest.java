package io.tradergateway.simvenue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quickfix.Message;
import quickfix.field.MsgType;
import quickfix.field.OrdType;
import quickfix.field.Side;
import quickfix.field.TimeInForce;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.tradergateway.simvenue.TestFixClient.decimal;
import static io.tradergateway.simvenue.TestFixClient.field;
import static io.tradergateway.simvenue.TestFixClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

/**
 * Limit orders, TimeInForce, cancel, replace, cancel-reject and status over FIX. Books are regenerated with
 * setMid so the numbers are exact; SIM_FAST around 190.00 (2 bps): bids 189.98 x 200, 189.97 x 250, 189.96 x 300,
 * 189.95 x 350, 189.94 x 400; offers 190.02 x 200, 190.03 x 250, 190.04 x 300, 190.05 x 350, 190.06 x 400.
 */
@Timeout(60)
class SimVenueOrderTest extends SimVenueFixture {
    private static final String FAST = "SIM_FAST";

    private List<String> execTypes(String clOrdId) {
        return client.reports(FAST, clOrdId).stream().map(m -> field(m, 150)).toList();
    }

    @Test
    void restingLimitOrderFillsAtItsLimitWhenThePriceCrossesPartiallyThenFully() {
        sim.setMid("AAPL", bd("190.00"));
        client.send(FAST, TestFixClient.limit("L1", "AAPL", Side.BUY, "1000", "189.88", TimeInForce.DAY));
        Message ack = client.awaitExecType(FAST, "L1", '0');
        assertEquals("0", field(ack, 39));
        assertTrue(same(bd("1000"), decimal(ack, 151)));
        assertTrue(sim.executions(FAST).isEmpty(), "not marketable at 190.02: rests");

        // Mid 189.85 -> offers 189.87 x 200, 189.88 x 250 are at or below the limit: 450 fill at 189.88
        sim.setMid("AAPL", bd("189.85"));
        Message partial = client.awaitStatus(FAST, "L1", '1');
        assertEquals("F", field(partial, 150));
        assertTrue(same(bd("450"), decimal(partial, 32)));
        assertTrue(same(bd("189.88"), decimal(partial, 31)));
        assertTrue(same(bd("550"), decimal(partial, 151)));

        // Mid 189.80 -> offers from 189.82: the whole rest crosses
        sim.setMid("AAPL", bd("189.80"));
        Message filled = client.awaitStatus(FAST, "L1", '2');
        assertTrue(same(bd("550"), decimal(filled, 32)));
        assertTrue(same(bd("189.88"), decimal(filled, 31)));
        assertTrue(same(bd("1000"), decimal(filled, 14)));
        assertTrue(same(bd("0"), decimal(filled, 151)));
        assertTrue(same(bd("189.88"), decimal(filled, 6)));
        assertEquals(List.of("0", "F", "F"), execTypes("L1"));
    }

    @Test
    void marketableLimitOrderTakesTheBookUpToItsLimitAtBookPrices() {
        sim.setMid("AAPL", bd("190.00"));
        client.send(FAST, TestFixClient.limit("L2", "AAPL", Side.SELL, "300", "189.97", TimeInForce.DAY));
        Message last = client.awaitStatus(FAST, "L2", '2');
        List<Message> reports = client.reports(FAST, "L2");
        assertEquals(List.of("200@189.98", "100@189.97"),
                reports.subList(1, 3).stream().map(m -> field(m, 32) + "@" + field(m, 31)).toList());
        // (200*189.98 + 100*189.97)/300 = 56993/300 = 189.976666...
        assertTrue(same(bd("189.976667"), decimal(last, 6)), field(last, 6));
    }

    @Test
    void iocFillsWhatIsThereAndCancelsTheRest() {
        sim.setMid("AAPL", bd("190.00"));
        client.send(FAST, TestFixClient.limit("I1", "AAPL", Side.BUY, "600", "190.03", TimeInForce.IMMEDIATE_OR_CANCEL));
        Message canceled = client.awaitExecType(FAST, "I1", '4');
        assertEquals(List.of("0", "F", "F", "4"), execTypes("I1"));
        assertEquals("4", field(canceled, 39));
        assertTrue(same(bd("450"), decimal(canceled, 14)), "200 @ 190.02 + 250 @ 190.03");
        assertTrue(same(bd("0"), decimal(canceled, 151)));
        assertTrue(field(canceled, 58).contains("IOC"));
    }

    @Test
    void fokFillsCompletelyOrNotAtAll() {
        sim.setMid("AAPL", bd("190.00"));
        client.send(FAST, TestFixClient.limit("K1", "AAPL", Side.BUY, "600", "190.03", TimeInForce.FILL_OR_KILL));
        Message killed = client.awaitExecType(FAST, "K1", '4');
        assertEquals(List.of("0", "4"), execTypes("K1"));
        assertTrue(same(bd("0"), decimal(killed, 14)), "only 450 at or below 190.03: nothing fills");
        assertTrue(sim.executions(FAST).isEmpty());

        client.send(FAST, TestFixClient.limit("K2", "AAPL", Side.BUY, "400", "190.03", TimeInForce.FILL_OR_KILL));
        Message filled = client.awaitStatus(FAST, "K2", '2');
        assertEquals(List.of("0", "F", "F"), execTypes("K2"));
        assertTrue(same(bd("400"), decimal(filled, 14)));
    }

    @Test
    void gtdOrderExpiresAtItsExpireTime() {
        sim.setMid("AAPL", bd("190.00"));
        Instant expiry = Instant.now().plusMillis(800);
        client.send(FAST, TestFixClient.gtd("G1", "AAPL", Side.BUY, "100", "189.00", expiry));
        client.awaitExecType(FAST, "G1", '0');
        Message expired = client.awaitExecType(FAST, "G1", 'C');
        assertEquals("C", field(expired, 39));
        assertTrue(same(bd("0"), decimal(expired, 151)));
        assertEquals("6", field(expired, 59));
        assertTrue(field(expired, 126) != null);
        // expired orders no longer fill
        sim.setMid("AAPL", bd("188.00"));
        assertTrue(sim.executions(FAST).isEmpty());
    }

    @Test
    void gtdOrderOutlivesItsExpireTimeWhenTheVenueIsToldToIgnoreIt() {
        sim.setMid("AAPL", bd("190.00"));
        sim.setHonourExpireTime(FAST, false);
        Instant expiry = Instant.now().plusMillis(300);
        client.send(FAST, TestFixClient.gtd("G3", "AAPL", Side.BUY, "100", "189.00", expiry));
        client.awaitExecType(FAST, "G3", '0');
        // A second past its ExpireTime the order is still working; only the client's cancel ends it.
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(expiry.plusSeconds(1)));
        assertEquals(List.of("G3"), sim.workingOrders(FAST));
        assertEquals(List.of("0"), execTypes("G3"));
        client.send(FAST, TestFixClient.cancel("G3-C", "G3", "AAPL", Side.BUY, "100"));
        Message canceled = client.awaitExecType(FAST, "G3-C", '4');
        assertEquals("4", field(canceled, 39));
        assertEquals(List.of(), sim.workingOrders(FAST));
    }

    @Test
    void gtdWithoutExpireTimeIsRejected() {
        client.send(FAST, TestFixClient.limit("G2", "AAPL", Side.BUY, "100", "189.00", TimeInForce.GOOD_TILL_DATE));
        Message reject = client.awaitExecType(FAST, "G2", '8');
        assertTrue(field(reject, 58).contains("ExpireTime"));
    }

    @Test
    void cancelRemovesARestingOrder() {
        sim.setMid("AAPL", bd("190.00"));
        client.send(FAST, TestFixClient.limit("C1", "AAPL", Side.BUY, "100", "189.50", TimeInForce.DAY));
        Message ack = client.awaitExecType(FAST, "C1", '0');
        assertEquals(List.of("C1"), sim.workingOrders(FAST));
        client.send(FAST, TestFixClient.cancel("C1-x", "C1", "AAPL", Side.BUY, "100"));
        Message canceled = client.awaitExecType(FAST, "C1-x", '4');
        assertEquals("4", field(canceled, 39));
        assertEquals("C1", field(canceled, 41));
        assertEquals(field(ack, 37), field(canceled, 37), "same OrderID");
        assertTrue(same(bd("0"), decimal(canceled, 151)));
        assertEquals(List.of(), sim.workingOrders(FAST));
        sim.setMid("AAPL", bd("189.00"));
        assertTrue(sim.executions(FAST).isEmpty(), "a cancelled order never fills");
        assertEquals(List.of("D", "F"), sim.received(FAST).stream().map(SimOrderEvent::msgType).toList());
    }

    @Test
    void cancelOfAnUnknownOrAFilledOrderIsRejectedWith35Eq9() {
        client.send(FAST, TestFixClient.cancel("X1", "NO-SUCH", "AAPL", Side.BUY, "100"));
        Message unknown = client.await(FAST, m -> type(m).equals(MsgType.ORDER_CANCEL_REJECT) && "X1".equals(field(m, 11)));
        assertEquals("NO-SUCH", field(unknown, 41));
        assertEquals("1", field(unknown, 102), "unknown order");
        assertEquals("1", field(unknown, 434), "response to a cancel request");
        assertEquals("NONE", field(unknown, 37));

        client.send(FAST, TestFixClient.market("F1", "AAPL", Side.BUY, "10"));
        client.awaitStatus(FAST, "F1", '2');
        client.send(FAST, TestFixClient.cancel("X2", "F1", "AAPL", Side.BUY, "10"));
        Message tooLate = client.await(FAST, m -> type(m).equals(MsgType.ORDER_CANCEL_REJECT) && "X2".equals(field(m, 11)));
        assertEquals("0", field(tooLate, 102), "too late to cancel");
        assertEquals("2", field(tooLate, 39), "the order is filled");

        client.send(FAST, TestFixClient.replace("X3", "NO-SUCH", "AAPL", Side.BUY, "10", OrdType.LIMIT, "190.00"));
        Message replaceReject = client.await(FAST, m -> type(m).equals(MsgType.ORDER_CANCEL_REJECT) && "X3".equals(field(m, 11)));
        assertEquals("2", field(replaceReject, 434), "response to a cancel/replace request");
    }

    @Test
    void replaceOfAFilledOrderIsRejectedTooLateWith35Eq9() {
        sim.setMid("AAPL", bd("190.00"));
        client.send(FAST, TestFixClient.limit("RF1", "AAPL", Side.BUY, "100", "190.02", TimeInForce.DAY));
        Message filled = client.awaitStatus(FAST, "RF1", '2');

        client.send(FAST, TestFixClient.replace("RF2", "RF1", "AAPL", Side.BUY, "150", OrdType.LIMIT, "190.10"));
        Message tooLate = client.await(FAST, m -> type(m).equals(MsgType.ORDER_CANCEL_REJECT) && "RF2".equals(field(m, 11)));
        assertEquals("RF1", field(tooLate, 41));
        assertEquals(field(filled, 37), field(tooLate, 37), "the filled order's OrderID");
        assertEquals("0", field(tooLate, 102), "too late to cancel");
        assertEquals("2", field(tooLate, 434), "response to a cancel/replace request");
        assertEquals("2", field(tooLate, 39), "the order stays filled");
        // Nothing else happened: no replaced report, no further fill.
        assertEquals(List.of("0", "F"), execTypes("RF1"));
        assertEquals(List.of(), client.reports(FAST, "RF2").stream().filter(m -> type(m).equals(MsgType.EXECUTION_REPORT)).toList());
        assertEquals(1, sim.executions(FAST).size());
    }

    @Test
    void replaceChangesQuantityAndPriceAndAMarketablePriceFills() {
        sim.setMid("AAPL", bd("190.00"));
        client.send(FAST, TestFixClient.limit("R1", "AAPL", Side.BUY, "100", "189.50", TimeInForce.DAY));
        Message ack = client.awaitExecType(FAST, "R1", '0');

        client.send(FAST, TestFixClient.replace("R2", "R1", "AAPL", Side.BUY, "150", OrdType.LIMIT, "189.60"));
        Message replaced = client.awaitExecType(FAST, "R2", '5');
        assertEquals("0", field(replaced, 39));
        assertEquals("R1", field(replaced, 41));
        assertEquals(field(ack, 37), field(replaced, 37));
        assertTrue(same(bd("150"), decimal(replaced, 38)));
        assertTrue(same(bd("189.60"), decimal(replaced, 44)));
        assertTrue(same(bd("150"), decimal(replaced, 151)));

        // now up to the offer: 150 of the 200 at 190.02 fill at once
        client.send(FAST, TestFixClient.replace("R3", "R2", "AAPL", Side.BUY, "150", OrdType.LIMIT, "190.02"));
        client.awaitExecType(FAST, "R3", '5');
        Message filled = client.awaitStatus(FAST, "R3", '2');
        assertTrue(same(bd("190.02"), decimal(filled, 31)));
        assertTrue(same(bd("150"), decimal(filled, 14)));

        // replacing below the filled quantity of a working order is refused
        client.send(FAST, TestFixClient.limit("R4", "AAPL", Side.BUY, "1000", "190.02", TimeInForce.DAY));
        client.awaitStatus(FAST, "R4", '1'); // 50 left at 190.02
        client.send(FAST, TestFixClient.replace("R5", "R4", "AAPL", Side.BUY, "50", OrdType.LIMIT, "190.02"));
        Message refused = client.await(FAST, m -> type(m).equals(MsgType.ORDER_CANCEL_REJECT) && "R5".equals(field(m, 11)));
        assertEquals("1", field(refused, 39));
        assertTrue(field(refused, 58).contains("filled quantity"));
    }

    @Test
    void statusRequestReportsTheCurrentStateOrUnknownOrder() {
        sim.setMid("AAPL", bd("190.00"));
        client.send(FAST, TestFixClient.limit("S1", "AAPL", Side.BUY, "1000", "190.02", TimeInForce.DAY));
        client.awaitStatus(FAST, "S1", '1'); // 200 at 190.02, 800 resting
        client.send(FAST, TestFixClient.status("S1", "AAPL", Side.BUY));
        Message status = client.awaitExecType(FAST, "S1", 'I');
        assertEquals("1", field(status, 39));
        assertTrue(same(bd("200"), decimal(status, 14)));
        assertTrue(same(bd("800"), decimal(status, 151)));
        assertTrue(same(bd("190.02"), decimal(status, 6)));
        assertNull(field(status, 32), "a status report is not a fill");

        client.send(FAST, TestFixClient.status("NOPE", "AAPL", Side.BUY));
        Message unknown = client.awaitExecType(FAST, "NOPE", 'I');
        assertEquals("8", field(unknown, 39));
        assertEquals("5", field(unknown, 103));
        assertEquals(List.of("D", "H", "H"), sim.received(FAST).stream().map(SimOrderEvent::msgType).toList());
    }

    @Test
    void badQuantityOrPriceIsRejected() {
        client.send(FAST, TestFixClient.market("B1", "AAPL", Side.BUY, "0"));
        assertEquals("13", field(client.awaitExecType(FAST, "B1", '8'), 103));
        client.send(FAST, TestFixClient.market("B2", "AAPL", Side.BUY, "10.5"));
        Message offLot = client.awaitExecType(FAST, "B2", '8');
        assertEquals("13", field(offLot, 103));
        assertTrue(field(offLot, 58).contains("lot size"));
        client.send(FAST, TestFixClient.limit("B3", "AAPL", Side.BUY, "10", "190.005", TimeInForce.DAY));
        Message offTick = client.awaitExecType(FAST, "B3", '8');
        assertTrue(field(offTick, 58).contains("tick size"), field(offTick, 58));
        client.send(FAST, TestFixClient.limit("B4", "AAPL", Side.BUY, "10", "-1", TimeInForce.DAY));
        assertTrue(field(client.awaitExecType(FAST, "B4", '8'), 58).contains("price must be > 0"));
        client.send(FAST, TestFixClient.market("B5", "AAPL", Side.BUY, "10"));
        client.awaitExecType(FAST, "B5", '0');
        client.send(FAST, TestFixClient.market("B5", "AAPL", Side.BUY, "10"));
        Message duplicate = client.await(FAST, m -> "B5".equals(field(m, 11)) && "8".equals(field(m, 150)));
        assertEquals("6", field(duplicate, 103));
    }
}
