package io.tradergateway.simvenue;

import io.tradergateway.domain.Side;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import quickfix.Application;
import quickfix.ConfigError;
import quickfix.DefaultMessageFactory;
import quickfix.FieldMap;
import quickfix.FieldNotFound;
import quickfix.FileLogFactory;
import quickfix.FileStoreFactory;
import quickfix.Group;
import quickfix.Message;
import quickfix.RuntimeError;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionNotFound;
import quickfix.SessionSettings;
import quickfix.SocketAcceptor;
import quickfix.UnsupportedMessageType;
import quickfix.field.BusinessRejectReason;
import quickfix.field.BusinessRejectRefID;
import quickfix.field.ClOrdID;
import quickfix.field.ExecType;
import quickfix.field.ExpireTime;
import quickfix.field.MDEntryType;
import quickfix.field.MDReqID;
import quickfix.field.MDUpdateType;
import quickfix.field.MarketDepth;
import quickfix.field.MsgSeqNum;
import quickfix.field.MsgType;
import quickfix.field.NoMDEntryTypes;
import quickfix.field.NoRelatedSym;
import quickfix.field.OrdType;
import quickfix.field.OrderID;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.PossResend;
import quickfix.field.Price;
import quickfix.field.RefMsgType;
import quickfix.field.RefSeqNum;
import quickfix.field.SecurityListRequestType;
import quickfix.field.SecurityReqID;
import quickfix.field.SubscriptionRequestType;
import quickfix.field.Symbol;
import quickfix.field.Text;
import quickfix.field.TimeInForce;
import quickfix.fix44.BusinessMessageReject;
import quickfix.fix44.ExecutionReport;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bundled simulated FIX venue: one QuickFIX/J acceptor hosting every configured venue as its own session on its
 * own port, a seeded market behind it, and controls for tests (move prices, print trades, script outcomes, inject
 * faults).
 *
 * <p>Threading: QuickFIX/J callbacks only read the message into a {@link VenueRequest} and hand it to one
 * single-threaded scheduler, which owns the whole market (single writer). Each venue answers its requests in arrival
 * order after its ack latency plus seeded jitter. Test controls run on the same thread and return when done.
 */
public final class SimVenue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SimVenue.class);
    private static final long CONTROL_TIMEOUT_SECONDS = 30;

    private final SimVenueConfig config;
    private final ScheduledThreadPoolExecutor scheduler;
    private final SimMarket market;
    private final Map<String, SessionID> sessions = new LinkedHashMap<>();
    /** Per venue, the newest application messages received ({@link RecentHistory#CAPACITY}). */
    private final Map<String, RecentHistory<SimOrderEvent>> received = new HashMap<>();
    private final Map<String, Deque<VenueLie>> lies = new ConcurrentHashMap<>();
    /** Requests waiting for their venue's ack delay, per venue, in arrival order (scheduler thread only). */
    private final Map<String, Deque<Pending>> waiting = new HashMap<>();
    private final Map<String, Long> lastDueNanos = new HashMap<>();
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Venues whose messages sent while logged out are lost instead of stored for a FIX resend (fault). */
    private final Set<String> losesWhileLoggedOut = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Message>> lost = new ConcurrentHashMap<>();
    /** Per venue, texts of BusinessMessageRejects for the next order messages (fault). */
    private final Map<String, Queue<String>> refusals = new ConcurrentHashMap<>();
    /** How many more NewOrderSingles (at whichever venue) are lost on their way in (fault). */
    private final AtomicInteger newOrdersToLose = new AtomicInteger();
    /** Venues whose fill reports are held back (fault), and the reports held. */
    private final Set<String> holdsFillReports = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Message>> heldFillReports = new ConcurrentHashMap<>();
    private SocketAcceptor acceptor;
    /** Per venue, the FIX version its session speaks (built once the acceptor has created the sessions). */
    private final Map<String, FixDialect> dialects = new ConcurrentHashMap<>();

    private record Pending(long dueNanos, VenueRequest request) { }

    private SimVenue(SimVenueConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sim-venue-market");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.market = new SimMarket(config, clock, this::send, (task, delay) ->
                scheduler.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS));
        for (String venue : config.venues()) {
            received.put(venue, new RecentHistory<>());
            waiting.put(venue, new ArrayDeque<>());
            lastDueNanos.put(venue, Long.MIN_VALUE);
        }
    }

    /** Starts every venue's acceptor session; returns once the acceptor is listening on all configured ports. */
    public static SimVenue start(SimVenueConfig config) {
        return start(config, Clock.systemUTC());
    }

    static SimVenue start(SimVenueConfig config, Clock clock) {
        SimVenue venue = new SimVenue(config, clock);
        try {
            venue.startAcceptor();
        } catch (RuntimeException e) {
            venue.close();
            throw e;
        }
        return venue;
    }

    private void startAcceptor() {
        SessionSettings settings = config.sessionSettings();
        settings.sectionIterator().forEachRemaining(id -> sessions.put(id.getSenderCompID(), id));
        try {
            acceptor = new SocketAcceptor(new FixApplication(), new FileStoreFactory(settings), settings,
                    new FileLogFactory(settings), new DefaultMessageFactory());
            acceptor.start();
        } catch (ConfigError | RuntimeError e) {
            throw new IllegalStateException("sim-venue: cannot start the FIX acceptor: " + e.getMessage(), e);
        }
        Duration tick = config.tickInterval();
        if (!tick.isZero()) {
            scheduler.scheduleAtFixedRate(guarded(() -> market.tick(tick)), tick.toNanos(), tick.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        for (String venue : config.venues()) {
            VenueProfile p = config.profile(venue);
            log.info("{} listening on port {} as {} -> {} ({}): symbols {}, spread {} bps, {} levels, ack {} ms (+<{} ms), fee {} bps, "
                            + "reject rate {}, partial fills {}{}",
                    venue, config.port(venue), venue, sessions.get(venue).getTargetCompID(), config.beginString(venue),
                    p.symbols(), p.spreadBps().toPlainString(), p.depthLevels(), p.ackLatency().toMillis(),
                    p.ackJitter().toMillis(), p.feeBps().toPlainString(), p.rejectRate(), p.partialFillProbability(),
                    describeSupport(p));
        }
        log.info("sim-venue started: seed {}, tick {}, data dir {}", config.seed(),
                tick.isZero() ? "off" : tick.toMillis() + " ms", config.dataDir().toAbsolutePath());
    }

    /** What a venue that supports less does not take, for the start-up line ("" for a full venue). */
    private static String describeSupport(VenueProfile p) {
        VenueProfile.Support s = p.support();
        StringBuilder b = new StringBuilder();
        if (!s.orderTypes().equals(VenueProfile.Support.FULL.orderTypes())) {
            b.append(", order types ").append(VenueProfile.Support.names(VenueProfile.Support.ORDER_TYPES, s.orderTypes()));
        }
        if (!s.timeInForces().equals(VenueProfile.Support.FULL.timeInForces())) {
            b.append(", TIF ").append(VenueProfile.Support.names(VenueProfile.Support.TIME_IN_FORCES, s.timeInForces()));
        }
        if (!s.refusedMessageTypes().isEmpty()) {
            b.append(", refuses 35=").append(String.join("/", new TreeSet<>(s.refusedMessageTypes())));
        }
        if (p.execIdStart() != null) b.append(", ExecIDs from ").append(p.execIdStart());
        return b.toString();
    }

    // ---------------------------------------------------------------- test and operator controls

    public SimVenueConfig config() {
        return config;
    }

    public Set<String> venues() {
        return config.venues();
    }

    public boolean isLoggedOn(String venue) {
        Session session = Session.lookupSession(sessionId(venue));
        return session != null && session.isLoggedOn();
    }

    /** The shared reference mid of the symbol. */
    public BigDecimal mid(String symbol) {
        return call(() -> market.mid(symbol));
    }

    /**
     * Jumps the reference price: every venue's book regenerates around it, market data goes out, and resting limit
     * orders the new book crosses fill (at their limit price).
     */
    public void setMid(String symbol, BigDecimal mid) {
        call(() -> {
            market.setMid(symbol, mid);
            return null;
        });
    }

    /** A background trade on every venue listing the symbol: market-data trade entry, last price, volume. */
    public void printTrade(String symbol, BigDecimal price, BigDecimal quantity) {
        call(() -> {
            market.printTrade(symbol, price, quantity);
            return null;
        });
    }

    /** Queues an outcome for the venue's next valid NewOrderSingle (FIFO; one outcome per order). */
    public void scriptNext(String venue, ScriptedOutcome outcome) {
        call(() -> {
            market.scriptNext(venue, outcome);
            return null;
        });
    }

    public void setRejectRate(String venue, double rate) {
        call(() -> {
            market.setRejectRate(venue, rate);
            return null;
        });
    }

    /** Answers (acks, fills, cancels, ...) come {@code base} plus a seeded random part of {@code jitter} later. */
    public void setAckDelay(String venue, Duration base, Duration jitter) {
        call(() -> {
            market.setAckDelay(venue, base, jitter);
            return null;
        });
    }

    /**
     * Fault: with {@code false} the venue keeps GTD orders working past their ExpireTime(126), as a venue that treats
     * GTD as GTC would, so that the client's own expiry handling can be tested. Applies to expiries due from now on.
     */
    public void setHonourExpireTime(String venue, boolean honour) {
        call(() -> {
            market.setHonourExpireTime(venue, honour);
            return null;
        });
    }

    /**
     * Fault: the venue refuses its next order message (D, F or G) at business level with a BusinessMessageReject
     * (35=j) carrying {@code text}, instead of an ExecutionReport or OrderCancelReject, as a venue whose gateway refuses
     * a message it cannot process would. The message never reaches the market.
     */
    public void refuseNextOrderMessage(String venue, String text) {
        refusals.computeIfAbsent(venue, v -> new ConcurrentLinkedQueue<>()).add(text);
    }

    /** Fault: the venue cancels a live order on its own (an unsolicited ExecType 4 with {@code text}). */
    public void cancelUnsolicited(String venue, String clOrdId, String text) {
        call(() -> {
            market.unsolicitedCancel(venue, clOrdId, text);
            return null;
        });
    }

    /**
     * Fault: an ExecutionReport (ExecType F) for an order that has already ended, as a venue correcting a fill it
     * failed to report would. The order keeps its final OrdStatus; CumQty and AvgPx include the late quantity.
     */
    public void sendLateFill(String venue, String clOrdId, BigDecimal quantity, BigDecimal price) {
        call(() -> {
            market.lateFill(venue, clOrdId, quantity, price);
            return null;
        });
    }

    /**
     * Fault: with {@code true}, what the venue sends while its session is logged out (fills of resting orders, expiries)
     * is lost rather than stored for a FIX resend, so the client learns of it only by asking (OrderStatusRequest).
     */
    public void setLoseMessagesWhileLoggedOut(String venue, boolean lose) {
        if (lose) losesWhileLoggedOut.add(venue); else losesWhileLoggedOut.remove(venue);
    }

    /**
     * Fault: sends now, as new messages, what {@link #setLoseMessagesWhileLoggedOut} lost, as a venue whose outage
     * backlog comes through late would (after the client has already reconciled by status request). Returns how many.
     */
    public int deliverLostMessages(String venue) {
        return sendBacklog(venue, lost.remove(venue));
    }

    private int sendBacklog(String venue, List<Message> backlog) {
        if (backlog == null) return 0;
        for (Message message : backlog) send(venue, message);
        return backlog.size();
    }

    /**
     * Fault: the next NewOrderSingle to arrive, at whichever venue, is lost on its way in, as one in flight when a
     * connection dies: it never reaches the venue (not in {@link #received}, no answer), so the venue does not know its
     * ClOrdID. The session stays up; a test drops it or restarts the client to play the crash.
     */
    public void loseNextNewOrder() {
        newOrdersToLose.incrementAndGet();
    }

    /**
     * Fault: with {@code true}, the venue's fill ExecutionReports (150=F) are held back instead of sent, as a venue whose
     * fill reports come by a slower path than its OrderCancelRejects would; the orders fill at the venue all the same.
     * {@link #releaseHeldFillReports} sends them.
     */
    public void holdFillReports(String venue, boolean hold) {
        if (hold) holdsFillReports.add(venue); else holdsFillReports.remove(venue);
    }

    /** Fault: sends now, in order, the fill reports {@link #holdFillReports} held back; returns how many. */
    public int releaseHeldFillReports(String venue) {
        holdsFillReports.remove(venue);
        return sendBacklog(venue, heldFillReports.remove(venue));
    }

    /** Disconnects the venue's session now, without a Logout (the initiator will reconnect). */
    public void dropSession(String venue) {
        Session session = Session.lookupSession(sessionId(venue));
        if (session == null) return;
        try {
            log.info("{} dropping the FIX session (fault injection)", venue);
            session.disconnect("dropped by SimVenue.dropSession", false);
        } catch (IOException e) {
            log.warn("{} dropping the session failed: {}", venue, e.toString());
        }
    }

    /** The application messages the venue received (D, F, G, H), in order: the newest 100,000. */
    public List<SimOrderEvent> received(String venue) {
        RecentHistory<SimOrderEvent> list = received.get(venue);
        if (list == null) throw new IllegalArgumentException("unknown venue: " + venue);
        return list.snapshot();
    }

    /** The fills the venue reported, in order: the newest 100,000. */
    public List<SimExecution> executions(String venue) {
        return call(() -> List.copyOf(market.executions(venue)));
    }

    /** The current ClOrdIDs of the venue's working (live) orders, oldest first. */
    public List<String> workingOrders(String venue) {
        return call(() -> market.workingOrders(venue));
    }

    /** A copy of the venue's current book for the symbol. */
    public BookSnapshot book(String venue, String symbol) {
        return call(() -> market.book(venue, symbol));
    }

    /** The venue's last trade of the symbol (background or a fill there), or null if none yet. */
    public PriceLevel lastTrade(String venue, String symbol) {
        return call(() -> market.lastTrade(venue, symbol));
    }

    /** Runs background ticks now (price step, book regeneration, resting matches, maybe a trade), deterministically. */
    public void advanceTicks(int ticks) {
        if (ticks < 0) throw new IllegalArgumentException("ticks must be >= 0: " + ticks);
        call(() -> {
            market.advanceTicks(ticks);
            return null;
        });
    }

    /**
     * Stops this sim and starts a new one with the same config and clock, as a venue process restarting: same ports and
     * data dir (the FIX file store keeps sequence numbers, so clients resume their sessions), a fresh market (no
     * orders, prices back to their initial values, counters from the start). ExecIDs repeat those of the previous run
     * only for venues with an {@code execIdStart} (the default ExecIDs carry a per-start run id). Returns the new sim.
     */
    public SimVenue restart() {
        close();
        return start(config, clock);
    }

    /** Stops the acceptor (disconnecting every session) and the market thread. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        if (acceptor != null) {
            try {
                acceptor.stop(true);
            } catch (RuntimeException e) {
                log.warn("sim-venue: stopping the acceptor failed: {}", e.toString());
            }
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) log.warn("sim-venue: market thread did not stop in 5 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("sim-venue stopped");
    }

    // ---------------------------------------------------------------- plumbing

    private SessionID sessionId(String venue) {
        SessionID id = sessions.get(venue);
        if (id == null) throw new IllegalArgumentException("unknown venue: " + venue + " (known: " + sessions.keySet() + ")");
        return id;
    }

    private <T> T call(Callable<T> action) {
        if (closed.get()) throw new IllegalStateException("sim-venue is closed");
        try {
            return scheduler.submit(action).get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("sim-venue market thread did not answer in " + CONTROL_TIMEOUT_SECONDS + " s", e);
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A bug in one request must not kill the market thread (or stop the periodic ticks).
                log.error("sim-venue: task failed", e);
            }
        };
    }

    /**
     * Fault: the venue lies about its next fill. Before the true fill report (150=F) of whichever order fills next
     * there, it sends a copy with the {@code lie} in it under its own ExecID; the true report follows. Lies queue up:
     * one per fill report.
     */
    public void lieBeforeNextFill(String venue, VenueLie lie) {
        lies.computeIfAbsent(venue, v -> new ConcurrentLinkedDeque<>()).addLast(lie);
    }

    private void send(String venue, Message message) {
        Deque<VenueLie> queued = isFillReport(message) ? lies.get(venue) : null;
        VenueLie lie = queued == null ? null : queued.pollFirst();
        if (lie != null) {
            try {
                Message lying = lie.applyTo(message);
                log.warn("{} LYING about a fill ({}, fault): {}", venue, lie, lying);
                deliver(venue, lying);
            } catch (FieldNotFound e) {
                log.warn("{} cannot tell the lie {}: {}", venue, lie, e.toString());
            }
        }
        deliver(venue, message);
    }

    private void deliver(String venue, Message message) {
        if (holdsFillReports.contains(venue) && isFillReport(message)) {
            log.warn("{} HOLDING a fill report back (fault)", venue);
            heldFillReports.computeIfAbsent(venue, v -> new CopyOnWriteArrayList<>()).add(message);
            return;
        }
        if (losesWhileLoggedOut.contains(venue) && !isLoggedOn(venue)) {
            log.warn("{} LOST {} while logged out (fault: messages are not kept for resend)", venue,
                    message.getClass().getSimpleName());
            lost.computeIfAbsent(venue, v -> new CopyOnWriteArrayList<>()).add(message);
            return;
        }
        try {
            Session.sendToTarget(dialect(venue).convert(message), sessionId(venue));
        } catch (SessionNotFound e) {
            log.warn("{} cannot send {}: session not found", venue, message.getClass().getSimpleName());
        }
    }

    private FixDialect dialect(String venue) {
        return dialects.computeIfAbsent(venue, v -> FixDialect.of(sessionId(v)));
    }

    private static boolean isFillReport(Message message) {
        try {
            return message instanceof ExecutionReport
                    && message.getChar(ExecType.FIELD) == ExecType.TRADE;
        } catch (FieldNotFound e) {
            return false;
        }
    }

    /** Called on the QuickFIX/J thread: queue the request for the market thread, due after the venue's ack delay. */
    private void arrive(VenueRequest request) {
        if (closed.get()) return;
        try {
            scheduler.execute(guarded(() -> {
                String venue = request.venue();
                long now = System.nanoTime();
                long due = Math.max(now + market.drawAckDelay(venue).toNanos(), lastDueNanos.get(venue));
                lastDueNanos.put(venue, due);
                waiting.get(venue).addLast(new Pending(due, request));
                scheduler.schedule(guarded(() -> drain(venue)), due - now, TimeUnit.NANOSECONDS);
            }));
        } catch (RejectedExecutionException e) {
            log.debug("sim-venue closing: dropped {}", request);
        }
    }

    /** Handles the venue's due requests strictly in arrival order. */
    private void drain(String venue) {
        Deque<Pending> queue = waiting.get(venue);
        long now = System.nanoTime();
        while (!queue.isEmpty() && queue.peekFirst().dueNanos() - now <= 0) {
            VenueRequest request = queue.pollFirst().request();
            try {
                if (request instanceof VenueRequest.Refusal refusal) {
                    send(venue, refusal.reject());
                    continue;
                }
                market.handle(request);
            } catch (RuntimeException e) {
                log.error("{} failed to handle {}", venue, request, e);
            }
        }
    }

    private final class FixApplication implements Application {
        @Override
        public void onCreate(SessionID sessionId) {
        }

        @Override
        public void onLogon(SessionID sessionId) {
            String venue = sessionId.getSenderCompID();
            log.info("{} FIX session logged on ({})", venue, sessionId);
            submitQuietly(() -> market.onLogon(venue));
        }

        @Override
        public void onLogout(SessionID sessionId) {
            String venue = sessionId.getSenderCompID();
            log.info("{} FIX session logged out ({})", venue, sessionId);
            submitQuietly(() -> market.onLogout(venue));
        }

        private void submitQuietly(Runnable task) {
            if (closed.get()) return;
            try {
                scheduler.execute(guarded(task));
            } catch (RejectedExecutionException e) {
                log.debug("sim-venue closing: ignored a session event");
            }
        }

        @Override
        public void toAdmin(Message message, SessionID sessionId) {
        }

        @Override
        public void fromAdmin(Message message, SessionID sessionId) {
        }

        @Override
        public void toApp(Message message, SessionID sessionId) {
        }

        @Override
        public void fromApp(Message message, SessionID sessionId) throws FieldNotFound, UnsupportedMessageType {
            String venue = sessionId.getSenderCompID();
            String type = message.getHeader().getString(MsgType.FIELD);
            VenueProfile.Support support = config.profile(venue).support();
            if (support.refuses(type) || !dialect(venue).hasMessageType(type)) {
                if (!type.equals(MsgType.MARKET_DATA_REQUEST) && !type.equals(MsgType.SECURITY_LIST_REQUEST)) {
                    received.get(venue).add(event(venue, type, message));
                }
                arrive(new VenueRequest.Refusal(venue, unsupported(venue, message, type)));
                return;
            }
            VenueRequest request = switch (type) {
                case MsgType.ORDER_SINGLE -> new VenueRequest.NewOrder(venue, message.getString(ClOrdID.FIELD),
                        str(message, Symbol.FIELD), chr(message, quickfix.field.Side.FIELD), chr(message, OrdType.FIELD),
                        dec(message, OrderQty.FIELD), dec(message, Price.FIELD), chr(message, TimeInForce.FIELD),
                        time(message, ExpireTime.FIELD),
                        message.getHeader().isSetField(PossResend.FIELD) && message.getHeader().getBoolean(PossResend.FIELD));
                case MsgType.ORDER_CANCEL_REQUEST -> new VenueRequest.Cancel(venue, message.getString(ClOrdID.FIELD),
                        str(message, OrigClOrdID.FIELD), str(message, OrderID.FIELD), str(message, Symbol.FIELD),
                        chr(message, quickfix.field.Side.FIELD));
                case MsgType.ORDER_CANCEL_REPLACE_REQUEST -> new VenueRequest.Replace(venue,
                        message.getString(ClOrdID.FIELD), str(message, OrigClOrdID.FIELD), str(message, OrderID.FIELD),
                        str(message, Symbol.FIELD), chr(message, quickfix.field.Side.FIELD), chr(message, OrdType.FIELD),
                        dec(message, OrderQty.FIELD), dec(message, Price.FIELD));
                case MsgType.ORDER_STATUS_REQUEST -> new VenueRequest.Status(venue, message.getString(ClOrdID.FIELD),
                        str(message, OrderID.FIELD), str(message, Symbol.FIELD), chr(message, quickfix.field.Side.FIELD));
                case MsgType.MARKET_DATA_REQUEST -> marketDataRequest(venue, message);
                case MsgType.SECURITY_LIST_REQUEST -> new VenueRequest.SecurityList(venue,
                        message.getString(SecurityReqID.FIELD), message.getInt(SecurityListRequestType.FIELD),
                        str(message, Symbol.FIELD));
                default -> throw new UnsupportedMessageType();
            };
            if (type.equals(MsgType.ORDER_SINGLE) && newOrdersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                log.warn("{} LOST NewOrderSingle {} on its way in (fault): the venue never sees it", venue,
                        message.getString(ClOrdID.FIELD));
                return;
            }
            if (!type.equals(MsgType.MARKET_DATA_REQUEST) && !type.equals(MsgType.SECURITY_LIST_REQUEST)) {
                received.get(venue).add(event(venue, type, message));
                String refusal = refusals.getOrDefault(venue, new ConcurrentLinkedQueue<>()).poll();
                if (refusal != null) {
                    refuse(venue, message, type, refusal);
                    return;
                }
            }
            arrive(request);
        }

        private SimOrderEvent event(String venue, String type, Message message) throws FieldNotFound {
            return new SimOrderEvent(venue, type, str(message, ClOrdID.FIELD),
                    str(message, OrigClOrdID.FIELD), str(message, Symbol.FIELD),
                    side(chr(message, quickfix.field.Side.FIELD)), dec(message, OrderQty.FIELD),
                    dec(message, Price.FIELD), clock.instant());
        }

        /**
         * The venue does not support this message type (its profile refuses it): a BusinessMessageReject (35=j) with
         * RefMsgType, RefSeqNum, BusinessRejectReason=3 (unsupported message type), BusinessRejectRefID (the
         * request's ClOrdID, MDReqID or SecurityReqID when it has one) and a Text naming the venue and the message.
         */
        private Message unsupported(String venue, Message message, String type) throws FieldNotFound {
            BusinessMessageReject reject = new BusinessMessageReject(
                    new RefMsgType(type),
                    new BusinessRejectReason(BusinessRejectReason.UNSUPPORTED_MESSAGE_TYPE));
            reject.setInt(RefSeqNum.FIELD, message.getHeader().getInt(MsgSeqNum.FIELD));
            String refId = str(message, ClOrdID.FIELD);
            if (refId == null) refId = str(message, MDReqID.FIELD);
            if (refId == null) refId = str(message, SecurityReqID.FIELD);
            if (refId != null) reject.setString(BusinessRejectRefID.FIELD, refId);
            String text = venue + " does not support " + messageName(type) + " (35=" + type + ")";
            reject.setString(Text.FIELD, text);
            log.info("{} refusing {} {}: {}", venue, type, refId == null ? "" : refId, text);
            return reject;
        }

        private static String messageName(String type) {
            return switch (type) {
                case MsgType.ORDER_CANCEL_REQUEST -> "OrderCancelRequest";
                case MsgType.ORDER_CANCEL_REPLACE_REQUEST -> "OrderCancelReplaceRequest";
                case MsgType.ORDER_STATUS_REQUEST -> "OrderStatusRequest";
                case MsgType.MARKET_DATA_REQUEST -> "MarketDataRequest";
                case MsgType.SECURITY_LIST_REQUEST -> "SecurityListRequest";
                case MsgType.ORDER_SINGLE -> "NewOrderSingle";
                default -> "message type " + type;
            };
        }

        /** A BusinessMessageReject (35=j) naming the refused message by MsgSeqNum, type and ClOrdID. */
        private void refuse(String venue, Message message, String type, String text) throws FieldNotFound {
            BusinessMessageReject reject = new BusinessMessageReject(
                    new RefMsgType(type),
                    new BusinessRejectReason(BusinessRejectReason.OTHER));
            reject.setInt(RefSeqNum.FIELD, message.getHeader().getInt(MsgSeqNum.FIELD));
            reject.setString(BusinessRejectRefID.FIELD, message.getString(ClOrdID.FIELD));
            reject.setString(Text.FIELD, text);
            log.warn("{} refusing {} {} with a BusinessMessageReject (fault): {}", venue, type,
                    message.getString(ClOrdID.FIELD), text);
            send(venue, reject);
        }

        private VenueRequest marketDataRequest(String venue, Message message) throws FieldNotFound {
            Set<Character> types = new LinkedHashSet<>();
            for (Group g : message.getGroups(NoMDEntryTypes.FIELD)) {
                if (g.isSetField(MDEntryType.FIELD)) types.add(g.getChar(MDEntryType.FIELD));
            }
            List<String> symbols = new ArrayList<>();
            for (Group g : message.getGroups(NoRelatedSym.FIELD)) {
                if (g.isSetField(Symbol.FIELD)) symbols.add(g.getString(Symbol.FIELD));
            }
            return new VenueRequest.MarketData(venue, message.getString(MDReqID.FIELD),
                    message.getChar(SubscriptionRequestType.FIELD),
                    message.isSetField(MarketDepth.FIELD) ? message.getInt(MarketDepth.FIELD) : 0,
                    message.isSetField(MDUpdateType.FIELD) ? message.getInt(MDUpdateType.FIELD) : null, types, symbols);
        }
    }

    private static String str(FieldMap m, int tag) throws FieldNotFound {
        return m.isSetField(tag) ? m.getString(tag) : null;
    }

    private static Character chr(FieldMap m, int tag) throws FieldNotFound {
        return m.isSetField(tag) ? m.getChar(tag) : null;
    }

    private static BigDecimal dec(FieldMap m, int tag) throws FieldNotFound {
        return m.isSetField(tag) ? m.getDecimal(tag) : null;
    }

    private static Instant time(FieldMap m, int tag) throws FieldNotFound {
        return m.isSetField(tag) ? m.getUtcTimeStamp(tag).toInstant(ZoneOffset.UTC) : null;
    }

    private static Side side(Character fix) {
        if (fix == null) return null;
        return fix == '1' ? Side.BUY : fix == '2' ? Side.SELL : null;
    }
}
