package io.tradergateway.fix;

import io.tradergateway.execution.OrderCommand;
import io.tradergateway.execution.VenueEventSink;
import io.tradergateway.execution.VenueGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import quickfix.Application;
import quickfix.CompositeLogFactory;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.DoNotSend;
import quickfix.FieldNotFound;
import quickfix.FileLogFactory;
import quickfix.FileStoreFactory;
import quickfix.LogFactory;
import quickfix.Message;
import quickfix.SLF4JLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.SessionSettings;
import quickfix.ThreadedSocketInitiator;
import quickfix.field.MsgType;
import quickfix.field.MDReqID;
import quickfix.field.Symbol;
import quickfix.field.Text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's FIX side: one QuickFIX/J initiator session per venue from {@code fix-config/}, a file store
 * (sequence numbers survive restarts) and per-session message logs (files under the data folder, and SLF4J).
 * Callbacks only translate and hand over to the {@link VenueEventSink}; they never block.
 */
public final class FixVenueGateway implements VenueGateway, Application, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FixVenueGateway.class);

    private final SessionSettings settings;
    private volatile VenueEventSink sink;
    private final Clock clock;
    private final Map<String, SessionID> sessionsByVenue = new LinkedHashMap<>();
    private final Map<String, Boolean> loggedOn = new ConcurrentHashMap<>();
    private final MarketDataTranslator marketData = new MarketDataTranslator();
    private final AtomicLong requestIds = new AtomicLong();
    /** Per venue, our latest order messages by MsgSeqNum (see {@link FixTranslator.SentOrderMessage}). */
    private final Map<String, Map<Integer, FixTranslator.SentOrderMessage>> sentOrderMessages = new ConcurrentHashMap<>();
    private static final int SENT_ORDER_MESSAGES_KEPT = 10_000;
    private ThreadedSocketInitiator initiator;

    /**
     * @param configFile    QuickFIX/J settings with one [session] per venue (TargetCompID = venue name)
     * @param storeDir      FileStorePath: sequence numbers and sent messages
     * @param logDir        FileLogPath: one message log and one event log per session
     * @param portOverrides venue name to SocketConnectPort (tests on free ports); empty in production
     */
    public FixVenueGateway(Path configFile, Path storeDir, Path logDir, Map<String, Integer> portOverrides, Clock clock) {
        this.clock = clock;
        try (InputStream in = Files.newInputStream(configFile)) {
            this.settings = new SessionSettings(in);
        } catch (IOException | ConfigError e) {
            throw new IllegalStateException("cannot read FIX settings " + configFile + ": " + e.getMessage(), e);
        }
        settings.setString("FileStorePath", storeDir.toAbsolutePath().toString());
        settings.setString("FileLogPath", logDir.toAbsolutePath().toString());
        for (Iterator<SessionID> it = settings.sectionIterator(); it.hasNext(); ) {
            SessionID id = it.next();
            String venue = id.getTargetCompID();
            sessionsByVenue.put(venue, id);
            loggedOn.put(venue, false);
            Integer port = portOverrides.get(venue);
            if (port != null) settings.setLong(id, "SocketConnectPort", port);
        }
        if (sessionsByVenue.isEmpty()) {
            throw new IllegalStateException("FIX settings " + configFile + " define no [session]");
        }
    }

    /** Connects to the venues; what they say goes to {@code sink} (the engine). */
    public void start(VenueEventSink eventSink) {
        this.sink = eventSink;
        try {
            LogFactory logs = new CompositeLogFactory(new LogFactory[]{new FileLogFactory(settings), new SLF4JLogFactory(settings)});
            initiator = new ThreadedSocketInitiator(this, new FileStoreFactory(settings), settings, logs, new DefaultMessageFactory());
            initiator.start();
            log.info("FIX initiator started for venues {}", sessionsByVenue.keySet());
        } catch (ConfigError e) {
            throw new IllegalStateException("FIX initiator configuration error: " + e.getMessage(), e);
        }
    }

    public java.util.Set<String> venues() {
        return sessionsByVenue.keySet();
    }

    @Override
    public Map<String, Boolean> sessionStates() {
        return Map.copyOf(loggedOn);
    }

    /** Next expected sequence numbers (sender, target) of a venue's session, for ops and restart tests. */
    public int[] sequenceNumbers(String venue) {
        Session session = Session.lookupSession(sessionsByVenue.get(venue));
        try {
            return new int[]{session.getStore().getNextSenderMsgSeqNum(), session.getStore().getNextTargetMsgSeqNum()};
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the FIX store of " + venue, e);
        }
    }

    @Override
    public boolean send(OrderCommand command) {
        SessionID id = sessionsByVenue.get(command.venue());
        if (id == null) {
            log.warn("no FIX session for venue {}: {} not sent", command.venue(), command);
            return false;
        }
        Session session = Session.lookupSession(id);
        if (session == null || !session.isLoggedOn()) {
            return false;
        }
        try {
            return Session.sendToTarget(FixTranslator.toFix(command), id);
        } catch (SessionNotFound e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (initiator != null) {
            initiator.stop(true);
            initiator = null;
        }
    }

    // ---------------------------------------------------------------- QuickFIX/J callbacks

    @Override
    public void onCreate(SessionID sessionId) {
    }

    @Override
    public void onLogon(SessionID sessionId) {
        String venue = sessionId.getTargetCompID();
        loggedOn.put(venue, true);
        log.info("FIX session {} logged on", sessionId);
        sink.onSessionState(venue, true);
        try {
            Session.sendToTarget(FixTranslator.securityListRequest("SL-" + venue + "-" + requestIds.incrementAndGet()), sessionId);
        } catch (SessionNotFound e) {
            log.warn("security list request to {} not sent: {}", venue, e.getMessage());
        }
    }

    @Override
    public void onLogout(SessionID sessionId) {
        String venue = sessionId.getTargetCompID();
        boolean wasUp = Boolean.TRUE.equals(loggedOn.put(venue, false));
        if (wasUp) log.warn("FIX session {} logged out", sessionId);
        sink.onSessionState(venue, false);
    }

    @Override
    public void toAdmin(Message message, SessionID sessionId) {
    }

    @Override
    public void fromAdmin(Message message, SessionID sessionId) {
        if (MsgType.REJECT.equals(FixTranslator.optString(message.getHeader(), MsgType.FIELD))) {
            try {
                onRefused(sessionId.getTargetCompID(), message);
            } catch (RuntimeException e) {
                log.error("cannot handle Reject from {}: {}", sessionId.getTargetCompID(), message.toString().replace('\u0001', '|'), e);
            }
        }
    }

    /**
     * A session Reject (35=3) or BusinessMessageReject (35=j) of one of our order messages. Without this a refused
     * NewOrderSingle would stay PendingNew until the status request 10 s later; now it is a reject at once (and fails
     * over like one), and a refused cancel is a cancel reject.
     */
    private void onRefused(String venue, Message reject) {
        String ref = FixTranslator.optString(reject, quickfix.field.RefSeqNum.FIELD);
        Map<Integer, FixTranslator.SentOrderMessage> sent = sentOrderMessages.get(venue);
        FixTranslator.SentOrderMessage refused = null;
        int refSeqNum = 0;
        if (ref != null && sent != null) {
            refSeqNum = Integer.parseInt(ref);
            refused = sent.get(refSeqNum);
        }
        if (refused == null) {
            log.warn("{} refused our message {}: {} (not an order message we know)", venue, ref == null ? "?" : ref,
                    FixTranslator.refusal(reject));
            return;
        }
        log.warn("{} refused our {} {} (MsgSeqNum {}): {}", venue, refused.msgType(), refused.clOrdId(), refSeqNum,
                FixTranslator.refusal(reject));
        if (MsgType.ORDER_SINGLE.equals(refused.msgType())) {
            sink.onExecutionReport(FixTranslator.orderRefused(venue, reject, refused, refSeqNum, clock.instant()));
        } else {
            sink.onCancelReject(FixTranslator.requestRefused(venue, reject, refused, clock.instant()));
        }
    }

    private void rememberSent(String venue, Message message) {
        FixTranslator.SentOrderMessage sent = FixTranslator.sentOrderMessage(message);
        String seq = FixTranslator.optString(message.getHeader(), quickfix.field.MsgSeqNum.FIELD);
        if (sent == null || seq == null) return;
        sentOrderMessages.computeIfAbsent(venue, v -> java.util.Collections.synchronizedMap(
                new LinkedHashMap<>(256, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Integer, FixTranslator.SentOrderMessage> eldest) {
                        return size() > SENT_ORDER_MESSAGES_KEPT;
                    }
                })).put(Integer.parseInt(seq), sent);
    }

    @Override
    public void toApp(Message message, SessionID sessionId) throws DoNotSend {
        // After a reconnect the venue may ask for a resend. Re-sending an old order or cancel as PossDup could
        // act on a stale decision: gap-fill instead, and let the engine reconcile with OrderStatusRequest.
        if (FixTranslator.possDup(message)) {
            try {
                String type = message.getHeader().getString(MsgType.FIELD);
                if (MsgType.ORDER_SINGLE.equals(type) || MsgType.ORDER_CANCEL_REQUEST.equals(type)
                        || MsgType.ORDER_CANCEL_REPLACE_REQUEST.equals(type)) {
                    log.warn("not re-sending {} {} to {} (PossDup); the order is reconciled by status request",
                            type, FixTranslator.optString(message, quickfix.field.ClOrdID.FIELD), sessionId.getTargetCompID());
                    throw new DoNotSend();
                }
            } catch (FieldNotFound e) {
                // no MsgType: let QuickFIX/J handle it
            }
        }
        rememberSent(sessionId.getTargetCompID(), message);
    }

    @Override
    public void fromApp(Message message, SessionID sessionId) {
        String venue = sessionId.getTargetCompID();
        try {
            String type = message.getHeader().getString(MsgType.FIELD);
            switch (type) {
                case MsgType.EXECUTION_REPORT -> sink.onExecutionReport(FixTranslator.executionReport(venue, message, clock.instant()));
                case MsgType.ORDER_CANCEL_REJECT -> sink.onCancelReject(FixTranslator.cancelReject(venue, message, clock.instant()));
                case MsgType.SECURITY_LIST -> sink.onInstruments(venue, FixTranslator.securityList(message));
                case MsgType.MARKET_DATA_SNAPSHOT_FULL_REFRESH, MsgType.MARKET_DATA_INCREMENTAL_REFRESH ->
                        marketData.translate(venue, message, clock.instant()).forEach(sink::onMarketData);
                case MsgType.BUSINESS_MESSAGE_REJECT -> onRefused(venue, message);
                case MsgType.MARKET_DATA_REQUEST_REJECT -> sink.onMarketDataReject(venue,
                        FixTranslator.optString(message, MDReqID.FIELD), FixTranslator.optString(message, Text.FIELD));
                default -> log.debug("ignoring {} from {}", type, venue);
            }
        } catch (FieldNotFound | RuntimeException e) {
            // A message we cannot translate must not break the session: log it with its content and go on.
            log.error("cannot translate message from {} ({}): {}", venue, e, message.toString().replace('\u0001', '|'));
        }
    }

    static String symbolOf(Message m) {
        return FixTranslator.optString(m, Symbol.FIELD);
    }
}
