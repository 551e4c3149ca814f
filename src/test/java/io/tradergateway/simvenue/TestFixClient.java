package io.tradergateway.simvenue;

import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.Group;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;
import quickfix.field.ClOrdID;
import quickfix.field.ExpireTime;
import quickfix.field.MDEntryType;
import quickfix.field.MDReqID;
import quickfix.field.MDUpdateType;
import quickfix.field.MarketDepth;
import quickfix.field.MsgType;
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
import quickfix.fix44.MarketDataRequest;
import quickfix.fix44.NewOrderSingle;
import quickfix.fix44.OrderCancelReplaceRequest;
import quickfix.fix44.OrderCancelRequest;
import quickfix.fix44.OrderStatusRequest;
import quickfix.fix44.SecurityListRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

/**
 * A plain QuickFIX/J initiator standing in for the gateway in sim-venue tests: one session GATEWAY -> venue per
 * venue, messages it receives collected per venue, small builders for the requests the gateway sends.
 */
final class TestFixClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final char SUBSCRIBE = '1';
    static final char UNSUBSCRIBE = '2';

    private final SocketInitiator initiator;
    private final Map<String, SessionID> sessions = new LinkedHashMap<>();
    private final Map<String, List<Message>> inbox = new LinkedHashMap<>();

    private TestFixClient(SimVenueConfig config, Collection<String> venues) throws ConfigError {
        SessionSettings settings = new SessionSettings();
        settings.setString("ConnectionType", "initiator");
        settings.setString("BeginString", "FIX.4.4");
        settings.setString("SenderCompID", "GATEWAY");
        settings.setString("SocketConnectHost", "127.0.0.1");
        settings.setLong("HeartBtInt", 30);
        settings.setLong("ReconnectInterval", 1);
        settings.setString("StartTime", "00:00:00");
        settings.setString("EndTime", "00:00:00");
        settings.setString("NonStopSession", "Y");
        settings.setString("UseDataDictionary", "Y");
        settings.setString("DataDictionary", Path.of("dictionaries/FIX44.xml").toAbsolutePath().toString());
        settings.setString("ValidateUserDefinedFields", "N");
        settings.setString("ResetOnLogon", "N");
        for (String venue : venues) {
            String beginString = config.beginString(venue);
            SessionID id = new SessionID(beginString, "GATEWAY", venue);
            settings.setString(id, "BeginString", beginString);
            settings.setLong(id, "SocketConnectPort", config.port(venue));
            if (beginString.equals("FIX.4.2")) {
                settings.setString(id, "DataDictionary", Path.of("dictionaries/FIX42.xml").toAbsolutePath().toString());
            } else if (beginString.equals("FIXT.1.1")) {
                settings.setString(id, "DefaultApplVerID", "FIX.5.0SP2");
                settings.setString(id, "TransportDataDictionary", Path.of("dictionaries/FIXT11.xml").toAbsolutePath().toString());
                settings.setString(id, "AppDataDictionary", Path.of("dictionaries/FIX50SP2.xml").toAbsolutePath().toString());
            }
            sessions.put(venue, id);
            inbox.put(venue, new CopyOnWriteArrayList<>());
        }
        initiator = new SocketInitiator(new Collector(), new MemoryStoreFactory(), settings,
                new quickfix.SLF4JLogFactory(settings), new DefaultMessageFactory());
    }

    /** Connects to the venues and waits until every session is logged on. */
    static TestFixClient connect(SimVenueConfig config, Collection<String> venues) throws ConfigError {
        TestFixClient client = new TestFixClient(config, venues);
        client.initiator.start();
        for (String venue : venues) {
            Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> client.isLoggedOn(venue));
        }
        return client;
    }

    static TestFixClient connect(SimVenueConfig config) throws ConfigError {
        return connect(config, config.venues());
    }

    /** Config from sim-venue/ on free ports, no background ticks, predictable profiles, data under the dir. */
    static SimVenueConfig testConfig(Path dataDir) {
        SimVenueConfig config = SimVenueConfig.load(Path.of("sim-venue"))
                .withDataDir(dataDir)
                .withTickInterval(Duration.ZERO)
                .withEveryProfile(p -> p.predictable().withAckLatency(Duration.ofMillis(1)));
        for (String venue : config.venues()) config = config.withPort(venue, freePort());
        return config;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isLoggedOn(String venue) {
        Session session = Session.lookupSession(sessions.get(venue));
        return session != null && session.isLoggedOn();
    }

    void send(String venue, Message message) {
        try {
            if (!Session.sendToTarget(message, sessions.get(venue))) throw new IllegalStateException("not sent to " + venue);
        } catch (SessionNotFound e) {
            throw new IllegalStateException(e);
        }
    }

    /** The session to the venue (its BeginString tells the FIX version). */
    SessionID sessionId(String venue) {
        return sessions.get(venue);
    }

    /** Every application message received from the venue so far. */
    List<Message> messages(String venue) {
        return new ArrayList<>(inbox.get(venue));
    }

    /** Received messages of one MsgType whose ClOrdID (11) is the given one, in order. */
    List<Message> reports(String venue, String clOrdId) {
        List<Message> result = new ArrayList<>();
        for (Message m : inbox.get(venue)) {
            if (clOrdId.equals(field(m, ClOrdID.FIELD))) result.add(m);
        }
        return result;
    }

    /** Waits for the first received message matching the predicate (and returns it). */
    Message await(String venue, Predicate<Message> matches) {
        Message[] found = new Message[1];
        Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(WAIT).until(() -> {
            for (Message m : inbox.get(venue)) {
                if (matches.test(m)) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Waits for the ExecutionReport of this ClOrdID with this OrdStatus(39). */
    Message awaitStatus(String venue, String clOrdId, char ordStatus) {
        return await(venue, m -> type(m).equals(MsgType.EXECUTION_REPORT) && clOrdId.equals(field(m, ClOrdID.FIELD))
                && String.valueOf(ordStatus).equals(field(m, 39)));
    }

    /** Waits for the ExecutionReport of this ClOrdID with this ExecType(150). */
    Message awaitExecType(String venue, String clOrdId, char execType) {
        return await(venue, m -> type(m).equals(MsgType.EXECUTION_REPORT) && clOrdId.equals(field(m, ClOrdID.FIELD))
                && String.valueOf(execType).equals(field(m, 150)));
    }

    static String type(Message m) {
        try {
            return m.getHeader().getString(MsgType.FIELD);
        } catch (FieldNotFound e) {
            return "?";
        }
    }

    static String field(quickfix.FieldMap m, int tag) {
        try {
            return m.isSetField(tag) ? m.getString(tag) : null;
        } catch (FieldNotFound e) {
            return null;
        }
    }

    static BigDecimal decimal(quickfix.FieldMap m, int tag) {
        String value = field(m, tag);
        return value == null ? null : new BigDecimal(value);
    }

    // ---------------------------------------------------------------- request builders

    static NewOrderSingle market(String clOrdId, String symbol, char side, String quantity) {
        return order(clOrdId, symbol, side, quantity, OrdType.MARKET, null, TimeInForce.DAY);
    }

    static NewOrderSingle limit(String clOrdId, String symbol, char side, String quantity, String price, char tif) {
        return order(clOrdId, symbol, side, quantity, OrdType.LIMIT, price, tif);
    }

    static NewOrderSingle order(String clOrdId, String symbol, char side, String quantity, char ordType, String price,
                                char tif) {
        NewOrderSingle m = new NewOrderSingle(new ClOrdID(clOrdId), new Side(side), new TransactTime(), new OrdType(ordType));
        m.setString(Symbol.FIELD, symbol);
        m.setDecimal(OrderQty.FIELD, new BigDecimal(quantity));
        if (price != null) m.setDecimal(Price.FIELD, new BigDecimal(price));
        m.setChar(TimeInForce.FIELD, tif);
        return m;
    }

    static NewOrderSingle gtd(String clOrdId, String symbol, char side, String quantity, String price, Instant expireTime) {
        NewOrderSingle m = limit(clOrdId, symbol, side, quantity, price, TimeInForce.GOOD_TILL_DATE);
        m.setUtcTimeStamp(ExpireTime.FIELD, LocalDateTime.ofInstant(expireTime, ZoneOffset.UTC), true);
        return m;
    }

    static OrderCancelRequest cancel(String clOrdId, String origClOrdId, String symbol, char side, String quantity) {
        OrderCancelRequest m = new OrderCancelRequest(new OrigClOrdID(origClOrdId), new ClOrdID(clOrdId), new Side(side),
                new TransactTime());
        m.setString(Symbol.FIELD, symbol);
        m.setDecimal(OrderQty.FIELD, new BigDecimal(quantity));
        return m;
    }

    static OrderCancelReplaceRequest replace(String clOrdId, String origClOrdId, String symbol, char side,
                                             String quantity, char ordType, String price) {
        OrderCancelReplaceRequest m = new OrderCancelReplaceRequest(new OrigClOrdID(origClOrdId), new ClOrdID(clOrdId),
                new Side(side), new TransactTime(), new OrdType(ordType));
        m.setString(Symbol.FIELD, symbol);
        m.setDecimal(OrderQty.FIELD, new BigDecimal(quantity));
        if (price != null) m.setDecimal(Price.FIELD, new BigDecimal(price));
        return m;
    }

    static OrderStatusRequest status(String clOrdId, String symbol, char side) {
        OrderStatusRequest m = new OrderStatusRequest(new ClOrdID(clOrdId), new Side(side));
        m.setString(Symbol.FIELD, symbol);
        return m;
    }

    static SecurityListRequest securityListAll(String reqId) {
        return new SecurityListRequest(new SecurityReqID(reqId),
                new SecurityListRequestType(SecurityListRequestType.ALL_SECURITIES));
    }

    /** Subscribe (263=1) or unsubscribe (263=2) bids, offers and trades of the symbols, full depth, incremental. */
    static MarketDataRequest marketData(String mdReqId, char subscriptionType, String... symbols) {
        MarketDataRequest m = new MarketDataRequest(new MDReqID(mdReqId), new SubscriptionRequestType(subscriptionType),
                new MarketDepth(0));
        m.setInt(MDUpdateType.FIELD, MDUpdateType.INCREMENTAL_REFRESH);
        for (char type : new char[] {MDEntryType.BID, MDEntryType.OFFER, MDEntryType.TRADE}) {
            Group g = new MarketDataRequest.NoMDEntryTypes();
            g.setChar(MDEntryType.FIELD, type);
            m.addGroup(g);
        }
        for (String symbol : symbols) {
            Group g = new MarketDataRequest.NoRelatedSym();
            g.setString(Symbol.FIELD, symbol);
            m.addGroup(g);
        }
        return m;
    }

    @Override
    public void close() {
        initiator.stop(true);
    }

    private final class Collector implements Application {
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
        }

        @Override
        public void fromAdmin(Message message, SessionID sessionId) {
            // Session-level Rejects (35=3) are kept too: a test of a FIX version sees what the venue refused to parse.
            if (MsgType.REJECT.equals(type(message))) inbox.get(sessionId.getTargetCompID()).add(message);
        }

        @Override
        public void toApp(Message message, SessionID sessionId) {
        }

        @Override
        public void fromApp(Message message, SessionID sessionId) {
            inbox.get(sessionId.getTargetCompID()).add(message);
        }
    }
}
