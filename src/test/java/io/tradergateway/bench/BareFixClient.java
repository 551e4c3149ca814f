package io.tradergateway.bench;

import io.tradergateway.simvenue.SimVenue;
import io.tradergateway.simvenue.SimVenueConfig;
import org.HdrHistogram.Histogram;
import quickfix.ApplicationAdapter;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FieldNotFound;
import quickfix.MemoryStoreFactory;
import quickfix.Message;
import quickfix.SLF4JLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.ThreadedSocketInitiator;
import quickfix.field.ClOrdID;
import quickfix.field.HandlInst;
import quickfix.field.MsgType;
import quickfix.field.OrdStatus;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.Text;
import quickfix.field.TimeInForce;
import quickfix.field.TransactTime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;

/**
 * Bare QuickFIX/J against the simulated venue: what a FIX order round trip costs with nothing of the gateway in the
 * way. One initiator session as the gateway opens it (same SenderCompID, version, dictionary and validation, a
 * {@link ThreadedSocketInitiator}), but an in-memory store and no message log (SLF4J, in a category left at WARN).
 * Sends MARKET IOC NewOrderSingles, as the gateway does for a market plan, rotating over the symbols and alternating
 * buy and sell per round so that the frozen book stays balanced, and counts the ExecutionReports that end an order
 * (filled, cancelled, rejected, expired).
 */
final class BareFixClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String LOG_CATEGORY = "bench.bare.fix";

    private final ThreadedSocketInitiator initiator;
    private final SessionID sessionId;
    private final List<String> symbols;
    private final int quantity;
    private final AtomicInteger terminal = new AtomicInteger();
    private final AtomicInteger notFilled = new AtomicInteger();
    private volatile String firstNotFilled;
    private volatile long lastTerminalNanos;
    private volatile Thread waiter;
    private Session session;
    private long sent;

    private BareFixClient(SimVenue sim, String venue, int quantity) throws ConfigError {
        SimVenueConfig config = sim.config();
        String beginString = config.beginString(venue);
        if (!beginString.equals("FIX.4.4")) {
            throw new IllegalArgumentException(venue + " speaks " + beginString + ", not FIX.4.4");
        }
        this.sessionId = new SessionID(beginString, SimVenueConfig.GATEWAY, venue);
        this.symbols = config.profile(venue).symbols();
        this.quantity = quantity;
        Path dictionaryDir = config.dictionaryDir();
        SessionSettings settings = new SessionSettings();
        settings.setString(sessionId, "ConnectionType", "initiator");
        settings.setString(sessionId, "SocketConnectHost", "127.0.0.1");
        settings.setLong(sessionId, "SocketConnectPort", config.port(venue));
        settings.setLong(sessionId, "HeartBtInt", 30);
        settings.setLong(sessionId, "ReconnectInterval", 1);
        settings.setString(sessionId, "StartTime", "00:00:00");
        settings.setString(sessionId, "EndTime", "00:00:00");
        settings.setString(sessionId, "NonStopSession", "Y");
        settings.setString(sessionId, "UseDataDictionary", "Y");
        String dictionary = dictionaryDir == null ? "FIX44.xml" : dictionaryDir.resolve("FIX44.xml").toString();
        settings.setString(sessionId, "DataDictionary", dictionary);
        settings.setString(sessionId, "ValidateUserDefinedFields", "N");
        settings.setString(sessionId, "ValidateIncomingMessage", "Y");
        // QuickFIX/J's default would be its screen log: SLF4J instead, into a category nothing turns on (root is at WARN).
        settings.setString(sessionId, "SLF4JLogIncomingMessageCategory", LOG_CATEGORY);
        settings.setString(sessionId, "SLF4JLogOutgoingMessageCategory", LOG_CATEGORY);
        settings.setString(sessionId, "SLF4JLogEventCategory", LOG_CATEGORY);
        this.initiator = new ThreadedSocketInitiator(new Reports(), new MemoryStoreFactory(), settings,
                new SLF4JLogFactory(settings), new DefaultMessageFactory());
    }

    /** Connects to the venue's session and returns once logged on. */
    static BareFixClient connect(SimVenue sim, String venue, int quantity) {
        BareFixClient client;
        try {
            client = new BareFixClient(sim, venue, quantity);
            client.initiator.start();
        } catch (ConfigError e) {
            throw new IllegalStateException("bare QuickFIX/J initiator: " + e.getMessage(), e);
        }
        try {
            await().atMost(WAIT).until(() -> {
                Session s = Session.lookupSession(client.sessionId);
                return s != null && s.isLoggedOn();
            });
            client.session = Session.lookupSession(client.sessionId);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** n orders one at a time: send, wait for the report that ends it; the round trips in nanoseconds. */
    Histogram roundTrips(int n) {
        Histogram h = new Histogram(3);
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            send();
            awaitTerminal(sent);
            h.recordValue(System.nanoTime() - start);
        }
        return h;
    }

    /** m orders sent back to back, then waits for all their terminal reports; orders per second over the whole. */
    double burst(int m) {
        long start = System.nanoTime();
        for (int i = 0; i < m; i++) send();
        awaitTerminal(sent);
        return m / ((lastTerminalNanos - start) / 1e9);
    }

    /** Orders that ended any other way than filled (each a sign the book ran thin or the venue refused). */
    int notFilled() {
        return notFilled.get();
    }

    String firstNotFilled() {
        return firstNotFilled;
    }

    private void send() {
        int round = (int) (sent / symbols.size());
        Message order = new Message();
        order.getHeader().setString(MsgType.FIELD, MsgType.ORDER_SINGLE);
        order.setField(new ClOrdID("BARE-" + sent));
        order.setField(new HandlInst(HandlInst.AUTOMATED_EXECUTION_ORDER_PRIVATE_NO_BROKER_INTERVENTION));
        order.setField(new Symbol(symbols.get((int) (sent % symbols.size()))));
        order.setField(new Side(round % 2 == 0 ? Side.BUY : Side.SELL));
        order.setField(new TransactTime());
        order.setField(new OrderQty(quantity));
        order.setField(new OrdType(OrdType.MARKET));
        order.setField(new TimeInForce(TimeInForce.IMMEDIATE_OR_CANCEL));
        if (!session.send(order)) throw new IllegalStateException("QuickFIX/J did not send order " + sent + " (logged out?)");
        sent++;
    }

    private void awaitTerminal(long count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        waiter = Thread.currentThread();
        try {
            while (terminal.get() < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("bare QuickFIX/J: " + terminal.get() + " of " + count
                            + " orders ended after " + WAIT);
                }
                LockSupport.parkNanos(this, 1_000_000);
            }
        } finally {
            waiter = null;
        }
    }

    /** Counts the ExecutionReports that end an order and wakes the sender. */
    private final class Reports extends ApplicationAdapter {
        @Override
        public void fromApp(Message message, SessionID id) throws FieldNotFound {
            if (!message.getHeader().getString(MsgType.FIELD).equals(MsgType.EXECUTION_REPORT)) return;
            char status = message.getChar(OrdStatus.FIELD);
            switch (status) {
                case OrdStatus.FILLED -> { }
                case OrdStatus.CANCELED, OrdStatus.REJECTED, OrdStatus.EXPIRED, OrdStatus.DONE_FOR_DAY -> {
                    if (notFilled.getAndIncrement() == 0) {
                        String text = message.isSetField(Text.FIELD) ? " " + message.getString(Text.FIELD) : "";
                        firstNotFilled = "OrdStatus " + status + text;
                    }
                }
                default -> {
                    return;
                }
            }
            lastTerminalNanos = System.nanoTime();
            terminal.incrementAndGet();
            Thread w = waiter;
            if (w != null) LockSupport.unpark(w);
        }
    }

    @Override
    public void close() {
        initiator.stop(true);
    }
}
