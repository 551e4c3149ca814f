package io.tradergateway.venue;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;
import quickfix.field.ClOrdID;
import quickfix.field.HandlInst;
import quickfix.field.MsgType;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.Price;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.TimeInForce;
import quickfix.field.TransactTime;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the QuickFIX/J 2.3.1 Executor example really does, over real FIX sessions from a plain QuickFIX/J initiator
 * GATEWAY -> EXECUTOR that validates what it receives with the shipped dictionaries (as the gateway does).
 */
@Timeout(60)
class ExecutorVenueTest {
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    ExecutorVenue venue;
    Client client;

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (venue != null) venue.close();
    }

    private void start(ExecutorVenue.Options options, boolean validateFieldsOutOfRange) throws ConfigError {
        venue = ExecutorVenue.start(options);
        client = new Client(venue, validateFieldsOutOfRange);
    }

    @Test
    void fix42LimitOrderGetsAnAckThenOneFullFillAtItsLimit() throws Exception {
        start(ExecutorVenue.options(dir).beginString("FIX.4.2"), true);
        client.send(order42("L1", OrdType.LIMIT, "100", "50.25", TimeInForce.DAY));
        List<Message> reports = client.awaitReports("L1", 2);
        Message ack = reports.get(0);
        Message fill = reports.get(1);
        // the 2.3.1 ack: ExecType=2 (Fill) with OrdStatus=0 (New) and nothing filled
        assertEquals(List.of("2", "0", "0", "0"), fields(ack, 150, 39, 20, 14));
        assertEquals(List.of("2", "2", "0", "100", "50.25", "100", "0", "50.25"), fields(fill, 150, 39, 20, 32, 31, 14, 151, 6));
        // a new OrderID for every report, ExecIDs counting from 1
        assertEquals(List.of("1", "1"), fields(ack, 37, 17));
        assertEquals(List.of("2", "2"), fields(fill, 37, 17));
        assertTrue(client.rejects().isEmpty(), client.rejects().toString());
        assertEquals(1, venue.received(MsgType.ORDER_SINGLE).size());
    }

    @Test
    void fix44AckAndFillBothCarryTheOldExecType2WhichFix44DictionariesStillAccept() throws Exception {
        // dictionaries/FIX44.xml (like QuickFIX/J's own) still lists ExecType 1 and 2, so a validating client takes them
        start(ExecutorVenue.options(dir).beginString("FIX.4.4"), true);
        client.send(order44("L1", OrdType.LIMIT, "100", "50.25", TimeInForce.DAY));
        List<Message> reports = client.awaitReports("L1", 2);
        assertEquals(List.of("2", "0", "100", "0"), fields(reports.get(0), 150, 39, 151, 14));
        assertEquals(List.of("2", "2", "100", "50.25", "0", "100", "50.25"), fields(reports.get(1), 150, 39, 32, 31, 151, 14, 6));
        assertEquals(List.of("1", "2"), reports.stream().map(m -> field(m, 37)).toList(), "a new OrderID per report");
        assertTrue(client.rejects().isEmpty(), client.rejects().toString());
    }

    @Test
    void fix44WithCorrectedExecTypeIsAWellBehavedVenue() throws Exception {
        start(ExecutorVenue.options(dir).beginString("FIX.4.4").correctExecType(true).useDataDictionary(true), true);
        client.send(order44("L1", OrdType.LIMIT, "100", "50.25", TimeInForce.DAY));
        List<Message> reports = client.awaitReports("L1", 2);
        assertEquals(List.of("0", "0"), fields(reports.get(0), 150, 39));
        assertEquals(List.of("F", "2", "100", "50.25"), fields(reports.get(1), 150, 39, 32, 31));
        assertTrue(client.rejects().isEmpty(), client.rejects().toString());
    }

    @Test
    void fixtWithFix50sp2OrdersAreNotHandled() throws Exception {
        start(ExecutorVenue.options(dir).beginString("FIXT.1.1"), true);
        quickfix.fix50sp2.NewOrderSingle order = new quickfix.fix50sp2.NewOrderSingle(new ClOrdID("T1"),
                new Side(Side.BUY), new TransactTime(), new OrdType(OrdType.LIMIT));
        order.set(new Symbol("AAPL"));
        order.setDecimal(OrderQty.FIELD, new BigDecimal("10"));
        order.setDecimal(Price.FIELD, new BigDecimal("20.00"));
        client.send(order);
        Message answer = client.await(m -> type(m).equals(MsgType.BUSINESS_MESSAGE_REJECT) || type(m).equals(MsgType.REJECT)
                || type(m).equals(MsgType.EXECUTION_REPORT));
        assertEquals(List.of("j", "D", "3"), List.of(type(answer), field(answer, 372), field(answer, 380)),
                "the Executor has no FIX.5.0SP2 handler: unsupported message type");
    }

    @Test
    void execIdsAndOrderIdsStartAgainAfterRestart() throws Exception {
        start(ExecutorVenue.options(dir).beginString("FIX.4.2"), true);
        client.send(order42("A1", OrdType.LIMIT, "10", "20.00", TimeInForce.DAY));
        assertEquals(List.of("1", "2"), client.awaitReports("A1", 2).stream().map(m -> field(m, 17)).toList());
        int port = venue.port();

        venue.restart();
        assertEquals(port, venue.port());
        Awaitility.await().atMost(WAIT).until(() -> venue.isLoggedOn() && client.isLoggedOn());
        client.send(order42("A2", OrdType.LIMIT, "10", "20.00", TimeInForce.DAY));
        List<Message> again = client.awaitReports("A2", 2);
        assertEquals(List.of("1", "2"), again.stream().map(m -> field(m, 17)).toList(), "ExecIDs repeat after a restart");
        assertEquals(List.of("1", "2"), again.stream().map(m -> field(m, 37)).toList(), "so do OrderIDs");
        assertEquals(2, venue.starts());
    }

    @Test
    void cancelAndStatusRequestsGetBusinessMessageRejectUnsupportedMessageType() throws Exception {
        start(ExecutorVenue.options(dir).beginString("FIX.4.2"), true);
        client.send(order42("C1", OrdType.LIMIT, "10", "20.00", TimeInForce.DAY));
        client.awaitReports("C1", 2);

        quickfix.fix42.OrderCancelRequest cancel = new quickfix.fix42.OrderCancelRequest(new OrigClOrdID("C1"),
                new ClOrdID("C2"), new Symbol("AAPL"), new Side(Side.BUY), new TransactTime());
        cancel.set(new OrderQty(10));
        client.send(cancel);
        Message cancelReject = client.await(m -> type(m).equals(MsgType.BUSINESS_MESSAGE_REJECT) && "F".equals(field(m, 372)));
        assertEquals(field(cancel.getHeader(), 34), field(cancelReject, 45));
        assertEquals("3", field(cancelReject, 380));
        assertEquals("Unsupported Message Type", field(cancelReject, 58));

        client.send(new quickfix.fix42.OrderStatusRequest(new ClOrdID("C1"), new Symbol("AAPL"), new Side(Side.BUY)));
        Message statusReject = client.await(m -> type(m).equals(MsgType.BUSINESS_MESSAGE_REJECT) && "H".equals(field(m, 372)));
        assertEquals("3", field(statusReject, 380));
        assertEquals(List.of("D", "F", "H"), venue.received().stream().map(ExecutorVenue::type).toList());
    }

    @Test
    void marketOrdersNeedValidOrderTypesAndDefaultMarketPriceElseSessionReject() throws Exception {
        start(ExecutorVenue.options(dir).beginString("FIX.4.2").validOrderTypes("2"), true);
        client.send(order42("M1", OrdType.MARKET, "10", null, TimeInForce.DAY));
        Message reject = client.await(m -> type(m).equals(MsgType.REJECT));
        assertEquals(List.of("40", "5"), fields(reject, 371, 373), "a session Reject of OrdType, not an ExecutionReport");
        assertTrue(client.reports("M1").isEmpty());
    }

    @Test
    void marketOrderWithoutDefaultMarketPriceIsSessionRejectedEvenWhenMarketIsAValidOrderType() throws Exception {
        start(ExecutorVenue.options(dir).beginString("FIX.4.4").validOrderTypes("1,2"), true);
        client.send(order44("M1", OrdType.MARKET, "10", null, TimeInForce.DAY));
        Message reject = client.await(m -> type(m).equals(MsgType.REJECT));
        assertEquals(List.of("40", "5"), fields(reject, 371, 373));
        assertTrue(venue.sent().isEmpty(), "no ExecutionReport at all");
    }

    @Test
    void limitOrderWithNeitherAlwaysFillNorAMarketPriceGetsNoAnswerAtAll() throws Exception {
        start(ExecutorVenue.options(dir).beginString("FIX.4.2").alwaysFillLimitOrders(false), true);
        client.send(order42("N1", OrdType.LIMIT, "10", "20.00", TimeInForce.DAY));
        Awaitility.await().atMost(WAIT).until(() -> !venue.errors().isEmpty());
        assertTrue(venue.errors().get(0).contains("No market data provider"), venue.errors().toString());
        // a cancel afterwards is answered (35=j): so everything the Executor sent for N1 has arrived by then
        quickfix.fix42.OrderCancelRequest cancel = new quickfix.fix42.OrderCancelRequest(new OrigClOrdID("N1"),
                new ClOrdID("N2"), new Symbol("AAPL"), new Side(Side.BUY), new TransactTime());
        client.send(cancel);
        client.await(m -> type(m).equals(MsgType.BUSINESS_MESSAGE_REJECT));
        assertTrue(client.reports("N1").isEmpty());
        assertEquals(List.of("j"), venue.sent().stream().map(ExecutorVenue::type).toList());
    }

    @Test
    void marketOrderFillsAtDefaultMarketPriceAndTimeInForceIsIgnored() throws Exception {
        start(ExecutorVenue.options(dir).beginString("FIX.4.2").validOrderTypes("1,2").defaultMarketPrice(190.5)
                .alwaysFillLimitOrders(false), true);
        client.send(order42("M1", OrdType.MARKET, "10", null, TimeInForce.IMMEDIATE_OR_CANCEL));
        assertEquals(List.of("2", "10", "190.5"), fields(client.awaitReports("M1", 2).get(1), 39, 32, 31));

        // a buy limit below the market price: acked, never filled, and the IOC is never cancelled
        client.send(order42("L1", OrdType.LIMIT, "10", "180.00", TimeInForce.IMMEDIATE_OR_CANCEL));
        // a marketable limit fills at the market price, not at its limit
        client.send(order42("L2", OrdType.LIMIT, "10", "200.00", TimeInForce.DAY));
        assertEquals(List.of("2", "190.5"), fields(client.awaitReports("L2", 2).get(1), 39, 31));
        // the Executor answers in order on one thread: L2's fill came after everything it will ever send for L1
        assertEquals(List.of("0"), client.reports("L1").stream().map(m -> field(m, 39)).toList());
    }

    // ---------------------------------------------------------------- helpers

    static quickfix.fix42.NewOrderSingle order42(String clOrdId, char ordType, String qty, String price, char tif) {
        quickfix.fix42.NewOrderSingle m = new quickfix.fix42.NewOrderSingle(new ClOrdID(clOrdId),
                new HandlInst(HandlInst.AUTOMATED_EXECUTION_ORDER_PRIVATE_NO_BROKER_INTERVENTION), new Symbol("AAPL"),
                new Side(Side.BUY), new TransactTime(), new OrdType(ordType));
        m.setDecimal(OrderQty.FIELD, new BigDecimal(qty));
        if (price != null) m.setDecimal(Price.FIELD, new BigDecimal(price));
        m.setChar(TimeInForce.FIELD, tif);
        return m;
    }

    static quickfix.fix44.NewOrderSingle order44(String clOrdId, char ordType, String qty, String price, char tif) {
        quickfix.fix44.NewOrderSingle m = new quickfix.fix44.NewOrderSingle(new ClOrdID(clOrdId), new Side(Side.BUY),
                new TransactTime(), new OrdType(ordType));
        m.set(new Symbol("AAPL"));
        m.setDecimal(OrderQty.FIELD, new BigDecimal(qty));
        if (price != null) m.setDecimal(Price.FIELD, new BigDecimal(price));
        m.setChar(TimeInForce.FIELD, tif);
        return m;
    }

    static String type(Message m) {
        return ExecutorVenue.type(m);
    }

    static String field(quickfix.FieldMap m, int tag) {
        try {
            return m.isSetField(tag) ? m.getString(tag) : null;
        } catch (FieldNotFound e) {
            return null;
        }
    }

    /** The fields' values, decimals without trailing zeros. */
    static List<String> fields(Message m, int... tags) {
        List<String> values = new ArrayList<>();
        for (int tag : tags) {
            String v = field(m, tag);
            if (v != null && v.matches("-?\\d+\\.\\d+")) v = new BigDecimal(v).stripTrailingZeros().toPlainString();
            values.add(v);
        }
        return values;
    }

    /** A plain initiator GATEWAY -> EXECUTOR validating incoming messages with the shipped dictionary. */
    static final class Client implements Application, AutoCloseable {
        private final SessionID sessionId;
        private final SocketInitiator initiator;
        private final List<Message> inbox = new CopyOnWriteArrayList<>();
        private final List<Message> rejectsSent = new CopyOnWriteArrayList<>();

        Client(ExecutorVenue venue, boolean validateFieldsOutOfRange) throws ConfigError {
            SessionID executor = venue.sessionId();
            sessionId = new SessionID(executor.getBeginString(), executor.getTargetCompID(), executor.getSenderCompID());
            SessionSettings s = new SessionSettings();
            s.setString("ConnectionType", "initiator");
            s.setString("SocketConnectHost", "127.0.0.1");
            s.setLong("HeartBtInt", 30);
            s.setLong("ReconnectInterval", 1);
            s.setString("StartTime", "00:00:00");
            s.setString("EndTime", "00:00:00");
            s.setString("NonStopSession", "Y");
            s.setString("UseDataDictionary", "Y");
            s.setString("ValidateFieldsOutOfRange", validateFieldsOutOfRange ? "Y" : "N");
            s.setString(sessionId, "BeginString", sessionId.getBeginString());
            s.setString(sessionId, "SenderCompID", sessionId.getSenderCompID());
            s.setString(sessionId, "TargetCompID", sessionId.getTargetCompID());
            s.setLong(sessionId, "SocketConnectPort", venue.port());
            if (sessionId.getBeginString().equals("FIXT.1.1")) {
                s.setString(sessionId, "DefaultApplVerID", "FIX.5.0SP2");
                s.setString(sessionId, "TransportDataDictionary", Path.of("dictionaries", "FIXT11.xml").toAbsolutePath().toString());
                s.setString(sessionId, "AppDataDictionary", Path.of("dictionaries", "FIX50SP2.xml").toAbsolutePath().toString());
            } else {
                String dictionary = sessionId.getBeginString().equals("FIX.4.2") ? "FIX42.xml" : "FIX44.xml";
                s.setString(sessionId, "DataDictionary", Path.of("dictionaries", dictionary).toAbsolutePath().toString());
            }
            initiator = new SocketInitiator(this, new MemoryStoreFactory(), s, new quickfix.SLF4JLogFactory(s),
                    new DefaultMessageFactory());
            initiator.start();
            Awaitility.await().atMost(WAIT).until(this::isLoggedOn);
        }

        boolean isLoggedOn() {
            Session session = Session.lookupSession(sessionId);
            return session != null && session.isLoggedOn();
        }

        void send(Message m) throws SessionNotFound {
            if (!Session.sendToTarget(m, sessionId)) throw new IllegalStateException("not sent");
        }

        Message await(Predicate<Message> matches) {
            Message[] found = new Message[1];
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
                for (Message m : inbox) {
                    if (matches.test(m)) {
                        found[0] = m;
                        return true;
                    }
                }
                return false;
            });
            return found[0];
        }

        List<Message> reports(String clOrdId) {
            return inbox.stream().filter(m -> type(m).equals(MsgType.EXECUTION_REPORT) && clOrdId.equals(field(m, 11))).toList();
        }

        List<Message> awaitReports(String clOrdId, int count) {
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> reports(clOrdId).size() >= count);
            return reports(clOrdId);
        }

        /** Session-level Rejects (35=3) this client sent: messages from the venue it could not accept. */
        List<Message> rejects() {
            return new ArrayList<>(rejectsSent);
        }

        @Override
        public void close() {
            initiator.stop(true);
        }

        @Override
        public void onCreate(SessionID sessionId) {
        }

        @Override
        public void onLogon(SessionID sessionId) {
        }

        @Override
        public void onLogout(SessionID sessionId) {
        }

        @Override
        public void toAdmin(Message message, SessionID sessionId) {
            if (type(message).equals(MsgType.REJECT)) rejectsSent.add(message);
        }

        @Override
        public void fromAdmin(Message message, SessionID sessionId) {
            if (type(message).equals(MsgType.REJECT)) inbox.add(message);
        }

        @Override
        public void toApp(Message message, SessionID sessionId) {
        }

        @Override
        public void fromApp(Message message, SessionID sessionId) {
            inbox.add(message);
        }
    }
}
