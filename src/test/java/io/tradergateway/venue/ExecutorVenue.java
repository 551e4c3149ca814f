package io.tradergateway.venue;

import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.DoNotSend;
import quickfix.FieldConvertError;
import quickfix.FieldNotFound;
import quickfix.FileStoreFactory;
import quickfix.IncorrectDataFormat;
import quickfix.IncorrectTagValue;
import quickfix.Log;
import quickfix.LogFactory;
import quickfix.Message;
import quickfix.RejectLogon;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketAcceptor;
import quickfix.UnsupportedMessageType;
import quickfix.field.ExecType;
import quickfix.field.MsgType;
import quickfix.field.OrdStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A FIX counterparty nobody here wrote: the QuickFIX/J 2.3.1 Executor example ({@code quickfix.examples.executor
 * .Application}, test dependency {@code org.quickfixj:quickfixj-examples-executor:2.3.1}) behind its own QuickFIX/J
 * acceptor on a free local port, one session {@code EXECUTOR -> GATEWAY} (names configurable). Its
 * {@code Executor} main class is not used (it needs JMX and a settings file); this builds the settings in code.
 *
 * <pre>{@code
 * try (ExecutorVenue venue = ExecutorVenue.start(ExecutorVenue.options(tempDir).beginString("FIX.4.2")
 *         .validOrderTypes("1,2").defaultMarketPrice(190.0).alwaysFillLimitOrders(true))) {
 *     int port = venue.port();            // connect the gateway's initiator GATEWAY -> EXECUTOR here
 *     ...
 *     venue.restart();                    // a new Application: OrderIDs and ExecIDs from 1 again, same port
 *     venue.received();                   // every application message it got (D, F, H ...), in order
 * }
 * }</pre>
 *
 * <h2>What the 2.3.1 Executor really does (read from its source, tag QFJ_RELEASE_2_3_1, and checked by ExecutorVenueTest)</h2>
 * <ul>
 *   <li><b>Only NewOrderSingle (35=D)</b>, for FIX 4.0-4.4 and FIX 5.0 (FIXT.1.1 with DefaultApplVerID=FIX.5.0).
 *       Everything else, including 35=F, 35=G, 35=H, 35=V, 35=x, and <i>every</i> FIX.5.0SP2 message (it has no
 *       fix50sp2 handler), is answered by QuickFIX/J itself with a BusinessMessageReject (35=j,
 *       BusinessRejectReason=3 unsupported message type, RefMsgType, RefSeqNum, Text "Unsupported Message Type").</li>
 *   <li><b>Order types</b>: setting {@code ValidOrderTypes} (comma-separated OrdType chars; without it only {@code 2}
 *       LIMIT). Another type, or a MARKET order without {@code DefaultMarketPrice}, is refused with a session-level
 *       <b>Reject (35=3)</b>, SessionRejectReason=5 (value incorrect), RefTagID=40 - never an ExecutionReport.</li>
 *   <li><b>Prices</b>: no book, no market data. A MARKET order fills at {@code DefaultMarketPrice} (bid = ask = that
 *       price). A LIMIT order with {@code AlwaysFillLimitOrders=Y} fills at its own limit; otherwise it is compared
 *       with {@code DefaultMarketPrice}: marketable = fills at DefaultMarketPrice, not marketable = acked and then
 *       never touched again (no resting book, nothing fills it later). A LIMIT order with neither setting gets
 *       <b>no answer at all</b> (the exception is caught and only logged).</li>
 *   <li><b>Fills</b>: one ExecutionReport for the whole quantity (no partial fills), no Commission, LastShares/LastQty,
 *       LastPx, CumQty, AvgPx, LeavesQty 0.</li>
 *   <li><b>TimeInForce is ignored</b>: IOC, FOK, GTD and DAY are all "fill now if executable, else ack and forget"; an
 *       IOC that cannot fill is never cancelled; ExpireTime never expires anything.</li>
 *   <li><b>Ids</b>: OrderID and ExecID are counters "1", "2", ... per Application instance (shared by its sessions);
 *       <b>each report gets a new OrderID</b> (the ack has OrderID n, the fill n+1): OrderID is not stable per order.
 *       A new Application (here {@link #restart()}) counts from 1 again, so ExecIDs repeat.</li>
 *   <li><b>The ack's ExecType is wrong in 2.3.1</b> (fixed in later releases): the ack carries ExecType=2 (Fill) with
 *       OrdStatus=0 (New), CumQty 0 (LeavesQty 0 in 4.2, OrderQty in 4.4); the fill carries ExecType=2 and OrdStatus=2
 *       in every version, also FIX 4.4, where F (Trade) is meant. The FIX 4.4 dictionaries (QuickFIX/J's and
 *       dictionaries/FIX44.xml) still list ExecType 1 and 2, so both pass validation on both sides and reach the
 *       gateway as they are: a client must go by OrdStatus/CumQty, not by ExecType alone.
 *       {@link Options#correctExecType(boolean)} rewrites them on the way out (ack 150=0; 4.4 fill 150=F) for tests
 *       that want a well-behaved Executor.</li>
 *   <li><b>FIXT.1.1</b>: only FIX.5.0 (ApplVerID 7) orders are handled; a client with DefaultApplVerID=FIX.5.0SP2 (as
 *       SPEC 4.1 has it) gets 35=j (unsupported message type) for its NewOrderSingle: the Executor cannot trade
 *       FIX.5.0SP2.</li>
 *   <li><b>Sessions</b>: sequence numbers are kept in a file store in the options' directory, so a
 *       {@link #restart()} resumes the session like a restarted venue process (only the application state is new).</li>
 * </ul>
 */
public final class ExecutorVenue implements AutoCloseable {
    private final Options options;
    private final int port;
    private final List<Message> received = new CopyOnWriteArrayList<>();
    private final List<Message> sent = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private SocketAcceptor acceptor;
    private int starts;

    /** Settings of the Executor and its session. */
    public static final class Options {
        private final Path dir;
        private String beginString = "FIX.4.4";
        private String senderCompId = "EXECUTOR";
        private String targetCompId = "GATEWAY";
        private String validOrderTypes = "1,2";
        private Double defaultMarketPrice;
        private boolean alwaysFillLimitOrders = true;
        private boolean useDataDictionary;
        private boolean correctExecType;
        private int port;

        private Options(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /** FIX.4.2, FIX.4.4 (default) or FIXT.1.1 (then DefaultApplVerID=FIX.5.0, the only 5.x the Executor handles). */
        public Options beginString(String v) {
            beginString = v;
            return this;
        }

        /** The Executor's CompID (default EXECUTOR): the gateway's TargetCompID, i.e. the venue name. */
        public Options senderCompId(String v) {
            senderCompId = v;
            return this;
        }

        /** The gateway's CompID (default GATEWAY). */
        public Options targetCompId(String v) {
            targetCompId = v;
            return this;
        }

        /** The Executor's ValidOrderTypes, OrdType chars comma-separated: "2" = LIMIT only; default here "1,2". */
        public Options validOrderTypes(String v) {
            validOrderTypes = v;
            return this;
        }

        /** DefaultMarketPrice: the price of every MARKET fill (and of LIMIT fills without AlwaysFillLimitOrders). */
        public Options defaultMarketPrice(Double v) {
            defaultMarketPrice = v;
            return this;
        }

        /** AlwaysFillLimitOrders (default here Y): every LIMIT order fills at once, at its limit. */
        public Options alwaysFillLimitOrders(boolean v) {
            alwaysFillLimitOrders = v;
            return this;
        }

        /** UseDataDictionary for the Executor's session (default N); with Y it validates its own reports before sending. */
        public Options useDataDictionary(boolean v) {
            useDataDictionary = v;
            return this;
        }

        /** Rewrite the 2.3.1 ExecType bug on the way out: ack 150=0, FIX 4.4/5.0 fill 150=F (default: faithful). */
        public Options correctExecType(boolean v) {
            correctExecType = v;
            return this;
        }

        /** A fixed port (default 0: a free one, picked at start and kept across restarts). */
        public Options port(int v) {
            port = v;
            return this;
        }
    }

    /** Options with the Executor's file store and logs under {@code dir} (a test's temp dir). */
    public static Options options(Path dir) {
        return new Options(dir);
    }

    private ExecutorVenue(Options options) {
        this.options = options;
        this.port = options.port > 0 ? options.port : freePort();
    }

    /** Starts the acceptor; returns once it listens. */
    public static ExecutorVenue start(Options options) {
        ExecutorVenue venue = new ExecutorVenue(options);
        venue.startAcceptor();
        return venue;
    }

    /** The settings the Executor's Application and acceptor are built from. */
    SessionSettings settings() {
        SessionSettings s = new SessionSettings();
        s.setString("ConnectionType", "acceptor");
        s.setString("StartTime", "00:00:00");
        s.setString("EndTime", "00:00:00");
        s.setString("NonStopSession", "Y");
        s.setString("ValidOrderTypes", options.validOrderTypes);
        if (options.defaultMarketPrice != null) s.setDouble("DefaultMarketPrice", options.defaultMarketPrice);
        s.setBool("AlwaysFillLimitOrders", options.alwaysFillLimitOrders);
        s.setString("FileStorePath", options.dir.resolve("store").toString());
        s.setString("UseDataDictionary", options.useDataDictionary ? "Y" : "N");
        s.setString("CheckLatency", "N");
        SessionID id = sessionId();
        s.setString(id, "BeginString", options.beginString);
        s.setString(id, "SenderCompID", options.senderCompId);
        s.setString(id, "TargetCompID", options.targetCompId);
        s.setLong(id, "SocketAcceptPort", port);
        if ("FIXT.1.1".equals(options.beginString)) s.setString(id, "DefaultApplVerID", "FIX.5.0");
        return s;
    }

    public SessionID sessionId() {
        return new SessionID(options.beginString, options.senderCompId, options.targetCompId);
    }

    private void startAcceptor() {
        try {
            SessionSettings settings = settings();
            quickfix.examples.executor.Application executor = new quickfix.examples.executor.Application(settings);
            acceptor = new SocketAcceptor(new Recording(executor), new FileStoreFactory(settings), settings,
                    new ErrorLogFactory(), new DefaultMessageFactory());
            acceptor.start();
            starts++;
        } catch (ConfigError | FieldConvertError e) {
            throw new IllegalStateException("Executor venue: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** How many times the acceptor was started (1 + restarts). */
    public int starts() {
        return starts;
    }

    public boolean isLoggedOn() {
        Session session = Session.lookupSession(sessionId());
        return session != null && session.isLoggedOn();
    }

    /** Stops the acceptor (disconnecting the session, without Logout). */
    public void stop() {
        if (acceptor != null) {
            acceptor.stop(true);
            acceptor = null;
        }
    }

    /**
     * A restarted venue process: stop, then a NEW Executor Application (its OrderID and ExecID counters start at 1
     * again) on the same port, with the same file store (FIX sequence numbers continue). What was received stays in
     * {@link #received()}.
     */
    public void restart() {
        stop();
        startAcceptor();
    }

    /** Every application message the Executor received, in order. */
    public List<Message> received() {
        return new ArrayList<>(received);
    }

    /** Received application messages of one MsgType (e.g. "D"). */
    public List<Message> received(String msgType) {
        return received.stream().filter(m -> msgType.equals(type(m))).toList();
    }

    /** Every application message sent to the gateway (ExecutionReports, BusinessMessageRejects), as sent. */
    public List<Message> sent() {
        return new ArrayList<>(sent);
    }

    /** Error events of the session: e.g. the Executor's "Outgoing message failed validation" or exceptions. */
    public List<String> errors() {
        return new ArrayList<>(errors);
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(options.dir.resolve("store"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temp dir; the test framework cleans it
        }
    }

    static String type(Message m) {
        try {
            return m.getHeader().getString(MsgType.FIELD);
        } catch (FieldNotFound e) {
            return "?";
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records what goes in and out, optionally corrects the 2.3.1 ExecType, and delegates to the Executor. */
    private final class Recording implements Application {
        private final quickfix.examples.executor.Application executor;

        Recording(quickfix.examples.executor.Application executor) {
            this.executor = executor;
        }

        @Override
        public void onCreate(SessionID sessionId) {
            executor.onCreate(sessionId);
        }

        @Override
        public void onLogon(SessionID sessionId) {
            executor.onLogon(sessionId);
        }

        @Override
        public void onLogout(SessionID sessionId) {
            executor.onLogout(sessionId);
        }

        @Override
        public void toAdmin(Message message, SessionID sessionId) {
            executor.toAdmin(message, sessionId);
        }

        @Override
        public void fromAdmin(Message message, SessionID sessionId)
                throws FieldNotFound, IncorrectDataFormat, IncorrectTagValue, RejectLogon {
            executor.fromAdmin(message, sessionId);
        }

        @Override
        public void toApp(Message message, SessionID sessionId) throws DoNotSend {
            if (options.correctExecType && MsgType.EXECUTION_REPORT.equals(type(message))) correct(message, sessionId);
            sent.add(message);
            executor.toApp(message, sessionId);
        }

        @Override
        public void fromApp(Message message, SessionID sessionId)
                throws FieldNotFound, IncorrectDataFormat, IncorrectTagValue, UnsupportedMessageType {
            received.add(message);
            executor.fromApp(message, sessionId);
        }

        private void correct(Message m, SessionID sessionId) {
            try {
                char ordStatus = m.getChar(OrdStatus.FIELD);
                if (ordStatus == OrdStatus.NEW) {
                    m.setChar(ExecType.FIELD, ExecType.NEW);
                } else if (!sessionId.getBeginString().equals("FIX.4.2") && !sessionId.getBeginString().equals("FIX.4.1")
                        && !sessionId.getBeginString().equals("FIX.4.0")) {
                    m.setChar(ExecType.FIELD, ExecType.TRADE);
                }
            } catch (FieldNotFound e) {
                // not an order report; leave it
            }
        }
    }

    /** Keeps the session's error events (the Executor logs its failures there) and drops the rest. */
    private final class ErrorLogFactory implements LogFactory {
        @Override
        public Log create(SessionID sessionID) {
            return new Log() {
                @Override
                public void clear() {
                }

                @Override
                public void onIncoming(String message) {
                }

                @Override
                public void onOutgoing(String message) {
                }

                @Override
                public void onEvent(String text) {
                }

                @Override
                public void onErrorEvent(String text) {
                    errors.add(text);
                }
            };
        }
    }
}
