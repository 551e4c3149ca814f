package io.tradergateway.fix;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.tradergateway.domain.Instrument;
import io.tradergateway.execution.OrderCommand;
import io.tradergateway.execution.VenueCapabilities;
import io.tradergateway.execution.VenueEventSink;
import io.tradergateway.execution.VenueExecutionReport;
import io.tradergateway.execution.VenueGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.DoNotSend;
import quickfix.FieldNotFound;
import quickfix.FileStoreFactory;
import quickfix.LogFactory;
import quickfix.Message;
import quickfix.MessageStoreFactory;
import quickfix.SLF4JLogFactory;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.SessionSettings;
import quickfix.ThreadedSocketInitiator;
import quickfix.field.ClOrdID;
import quickfix.field.MDReqID;
import quickfix.field.MsgSeqNum;
import quickfix.field.MsgType;
import quickfix.field.Password;
import quickfix.field.RefMsgType;
import quickfix.field.RefSeqNum;
import quickfix.field.Symbol;
import quickfix.field.Text;
import quickfix.field.Username;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The gateway's FIX side: one QuickFIX/J initiator session per venue from {@code fix-config/}, a file store
 * (sequence numbers survive restarts) and per-session message logs (SLF4J, written once by Logback: rotated, capped,
 * no heartbeats, market data only with {@code LogMarketData=Y}).
 * Each session speaks its own version (SPEC 4.1) and honours its venue keys (SPEC 4.2, {@link VenueSettings}).
 * Callbacks only translate and hand over to the {@link VenueEventSink}; they never block.
 *
 * <p>Commands from the engine ({@link #send}) are checked on the caller's thread (session, capabilities) and leave on
 * the {@code fix-output} thread, one after the other in the order given: building the message, QuickFIX/J's store and
 * the socket write stay off the engine's thread. An order that the session no longer takes by then comes back as
 * {@link VenueEventSink#onOrderNotSent}.
 */
public final class FixVenueGateway implements VenueGateway, Application, SessionControl, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FixVenueGateway.class);
    /** A SecurityList not answered within this time after logon: the configured instruments stand (for readiness). */
    static final Duration SECURITY_LIST_WAIT = Duration.ofSeconds(15);
    private static final int SENT_ORDER_MESSAGES_KEPT = 10_000;
    /** A clean stop waits this long for the venues to answer our Logout, then drops the sockets. */
    static final Duration LOGOUT_WAIT = Duration.ofSeconds(5);
    static final String STOPPING = "gateway stopping";
    private static final String DEFAULT_APPL_VER_ID = "DefaultApplVerID";
    /** Gateway key: {@code Y} = this session's market data (35=V/W/X/Y) goes to its message log too (default N). */
    public static final String LOG_MARKET_DATA = "LogMarketData";

    private final SessionSettings settings;
    private volatile VenueEventSink sink;
    private final Clock clock;
    private final Map<String, SessionID> sessionsByVenue = new LinkedHashMap<>();
    private final Map<String, FixVersion> versions = new LinkedHashMap<>();
    private final Map<String, VenueSettings> venueSettings = new LinkedHashMap<>();
    private final Map<String, Boolean> loggedOn = new ConcurrentHashMap<>();
    /** Venues whose instruments are known: SecurityList answered or refused, or not asked for. */
    private final Set<String> instrumentsKnown = ConcurrentHashMap.newKeySet();
    /** Venues whose SecurityListRequest is out, with when it was sent. */
    private final Map<String, Instant> securityListAskedAt = new ConcurrentHashMap<>();
    /** Venues whose SecurityList refusal was logged (once per session). */
    private final Set<String> securityListRefusalLogged = ConcurrentHashMap.newKeySet();
    private final SessionWatch watch;
    private final MarketDataTranslator marketData = new MarketDataTranslator();
    private final AtomicLong requestIds = new AtomicLong();
    private final ExecutorService output = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fix-output");
        t.setDaemon(true);
        return t;
    });
    /** Per venue, our latest order messages by MsgSeqNum (see {@link FixTranslator.SentOrderMessage}). */
    private final Map<String, Map<Integer, FixTranslator.SentOrderMessage>> sentOrderMessages = new ConcurrentHashMap<>();
    private volatile boolean closing;
    /** Per venue counters and ack latency; no registry until {@link #bindMetrics} (then they are no-ops). */
    private volatile FixMetrics metrics;
    /** Venues an operator logged out: their Logout is no session problem, and they stay out until logged on. */
    private final Set<String> operatorLoggedOut = ConcurrentHashMap.newKeySet();
    /** Venues whose market data messages are logged ({@code LogMarketData=Y}). */
    private final Set<String> logMarketData = ConcurrentHashMap.newKeySet();
    private ThreadedSocketInitiator initiator;
    /** Set by {@link #useJdbcStore}: the FIX store lives in the gateway's database instead of files (hot standby). */
    private volatile DataSource jdbcStore;

    /**
     * @param configFile    QuickFIX/J settings with one [session] per venue (TargetCompID = venue name)
     * @param storeDir      FileStorePath: sequence numbers and sent messages
     * @param logDir        not used any more: FIX messages and session events are logged once, through SLF4J (one
     *                      category per session, {@code quickfixj.msg.<venue>.in|out}, {@code quickfixj.event.<venue>}),
     *                      and Logback writes them rotated and size-capped (logback.xml); kept for source compatibility
     * @param portOverrides venue name to SocketConnectPort (tests on free ports); empty in production
     * @throws IllegalArgumentException one line naming the session and the key when a setting is bad (SPEC 4.1, 4.2)
     */
    public FixVenueGateway(Path configFile, Path storeDir, Path logDir, Map<String, Integer> portOverrides, Clock clock) {
        this(configFile, storeDir, logDir, portOverrides, clock, System::getenv);
    }

    /** As above, with {@code env} standing in for the environment ({@code ${NAME}} in LogonUsername / LogonPassword). */
    public FixVenueGateway(Path configFile, Path storeDir, Path logDir, Map<String, Integer> portOverrides, Clock clock,
                           Function<String, String> env) {
        this.clock = clock;
        this.watch = new SessionWatch(clock);
        try (InputStream in = Files.newInputStream(configFile)) {
            this.settings = new SessionSettings(in);
        } catch (IOException | ConfigError e) {
            throw new IllegalStateException("cannot read FIX settings " + configFile + ": " + e.getMessage(), e);
        }
        settings.setString("FileStorePath", storeDir.toAbsolutePath().toString());
        for (Iterator<SessionID> it = settings.sectionIterator(); it.hasNext(); ) {
            SessionID id = it.next();
            String venue = id.getTargetCompID();
            FixVersion version = versionOf(id);
            useStockDictionaries(id, version);
            VenueSettings vs = VenueSettings.parse(id.toString(), venue, version, key -> raw(id, key), env);
            sessionsByVenue.put(venue, id);
            versions.put(venue, version);
            venueSettings.put(venue, vs);
            loggedOn.put(venue, false);
            if (flag(id, LOG_MARKET_DATA, false)) logMarketData.add(venue);
            Integer port = portOverrides.get(venue);
            if (port != null) settings.setLong(id, "SocketConnectPort", port);
            log.info("FIX session {}: {}", id, vs.describe());
            VenueCapabilities caps = vs.capabilities();
            if (caps.routeOrders() && !caps.securityListRequest() && caps.instruments().isEmpty()) {
                log.warn("FIX session {}: SecurityListRequest=N and no Instruments: {} lists nothing, so nothing is routed to it", id, venue);
            }
        }
        if (sessionsByVenue.isEmpty()) {
            throw new IllegalStateException("FIX settings " + configFile + " define no [session]");
        }
        this.metrics = new FixMetrics(new CompositeMeterRegistry(), sessionsByVenue.keySet());
    }

    /**
     * Registers the per-venue meters in {@code registry}: NewOrderSingles sent, fills, rejects, and the order ack latency
     * histogram ({@code trader_venue_*}). Call before {@link #start}.
     */
    public void bindMetrics(MeterRegistry registry) {
        this.metrics = new FixMetrics(registry, sessionsByVenue.keySet());
    }

    /** A Y/N gateway key of a session; a bad value stops start-up with a line naming the session and the key. */
    private boolean flag(SessionID id, String key, boolean defaultValue) {
        String v = raw(id, key);
        if (v == null || v.isBlank()) return defaultValue;
        return switch (v.trim().toUpperCase(Locale.ROOT)) {
            case "Y" -> true;
            case "N" -> false;
            default -> throw new IllegalArgumentException("FIX session " + id + ": " + key + "=" + v.trim() + " must be Y or N");
        };
    }

    /** The raw value of a key in a session (the [default] inherited), without QuickFIX/J's variable substitution. */
    private String raw(SessionID id, String key) {
        try {
            return settings.getSessionProperties(id, true).getProperty(key);
        } catch (ConfigError e) {
            throw new IllegalStateException("FIX session " + id + ": " + e.getMessage(), e);
        }
    }

    private FixVersion versionOf(SessionID id) {
        try {
            return FixVersion.of(id.getBeginString(), raw(id, DEFAULT_APPL_VER_ID));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FIX session " + id + ": " + e.getMessage());
        }
    }

    /**
     * A FIXT.1.1 session gets the shipped FIXT11 / FIX50SP2 dictionaries unless it names its own. A FIX 4.x session that
     * does not name a DataDictionary in its own block, and whose BeginString differs from the [default] one, gets the
     * shipped dictionary of its version rather than the [default] DataDictionary (which is for the default's version).
     */
    private void useStockDictionaries(SessionID id, FixVersion version) {
        String useDictionary = raw(id, "UseDataDictionary");
        if (useDictionary != null && !"Y".equalsIgnoreCase(useDictionary.trim())) return;
        if (version.isFixt()) {
            if (raw(id, "TransportDataDictionary") == null) settings.setString(id, "TransportDataDictionary", FixVersion.FIXT11_DICTIONARY);
            if (raw(id, "AppDataDictionary") == null) settings.setString(id, "AppDataDictionary", version.dictionary());
            return;
        }
        Properties own;
        try {
            own = settings.getSessionProperties(id, false);
        } catch (ConfigError e) {
            throw new IllegalStateException("FIX session " + id + ": " + e.getMessage(), e);
        }
        String defaultBegin = settings.getDefaultProperties().getProperty("BeginString");
        // get(), not getProperty(): a section's Properties fall back to [default] in getProperty
        if (own.get("DataDictionary") == null && !version.beginString().equals(defaultBegin)) {
            settings.setString(id, "DataDictionary", version.dictionary());
        }
    }

    /** Connects to the venues; what they say goes to {@code sink} (the engine). */
    public void start(VenueEventSink eventSink) {
        this.sink = eventSink;
        try {
            // One mechanism for FIX message logs: SLF4J, one category per session, rotated and size-capped by Logback.
            LogFactory logs = new WatchedLogFactory(new SLF4JLogFactory(settings), watch, logMarketData::contains);
            MessageStoreFactory store = new PasswordMaskingStoreFactory(jdbcStore != null ? jdbcStoreFactory(jdbcStore)
                    : new FileStoreFactory(settings));
            initiator = new ThreadedSocketInitiator(this, store, settings, logs, new DefaultMessageFactory());
            initiator.start();
            log.info("FIX initiator started for venues {}", sessionsByVenue.keySet());
        } catch (ConfigError e) {
            throw new IllegalStateException("FIX initiator configuration error: " + e.getMessage(), e);
        }
    }

    /**
     * Before {@link #start}: keep sequence numbers and sent messages in QuickFIX/J's JDBC store, tables {@code fix_sessions}
     * and {@code fix_messages} of the gateway's database (migration V3), instead of the file store under the data folder. A
     * hot standby on another machine then logs on with the numbers the active one stopped at.
     */
    public void useJdbcStore(DataSource dataSource) {
        this.jdbcStore = dataSource;
    }

    private MessageStoreFactory jdbcStoreFactory(DataSource dataSource) {
        settings.setString(quickfix.JdbcSetting.SETTING_JDBC_STORE_SESSIONS_TABLE_NAME, "fix_sessions");
        settings.setString(quickfix.JdbcSetting.SETTING_JDBC_STORE_MESSAGES_TABLE_NAME, "fix_messages");
        quickfix.JdbcStoreFactory factory = new quickfix.JdbcStoreFactory(settings);
        factory.setDataSource(dataSource);
        log.info("FIX store: QuickFIX/J JDBC store in the gateway database (fix_sessions, fix_messages)");
        return factory;
    }

    public Set<String> venues() {
        return sessionsByVenue.keySet();
    }

    @Override
    public Map<String, Boolean> sessionStates() {
        return Map.copyOf(loggedOn);
    }

    /** What each venue takes (SPEC 4.2), from its [session] keys. */
    @Override
    public Map<String, VenueCapabilities> capabilities() {
        Map<String, VenueCapabilities> out = new LinkedHashMap<>();
        venueSettings.forEach((venue, vs) -> out.put(venue, vs.capabilities()));
        return Collections.unmodifiableMap(out);
    }

    /** The FIX version of a venue's session. */
    public FixVersion fixVersion(String venue) {
        return versions.get(venue);
    }

    /** Per venue (in QuickFIX/J's session order): session state, capabilities and the last session problem. */
    public Map<String, SessionStatus> sessionStatus() {
        Map<String, SessionStatus> out = new LinkedHashMap<>();
        sessionsByVenue.forEach((venue, id) -> out.put(venue, new SessionStatus(venue, id.toString(),
                Boolean.TRUE.equals(loggedOn.get(venue)), instrumentsKnown(venue), watch.failed(venue),
                venueSettings.get(venue).capabilities(), watch.lastProblem(venue))));
        return out;
    }

    /**
     * True once every configured session has logged on and its instruments are known (SecurityList answered, refused,
     * not asked for, or not answered within {@link #SECURITY_LIST_WAIT}), or has failed to: its logon was refused or
     * not answered, or its connection refused, at least once since start. For {@code GET /ready}.
     */
    public boolean ready() {
        for (String venue : sessionsByVenue.keySet()) {
            if (!instrumentsKnown(venue) && !watch.failed(venue)) return false;
        }
        return true;
    }

    private boolean instrumentsKnown(String venue) {
        if (instrumentsKnown.contains(venue)) return true;
        Instant asked = securityListAskedAt.get(venue);
        if (asked != null && clock.instant().isAfter(asked.plus(SECURITY_LIST_WAIT))) {
            securityListAskedAt.remove(venue);
            SessionWatch.OPS.warn("venue={} no SecurityList {} s after asking: its configured Instruments {} stand", venue,
                    SECURITY_LIST_WAIT.toSeconds(), symbols(configuredInstruments(venue)));
            instrumentsKnown.add(venue);
            return true;
        }
        return false;
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
    public boolean accepts(OrderCommand command) {
        SessionID id = sessionsByVenue.get(command.venue());
        Session session = id == null ? null : Session.lookupSession(id);
        return session != null && session.isLoggedOn();
    }

    @Override
    public boolean send(OrderCommand command) {
        String venue = command.venue();
        SessionID id = sessionsByVenue.get(venue);
        if (id == null) {
            log.warn("no FIX session for venue {}: {} not sent", venue, command);
            return false;
        }
        VenueCapabilities caps = venueSettings.get(venue).capabilities();
        if (command instanceof OrderCommand.SubscribeMarketData && !caps.marketDataRequest()) {
            log.debug("{} has MarketDataRequest=N: {} not sent", venue, command);
            return false;
        }
        if (command instanceof OrderCommand.StatusRequest s && !caps.orderStatusRequest()) {
            log.debug("{} has OrderStatusRequest=N: status request for {} not sent", venue, s.clOrdId());
            sink.onStatusRequestRefused(venue, s.clOrdId(), "not sent: " + venue + " has OrderStatusRequest=N");
            return false;
        }
        if (!accepts(command)) return false;
        try {
            output.execute(() -> transmit(id, venue, command));
            return true;
        } catch (RejectedExecutionException e) {
            return false; // stopping
        }
    }

    /** On {@code fix-output}: the message leaves, or an order that could not is handed back to the engine. */
    private void transmit(SessionID id, String venue, OrderCommand command) {
        String failure;
        try {
            if (Session.sendToTarget(FixTranslator.toFix(versions.get(venue), command, venueSettings.get(venue).orderFields()), id)) {
                return;
            }
            failure = "not sent: FIX session to " + venue + " went down before the message left";
        } catch (SessionNotFound | RuntimeException e) {
            failure = "not sent to " + venue + ": " + e.getMessage();
        }
        log.warn("{}: {}", failure, command);
        if (command instanceof OrderCommand.NewOrder order) sink.onOrderNotSent(venue, order.clOrdId(), failure);
    }

    /**
     * A clean stop: a Logout (35=5, Text "gateway stopping") on every logged-on session, a wait of up to
     * {@link #LOGOUT_WAIT} for the venues to answer it, then the sockets are closed.
     */
    @Override
    public void close() {
        closing = true;
        output.shutdown();
        try {
            if (!output.awaitTermination(5, TimeUnit.SECONDS)) log.warn("venue commands still leaving after 5 s: stopping anyway");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (initiator == null) return;
        List<Session> up = new ArrayList<>();
        for (SessionID id : sessionsByVenue.values()) {
            Session session = Session.lookupSession(id);
            if (session != null && session.isLoggedOn()) {
                session.logout(STOPPING);
                up.add(session);
            }
        }
        long deadline = System.nanoTime() + LOGOUT_WAIT.toNanos();
        while (up.stream().anyMatch(Session::isLoggedOn) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<String> stillUp = up.stream().filter(Session::isLoggedOn).map(s -> s.getSessionID().getTargetCompID()).toList();
        if (!stillUp.isEmpty()) log.warn("no Logout answer within {} s from {}: disconnecting", LOGOUT_WAIT.toSeconds(), stillUp);
        initiator.stop(true);
        initiator = null;
        if (!up.isEmpty()) log.info("FIX sessions logged out: {}", up.stream().map(s -> s.getSessionID().getTargetCompID()).toList());
    }

    // ---------------------------------------------------------------- operator control (SessionControl)

    @Override
    public Outcome logon(String venue) {
        Session session = session(venue);
        if (session == null) return unknown(venue);
        operatorLoggedOut.remove(venue);
        boolean already = session.isLoggedOn();
        session.logon();
        SessionWatch.OPS.info("venue={} FIX session logon requested by an operator{}", venue, already ? " (already logged on)" : "");
        return new Outcome(Result.DONE, already ? venue + " is logged on" : "logon of " + venue + " under way");
    }

    @Override
    public Outcome logout(String venue, String reason) {
        Session session = session(venue);
        if (session == null) return unknown(venue);
        String why = reason == null || reason.isBlank() ? "logout requested by an operator" : reason.strip();
        operatorLoggedOut.add(venue);
        boolean wasUp = session.isLoggedOn();
        session.logout(why);
        SessionWatch.OPS.warn("venue={} FIX session logout requested by an operator: {}; it stays logged out until"
                + " POST /v1/venues/{}/logon", venue, SessionWatch.oneLine(why), venue);
        return new Outcome(Result.DONE, wasUp ? "logout of " + venue + " under way" : venue + " stays logged out");
    }

    @Override
    public Outcome setNextSequenceNumbers(String venue, Integer nextSender, Integer nextTarget) {
        Session session = session(venue);
        if (session == null) return unknown(venue);
        if (nextSender == null && nextTarget == null) {
            return new Outcome(Result.INVALID, "give next_sender_seq_num, next_target_seq_num or both");
        }
        if ((nextSender != null && nextSender < 1) || (nextTarget != null && nextTarget < 1)) {
            return new Outcome(Result.INVALID, "sequence numbers start at 1");
        }
        if (session.isLoggedOn() || session.isLogonSent()) {
            return new Outcome(Result.CONFLICT, venue + " is logged on (or logging on): POST /v1/venues/" + venue
                    + "/logout first, then set the sequence numbers, then log on");
        }
        int[] before = sequenceNumbers(venue);
        try {
            if (nextSender != null) session.setNextSenderMsgSeqNum(nextSender);
            if (nextTarget != null) session.setNextTargetMsgSeqNum(nextTarget);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the FIX store of " + venue + ": " + e.getMessage(), e);
        }
        int[] after = sequenceNumbers(venue);
        SessionWatch.OPS.warn("venue={} FIX sequence numbers set by an operator: next sender {} -> {}, next target {} -> {}",
                venue, before[0], after[0], before[1], after[1]);
        return new Outcome(Result.DONE, "next sender " + after[0] + ", next target " + after[1]);
    }

    private Session session(String venue) {
        SessionID id = venue == null ? null : sessionsByVenue.get(venue);
        return id == null ? null : Session.lookupSession(id);
    }

    private static Outcome unknown(String venue) {
        return new Outcome(Result.UNKNOWN_VENUE, "no FIX session for venue " + venue);
    }

    // ---------------------------------------------------------------- QuickFIX/J callbacks

    @Override
    public void onCreate(SessionID sessionId) {
    }

    @Override
    public void onLogon(SessionID sessionId) {
        String venue = sessionId.getTargetCompID();
        loggedOn.put(venue, true);
        watch.onLogon(venue);
        SessionWatch.OPS.info("venue={} FIX session {} logged on (next MsgSeqNum out {}, in {})", venue, sessionId,
                nextSeq(sessionId, true), nextSeq(sessionId, false));
        sink.onSessionState(venue, true);
        VenueCapabilities caps = venueSettings.get(venue).capabilities();
        if (!caps.securityListRequest()) {
            instrumentsKnown.add(venue);
            if (!caps.instruments().isEmpty()) sink.onInstruments(venue, caps.instruments());
            return;
        }
        try {
            securityListAskedAt.putIfAbsent(venue, clock.instant());
            Session.sendToTarget(FixTranslator.securityListRequest(versions.get(venue), "SL-" + venue + "-" + requestIds.incrementAndGet()),
                    sessionId);
        } catch (SessionNotFound e) {
            log.warn("security list request to {} not sent: {}", venue, e.getMessage());
        }
    }

    private static String nextSeq(SessionID id, boolean sender) {
        Session session = Session.lookupSession(id);
        try {
            return session == null ? "?" : String.valueOf(sender ? session.getStore().getNextSenderMsgSeqNum()
                    : session.getStore().getNextTargetMsgSeqNum());
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public void onLogout(SessionID sessionId) {
        String venue = sessionId.getTargetCompID();
        boolean wasUp = Boolean.TRUE.equals(loggedOn.put(venue, false));
        watch.onLogout(venue);
        if (wasUp) {
            String why = closing ? " (gateway stopping)" : operatorLoggedOut.contains(venue) ? " by an operator" : "";
            SessionWatch.OPS.warn("venue={} FIX session {} logged out{}", venue, sessionId, why);
        }
        sink.onSessionState(venue, false);
    }

    @Override
    public void toAdmin(Message message, SessionID sessionId) {
        String type = FixTranslator.optString(message.getHeader(), MsgType.FIELD);
        String venue = sessionId.getTargetCompID();
        if (MsgType.LOGON.equals(type)) {
            VenueSettings vs = venueSettings.get(venue);
            if (vs.capabilities().logonUsername() != null) message.setString(Username.FIELD, vs.capabilities().logonUsername());
            if (vs.logonPassword() != null) message.setString(Password.FIELD, vs.logonPassword());
        } else if (MsgType.LOGOUT.equals(type) && !closing && !operatorLoggedOut.contains(venue)) {
            watch.onLogoutSent(venue, FixTranslator.optString(message, Text.FIELD));
        }
    }

    @Override
    public void fromAdmin(Message message, SessionID sessionId) {
        String type = FixTranslator.optString(message.getHeader(), MsgType.FIELD);
        String venue = sessionId.getTargetCompID();
        try {
            if (MsgType.REJECT.equals(type)) {
                onRefused(venue, message);
            } else if (MsgType.LOGOUT.equals(type) && !closing) {
                Session session = Session.lookupSession(sessionId);
                // An operator's logout is answered by the venue's: never a session problem, even when the flag of the Logout we
                // sent has already been reset by the time the answer is read.
                watch.onLogoutReceived(venue, FixTranslator.optString(message, Text.FIELD),
                        operatorLoggedOut.contains(venue) || session != null && session.isLogoutSent());
            }
        } catch (RuntimeException e) {
            log.error("cannot handle {} from {}: {}", type, venue, WatchedLogFactory.masked(message.toString()).replace('\u0001', '|'), e);
        }
    }

    /**
     * A session Reject (35=3) or BusinessMessageReject (35=j) of one of our messages, found by its RefSeqNum. Without this
     * a refused NewOrderSingle would stay PendingNew until the status request 10 s later; now it is a reject at once (and
     * fails over like one), a refused cancel is a cancel reject, a refused status request is told to the engine, and a
     * refused SecurityListRequest leaves the configured instruments standing.
     */
    private void onRefused(String venue, Message reject) {
        String ref = FixTranslator.optString(reject, RefSeqNum.FIELD);
        Map<Integer, FixTranslator.SentOrderMessage> sent = sentOrderMessages.get(venue);
        FixTranslator.SentOrderMessage refused = null;
        int refSeqNum = 0;
        if (ref != null && sent != null) {
            refSeqNum = Integer.parseInt(ref);
            refused = sent.get(refSeqNum);
        }
        if (refused == null && MsgType.SECURITY_LIST_REQUEST.equals(FixTranslator.optString(reject, RefMsgType.FIELD))) {
            refused = new FixTranslator.SentOrderMessage(MsgType.SECURITY_LIST_REQUEST, null, null);
        }
        if (refused == null) {
            log.warn("{} refused our message {}: {} (not an order message we know)", venue, ref == null ? "?" : ref,
                    FixTranslator.refusal(reject));
            return;
        }
        if (MsgType.SECURITY_LIST_REQUEST.equals(refused.msgType())) {
            onSecurityListRefused(venue, FixTranslator.refusal(reject));
            return;
        }
        log.warn("{} refused our {} {} (MsgSeqNum {}): {}", venue, refused.msgType(), refused.clOrdId(), refSeqNum,
                FixTranslator.refusal(reject));
        switch (refused.msgType()) {
            case MsgType.ORDER_SINGLE -> {
                metrics.orderRefused(venue, refused.clOrdId() == null ? null : refused.clOrdId().value());
                sink.onExecutionReport(FixTranslator.orderRefused(venue, reject, refused, refSeqNum, clock.instant()));
            }
            case MsgType.ORDER_STATUS_REQUEST -> sink.onStatusRequestRefused(venue, refused.clOrdId(), FixTranslator.refusal(reject));
            default -> sink.onCancelReject(FixTranslator.requestRefused(venue, reject, refused, clock.instant()));
        }
    }

    private void onSecurityListRefused(String venue, String why) {
        securityListAskedAt.remove(venue);
        List<Instrument> configured = configuredInstruments(venue);
        if (securityListRefusalLogged.add(venue)) {
            SessionWatch.OPS.warn("venue={} refused our SecurityListRequest: {}; its configured Instruments {} stand"
                    + " (set SecurityListRequest=N to stop asking)", venue, why, symbols(configured));
        }
        instrumentsKnown.add(venue);
        if (!configured.isEmpty()) sink.onInstruments(venue, configured);
    }

    private void onSecurityList(String venue, List<Instrument> listed) {
        securityListAskedAt.remove(venue);
        instrumentsKnown.add(venue);
        List<Instrument> merged = new ArrayList<>(listed);
        for (Instrument configured : configuredInstruments(venue)) {
            if (listed.stream().noneMatch(i -> i.symbol().equals(configured.symbol()))) merged.add(configured);
        }
        sink.onInstruments(venue, merged);
    }

    private List<Instrument> configuredInstruments(String venue) {
        return venueSettings.get(venue).capabilities().instruments();
    }

    private static List<String> symbols(List<Instrument> instruments) {
        return instruments.stream().map(Instrument::symbol).toList();
    }

    private void rememberSent(String venue, Message message) {
        FixTranslator.SentOrderMessage sent = FixTranslator.sentOrderMessage(message);
        String seq = FixTranslator.optString(message.getHeader(), MsgSeqNum.FIELD);
        if (sent == null || seq == null) return;
        sentOrderMessages.computeIfAbsent(venue, v -> Collections.synchronizedMap(
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
                            type, FixTranslator.optString(message, ClOrdID.FIELD), sessionId.getTargetCompID());
                    throw new DoNotSend();
                }
            } catch (FieldNotFound e) {
                // no MsgType: let QuickFIX/J handle it
            }
        }
        rememberSent(sessionId.getTargetCompID(), message);
        if (MsgType.ORDER_SINGLE.equals(FixTranslator.optString(message.getHeader(), MsgType.FIELD))) {
            metrics.orderSent(sessionId.getTargetCompID(), FixTranslator.optString(message, ClOrdID.FIELD));
        }
    }

    @Override
    public void fromApp(Message message, SessionID sessionId) {
        String venue = sessionId.getTargetCompID();
        FixVersion version = versions.get(venue);
        try {
            String type = message.getHeader().getString(MsgType.FIELD);
            switch (type) {
                case MsgType.EXECUTION_REPORT -> onExecutionReport(version, venue, message);
                case MsgType.ORDER_CANCEL_REJECT ->
                        sink.onCancelReject(FixTranslator.cancelReject(version, venue, message, clock.instant()));
                case MsgType.SECURITY_LIST -> onSecurityList(venue, FixTranslator.securityList(version, message));
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

    private void onExecutionReport(FixVersion version, String venue, Message message) throws FieldNotFound {
        VenueExecutionReport report = FixTranslator.executionReport(version, venue, message, clock.instant());
        String notice = FixTranslator.correctionNotice(version, message);
        if (notice != null) {
            SessionWatch.OPS.warn("plan=- clOrdId={} venue={} {}", report.clOrdId(), venue, notice);
        }
        if (!FixTranslator.possDup(message)) metrics.report(report);
        sink.onExecutionReport(report);
    }

    static String symbolOf(Message m) {
        return FixTranslator.optString(m, Symbol.FIELD);
    }
}
