package io.tradergateway.simvenue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quickfix.Group;
import quickfix.Message;
import quickfix.field.ClOrdID;
import quickfix.field.HandlInst;
import quickfix.field.MDEntryType;
import quickfix.field.MDReqID;
import quickfix.field.MarketDepth;
import quickfix.field.MsgType;
import quickfix.field.NoRelatedSym;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.Price;
import quickfix.field.SecurityListRequestType;
import quickfix.field.SecurityReqID;
import quickfix.field.Side;
import quickfix.field.SubscriptionRequestType;
import quickfix.field.Symbol;
import quickfix.field.TimeInForce;
import quickfix.field.TransactTime;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.tradergateway.simvenue.TestFixClient.field;
import static io.tradergateway.simvenue.TestFixClient.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sim venues speaking FIX 4.2 and FIXT.1.1 / FIX.5.0SP2 (sim-venue/extras SIM_FIX42 and SIM_FIXT), each with a client
 * session of that version whose dictionary validates every message the venue sends.
 */
@Timeout(90)
class SimVenueFixVersionTest extends SimVenueFixture {
    static final String FIX42 = "SIM_FIX42";
    static final String FIXT = "SIM_FIXT";

    @Override
    SimVenueConfig configure(SimVenueConfig base) {
        return base.withOnlyVenues("SIM_FAST")
                .withVenuesOf(SimVenueConfig.load(Path.of("sim-venue/extras")).withOnlyVenues(FIX42, FIXT))
                .withEveryProfile(p -> p.predictable().withAckLatency(Duration.ofMillis(1)))
                .withFreePorts();
    }

    // ---------------------------------------------------------------- FIX 4.2

    static quickfix.fix42.NewOrderSingle order42(String clOrdId, char side, String qty, char ordType, String price, char tif) {
        quickfix.fix42.NewOrderSingle m = new quickfix.fix42.NewOrderSingle(new ClOrdID(clOrdId),
                new HandlInst(HandlInst.AUTOMATED_EXECUTION_ORDER_PRIVATE_NO_BROKER_INTERVENTION), new Symbol("AAPL"),
                new Side(side), new TransactTime(), new OrdType(ordType));
        m.set(new OrderQty(Double.parseDouble(qty)));
        if (price != null) m.setDecimal(Price.FIELD, new BigDecimal(price));
        m.setChar(TimeInForce.FIELD, tif);
        return m;
    }

    @Test
    void sessionsSpeakTheirConfiguredVersions() {
        assertEquals("FIX.4.2", client.sessionId(FIX42).getBeginString());
        assertEquals("FIXT.1.1", client.sessionId(FIXT).getBeginString());
        assertEquals("FIX.4.4", client.sessionId("SIM_FAST").getBeginString());
        assertTrue(sim.isLoggedOn(FIX42) && sim.isLoggedOn(FIXT) && sim.isLoggedOn("SIM_FAST"));
    }

    @Test
    void fix42MarketOrderGetsNewThenPartialThenFillWithExecTransType() {
        sim.setMid("AAPL", new BigDecimal("190.00"));
        // SIM_FIX42, 3 bps around 190.00 (tick-rounded): offers 190.03 x 500, 190.04 x 750
        client.send(FIX42, order42("A1", Side.BUY, "700", OrdType.MARKET, null, TimeInForce.DAY));
        Message filled = client.awaitStatus(FIX42, "A1", '2');
        assertEquals("FIX.4.2", field(filled.getHeader(), 8));
        assertTrue(filled instanceof quickfix.fix42.ExecutionReport, filled.getClass().getName());

        List<Message> reports = client.reports(FIX42, "A1");
        assertEquals(List.of("0", "1", "2"), reports.stream().map(m -> field(m, 150)).toList());
        assertEquals(List.of("0", "1", "2"), reports.stream().map(m -> field(m, 39)).toList());
        assertEquals(List.of("0", "0", "0"), reports.stream().map(m -> field(m, 20)).toList());
        assertEquals(List.of("500@190.03", "200@190.04"),
                reports.subList(1, 3).stream().map(m -> field(m, 32) + "@" + field(m, 31)).toList());
        assertEquals(List.of("200", "0"), reports.subList(1, 3).stream().map(m -> field(m, 151)).toList());
        assertEquals(List.of("500", "700"), reports.subList(1, 3).stream().map(m -> field(m, 14)).toList());
        assertEquals(0, new BigDecimal(field(filled, 6)).compareTo(new BigDecimal("190.032857")), field(filled, 6));
        // plain ExecIDs from the profile's execIdStart (1)
        assertEquals(List.of("1", "2", "3"), reports.stream().map(m -> field(m, 17)).toList());
        assertTrue(client.messages(FIX42).stream().noneMatch(m -> type(m).equals(MsgType.REJECT)));
    }

    @Test
    void fix42LimitRestsThenCancelsAndAStatusRequestGetsExecTransTypeStatus() throws Exception {
        sim.setMid("AAPL", new BigDecimal("190.00"));
        client.send(FIX42, order42("B1", Side.BUY, "100", OrdType.LIMIT, "185.00", TimeInForce.DAY));
        client.awaitExecType(FIX42, "B1", '0');

        quickfix.fix42.OrderStatusRequest status = new quickfix.fix42.OrderStatusRequest(new ClOrdID("B1"),
                new Symbol("AAPL"), new Side(Side.BUY));
        client.send(FIX42, status);
        Message answer = client.await(FIX42, m -> "B1".equals(field(m, 11)) && "3".equals(field(m, 20)));
        assertEquals("0", field(answer, 150), "a status answer carries the order's status as ExecType in 4.2");
        assertEquals("0", field(answer, 39));

        quickfix.fix42.OrderCancelRequest cancel = new quickfix.fix42.OrderCancelRequest(new OrigClOrdID("B1"),
                new ClOrdID("B2"), new Symbol("AAPL"), new Side(Side.BUY), new TransactTime());
        cancel.set(new OrderQty(100));
        client.send(FIX42, cancel);
        Message canceled = client.awaitExecType(FIX42, "B2", '4');
        assertEquals("4", field(canceled, 39));
        assertEquals("B1", field(canceled, 41));
        assertEquals("0", field(canceled, 20));

        // unknown order: OrderCancelReject in 4.2 (CxlRejReason 1)
        quickfix.fix42.OrderCancelRequest unknown = new quickfix.fix42.OrderCancelRequest(new OrigClOrdID("NOPE"),
                new ClOrdID("B3"), new Symbol("AAPL"), new Side(Side.BUY), new TransactTime());
        client.send(FIX42, unknown);
        Message cxlReject = client.await(FIX42, m -> type(m).equals(MsgType.ORDER_CANCEL_REJECT) && "B3".equals(field(m, 11)));
        assertEquals("1", field(cxlReject, 102));
        assertTrue(client.messages(FIX42).stream().noneMatch(m -> type(m).equals(MsgType.REJECT)));
    }

    @Test
    void fix42RejectReasonsNewerThan42BecomeBrokerOptionWithTheTextKept() {
        client.send(FIX42, order42("Q1", Side.BUY, "0", OrdType.MARKET, null, TimeInForce.DAY));
        Message reject = client.awaitExecType(FIX42, "Q1", '8');
        assertEquals("0", field(reject, 103), "13 (incorrect quantity) is not a FIX 4.2 OrdRejReason");
        assertTrue(field(reject, 58).contains("quantity must be > 0"), field(reject, 58));
        assertEquals("0", field(reject, 20));

        client.send(FIX42, order42("Q2", Side.BUY, "10", OrdType.LIMIT, "190.001", TimeInForce.DAY));
        assertTrue(field(client.awaitExecType(FIX42, "Q2", '8'), 58).contains("tick size"));
    }

    @Test
    void fix42MarketDataSnapshotAndUpdates() {
        sim.setMid("AAPL", new BigDecimal("190.00"));
        quickfix.fix42.MarketDataRequest request = new quickfix.fix42.MarketDataRequest(new MDReqID("MD42"),
                new SubscriptionRequestType(SubscriptionRequestType.SNAPSHOT_UPDATES), new MarketDepth(2));
        for (char t : new char[] {MDEntryType.BID, MDEntryType.OFFER}) {
            quickfix.fix42.MarketDataRequest.NoMDEntryTypes g = new quickfix.fix42.MarketDataRequest.NoMDEntryTypes();
            g.set(new MDEntryType(t));
            request.addGroup(g);
        }
        quickfix.fix42.MarketDataRequest.NoRelatedSym sym = new quickfix.fix42.MarketDataRequest.NoRelatedSym();
        sym.set(new Symbol("AAPL"));
        request.addGroup(sym);
        client.send(FIX42, request);
        Message snapshot = client.await(FIX42, m -> type(m).equals(MsgType.MARKET_DATA_SNAPSHOT_FULL_REFRESH));
        assertEquals("AAPL", field(snapshot, 55));
        assertEquals(4, snapshot.getGroups(268).size());
        assertEquals("190.03", field(snapshot.getGroups(268).get(2), 270));

        sim.setMid("AAPL", new BigDecimal("191.00"));
        Message update = client.await(FIX42, m -> type(m).equals(MsgType.MARKET_DATA_INCREMENTAL_REFRESH));
        assertFalse(update.getGroups(268).isEmpty());
        assertTrue(client.messages(FIX42).stream().noneMatch(m -> type(m).equals(MsgType.REJECT)));
    }

    @Test
    void fix42HasNoSecurityListRequestAndTheVenueSaysSo() {
        Message request = new Message();
        request.getHeader().setString(MsgType.FIELD, MsgType.SECURITY_LIST_REQUEST);
        request.setString(SecurityReqID.FIELD, "SL42");
        request.setInt(SecurityListRequestType.FIELD, SecurityListRequestType.ALL_SECURITIES);
        client.send(FIX42, request);
        Message answer = client.await(FIX42, m -> type(m).equals(MsgType.REJECT) || type(m).equals(MsgType.BUSINESS_MESSAGE_REJECT));
        // FIX 4.2 has no 35=x: QuickFIX/J's session (FIX42.xml) rejects it at session level before the venue sees it,
        // a Reject (35=3) with SessionRejectReason 11 (invalid MsgType), not a BusinessMessageReject
        assertEquals(MsgType.REJECT, type(answer));
        assertEquals("x", field(answer, 372));
        assertEquals("11", field(answer, 373));
        assertEquals("35", field(answer, 371));
    }

    @Test
    void fix42ExecIdsStartAgainAfterTheSimRestarts() {
        client.send(FIX42, order42("E1", Side.BUY, "10", OrdType.MARKET, null, TimeInForce.DAY));
        client.awaitStatus(FIX42, "E1", '2');
        assertEquals(List.of("1", "2"), client.reports(FIX42, "E1").stream().map(m -> field(m, 17)).toList());

        sim = sim.restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.isLoggedOn(FIX42) && sim.isLoggedOn(FIX42));
        client.send(FIX42, order42("E2", Side.BUY, "10", OrdType.MARKET, null, TimeInForce.DAY));
        client.awaitStatus(FIX42, "E2", '2');
        assertEquals(List.of("1", "2"), client.reports(FIX42, "E2").stream().map(m -> field(m, 17)).toList(),
                "the restarted venue numbers its ExecIDs from 1 again");
        // a shipped venue keeps run-unique ExecIDs across the restart
        client.send("SIM_FAST", TestFixClient.market("E3", "AAPL", Side.BUY, "10"));
        client.awaitStatus("SIM_FAST", "E3", '2');
        assertTrue(field(client.reports("SIM_FAST", "E3").get(0), 17).startsWith("E"));
    }

    // ---------------------------------------------------------------- FIXT.1.1 / FIX.5.0SP2

    @Test
    void fixtLimitOrderTradesInFix50sp2() {
        sim.setMid("AAPL", new BigDecimal("190.00"));
        quickfix.fix50sp2.NewOrderSingle order = new quickfix.fix50sp2.NewOrderSingle(new ClOrdID("X1"),
                new Side(Side.SELL), new TransactTime(), new OrdType(OrdType.LIMIT));
        order.set(new Symbol("AAPL"));
        order.set(new OrderQty(300));
        order.setDecimal(Price.FIELD, new BigDecimal("189.90"));
        order.setChar(TimeInForce.FIELD, TimeInForce.DAY);
        client.send(FIXT, order);
        Message filled = client.awaitStatus(FIXT, "X1", '2');
        assertEquals("FIXT.1.1", field(filled.getHeader(), 8));
        assertTrue(filled instanceof quickfix.fix50sp2.ExecutionReport, filled.getClass().getName());
        assertEquals(List.of("0", "F"), client.reports(FIXT, "X1").stream().map(m -> field(m, 150)).toList());
        assertEquals("300@189.97", field(filled, 32) + "@" + field(filled, 31));
        assertNull(field(filled, 20), "no ExecTransType after FIX 4.2");
        assertTrue(client.messages(FIXT).stream().noneMatch(m -> type(m).equals(MsgType.REJECT)));
    }

    @Test
    void fixtMarketDataAndCancelOfARestingLimit() {
        sim.setMid("AAPL", new BigDecimal("190.00"));
        quickfix.fix50sp2.MarketDataRequest request = new quickfix.fix50sp2.MarketDataRequest(new MDReqID("MDT"),
                new SubscriptionRequestType(SubscriptionRequestType.SNAPSHOT_UPDATES), new MarketDepth(1));
        for (char t : new char[] {MDEntryType.BID, MDEntryType.OFFER}) {
            quickfix.fix50sp2.MarketDataRequest.NoMDEntryTypes g = new quickfix.fix50sp2.MarketDataRequest.NoMDEntryTypes();
            g.set(new MDEntryType(t));
            request.addGroup(g);
        }
        quickfix.fix50sp2.MarketDataRequest.NoRelatedSym sym = new quickfix.fix50sp2.MarketDataRequest.NoRelatedSym();
        sym.set(new Symbol("AAPL"));
        request.addGroup(sym);
        client.send(FIXT, request);
        Message snapshot = client.await(FIXT, m -> type(m).equals(MsgType.MARKET_DATA_SNAPSHOT_FULL_REFRESH));
        assertEquals(List.of("189.97", "190.03"), snapshot.getGroups(268).stream().map(g -> field(g, 270)).toList());

        quickfix.fix50sp2.NewOrderSingle order = new quickfix.fix50sp2.NewOrderSingle(new ClOrdID("X2"),
                new Side(Side.BUY), new TransactTime(), new OrdType(OrdType.LIMIT));
        order.set(new Symbol("AAPL"));
        order.set(new OrderQty(100));
        order.setDecimal(Price.FIELD, new BigDecimal("180.00"));
        client.send(FIXT, order);
        client.awaitExecType(FIXT, "X2", '0');
        quickfix.fix50sp2.OrderCancelRequest cancel = new quickfix.fix50sp2.OrderCancelRequest(new ClOrdID("X3"),
                new Side(Side.BUY), new TransactTime());
        cancel.set(new OrigClOrdID("X2"));
        cancel.set(new Symbol("AAPL"));
        client.send(FIXT, cancel);
        assertEquals("X2", field(client.awaitExecType(FIXT, "X3", '4'), 41));

        sim.setMid("AAPL", new BigDecimal("191.00"));
        Message update = client.await(FIXT, m -> type(m).equals(MsgType.MARKET_DATA_INCREMENTAL_REFRESH));
        assertFalse(update.getGroups(268).isEmpty());
        assertTrue(client.messages(FIXT).stream().noneMatch(m -> type(m).equals(MsgType.REJECT)));
    }

    @Test
    void fixtSecurityListNamesLotAndTickSize() {
        quickfix.fix50sp2.SecurityListRequest request = new quickfix.fix50sp2.SecurityListRequest(
                new SecurityReqID("SLT"), new SecurityListRequestType(SecurityListRequestType.ALL_SECURITIES));
        client.send(FIXT, request);
        Message list = client.await(FIXT, m -> type(m).equals(MsgType.SECURITY_LIST));
        Map<String, String> lotAndTick = new TreeMap<>();
        for (Group g : list.getGroups(NoRelatedSym.FIELD)) lotAndTick.put(field(g, 55), field(g, 561) + "/" + field(g, 969));
        assertEquals(Map.of("AAPL", "1/0.01", "MSFT", "1/0.01", "NVDA", "1/0.01", "SPY", "1/0.01", "TSLA", "1/0.01"), lotAndTick);
        assertTrue(client.messages(FIXT).stream().noneMatch(m -> type(m).equals(MsgType.REJECT)));
    }
}
