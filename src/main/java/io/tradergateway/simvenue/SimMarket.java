package io.tradergateway.simvenue;

import io.tradergateway.domain.Side;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import quickfix.Message;
import quickfix.field.CxlRejReason;
import quickfix.field.CxlRejResponseTo;
import quickfix.field.MDEntryType;
import quickfix.field.MDReqRejReason;
import quickfix.field.OrdRejReason;
import quickfix.field.OrdStatus;
import quickfix.field.OrigClOrdID;
import quickfix.field.SecurityRequestResult;
import quickfix.field.Text;
import quickfix.fix44.ExecutionReport;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The whole simulated market: reference prices, every venue's books, orders, scripted outcomes and market-data
 * subscriptions. Single writer: every method runs on the SimVenue's one scheduler thread (except the
 * {@code executions} lists, which tests read from elsewhere), so there are no locks and, for a given seed and
 * order flow, the same fills.
 */
final class SimMarket {
    private static final Logger log = LoggerFactory.getLogger(SimVenue.class);
    /** The GBM step used by {@link #advanceTicks} when background ticks are off. */
    static final Duration NOMINAL_TICK = Duration.ofMillis(250);
    /** Background trades print within this many bps of the mid. */
    private static final double BACKGROUND_TRADE_BAND_BPS = 3;

    /** Sends a FIX message on a venue's session. */
    interface Outbound {
        void send(String venue, Message message);
    }

    /** Runs a task on the market thread after a delay. */
    interface Timer {
        void schedule(Runnable task, Duration delay);
    }

    private final SimVenueConfig config;
    private final Clock clock;
    private final Outbound out;
    private final Timer timer;
    private final String runId;
    private final Map<String, PriceProcess> prices = new LinkedHashMap<>();
    private final Map<String, SplittableRandom> tradeRandoms = new HashMap<>();
    private final Map<String, VenueState> venues = new LinkedHashMap<>();
    /** Book state before the current operation changed it, and trades printed during it, per venue and symbol. */
    private final Map<String, PendingMd> pendingMd = new LinkedHashMap<>();
    private long securityListSeq;

    SimMarket(SimVenueConfig config, Clock clock, Outbound out, Timer timer) {
        this.config = config;
        this.clock = clock;
        this.out = out;
        this.timer = timer;
        // Ids must never repeat across sim restarts: the gateway keys fills by (venue, ExecID).
        this.runId = Long.toString(clock.millis(), 36);
        long seed = config.seed();
        for (SymbolSpec spec : config.symbols().values()) {
            prices.put(spec.symbol(), new PriceProcess(spec, stream(seed, "price", spec.symbol()), config.timeScale()));
            tradeRandoms.put(spec.symbol(), stream(seed, "trades", spec.symbol()));
        }
        for (String name : config.venues()) {
            VenueProfile profile = config.profile(name);
            VenueState v = new VenueState(name, profile, stream(seed, "venue", name));
            for (String symbol : profile.symbols()) {
                OrderBook book = new OrderBook(config.symbols().get(symbol), stream(seed, "book:" + name, symbol));
                book.regenerate(prices.get(symbol).mid(), profile);
                v.books.put(symbol, book);
                v.resting.put(symbol, new ArrayList<>());
            }
            venues.put(name, v);
        }
    }

    /** An independent random stream per purpose and name, so adding a venue or symbol does not shift the others. */
    private static SplittableRandom stream(long seed, String purpose, String name) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (char c : (purpose + "/" + name).toCharArray()) {
            h = (h ^ c) * 0x100000001B3L;
            h ^= h >>> 29;
        }
        return new SplittableRandom(h);
    }

    // ---------------------------------------------------------------- venue state

    private final class VenueState {
        final String name;
        VenueProfile profile;
        final SplittableRandom random;
        final Map<String, OrderBook> books = new LinkedHashMap<>();
        final Map<String, List<SimOrder>> resting = new LinkedHashMap<>();
        /** Every ClOrdID an order ever had (original and replacements) points at it. */
        final Map<String, SimOrder> ordersByClOrdId = new HashMap<>();
        final Map<String, SimOrder> ordersByOrderId = new LinkedHashMap<>();
        final Deque<ScriptedOutcome> scripted = new ArrayDeque<>();
        final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        final Map<String, PriceLevel> lastTrade = new HashMap<>();
        /** The newest fills reported ({@link RecentHistory#CAPACITY}). */
        final RecentHistory<SimExecution> executions = new RecentHistory<>();
        long orderSeq;
        long execSeq;
        /** Fault switch: false = GTD orders outlive their ExpireTime (a venue that treats GTD as GTC). */
        boolean honoursExpireTime = true;

        VenueState(String name, VenueProfile profile, SplittableRandom random) {
            this.name = name;
            this.profile = profile;
            this.random = random;
        }

        String nextOrderId() {
            return "O" + runId + "-" + (++orderSeq);
        }

        /** Run-unique by default; with the profile's execIdStart plain numbers from it, repeated after a restart. */
        String nextExecId() {
            Long start = profile.execIdStart();
            if (start != null) return Long.toString(start + execSeq++);
            return "E" + runId + "-" + (++execSeq);
        }

        SymbolSpec spec(String symbol) {
            return config.symbols().get(symbol);
        }
    }

    private record Subscription(String mdReqId, List<String> symbols, int depth, boolean bids, boolean offers,
                                boolean trades) { }

    private static final class PendingMd {
        final BookSnapshot before;
        final List<PriceLevel> trades = new ArrayList<>();

        PendingMd(BookSnapshot before) {
            this.before = before;
        }
    }

    private VenueState venue(String name) {
        VenueState v = venues.get(name);
        if (v == null) throw new IllegalArgumentException("unknown venue: " + name + " (known: " + venues.keySet() + ")");
        return v;
    }

    private PriceProcess price(String symbol) {
        PriceProcess p = prices.get(symbol);
        if (p == null) throw new IllegalArgumentException("unknown symbol: " + symbol + " (known: " + prices.keySet() + ")");
        return p;
    }

    private Instant now() {
        return clock.instant();
    }

    // ---------------------------------------------------------------- controls (tests, ticks)

    /** The delay before the venue answers a request: the profile's ack latency plus seeded jitter. */
    Duration drawAckDelay(String venueName) {
        VenueState v = venue(venueName);
        long jitterNanos = v.profile.ackJitter().toNanos();
        long jitter = jitterNanos > 0 ? v.random.nextLong(jitterNanos) : 0;
        return v.profile.ackLatency().plusNanos(jitter);
    }

    BigDecimal mid(String symbol) {
        return price(symbol).mid();
    }

    BookSnapshot book(String venueName, String symbol) {
        OrderBook book = venue(venueName).books.get(symbol);
        if (book == null) throw new IllegalArgumentException(venueName + " does not list " + symbol);
        return book.snapshot();
    }

    PriceLevel lastTrade(String venueName, String symbol) {
        return venue(venueName).lastTrade.get(symbol);
    }

    /** ClOrdIDs (current) of the venue's live orders, oldest first. */
    List<String> workingOrders(String venueName) {
        List<String> working = new ArrayList<>();
        for (SimOrder o : venue(venueName).ordersByOrderId.values()) {
            if (o.isLive()) working.add(o.clOrdId);
        }
        return working;
    }

    /** Orders a venue remembers (for status requests and duplicate ClOrdIDs) before it forgets the oldest ended ones. */
    static final int MAX_ORDERS = 200_000;

    /**
     * Forgets the oldest quarter of the venue's ended orders (live ones are always kept), so that a long run's memory
     * stays flat: a status request for a forgotten order is answered as for an unknown one.
     */
    private static void forgetOldestEnded(VenueState v) {
        int toForget = MAX_ORDERS / 4;
        Set<SimOrder> forgotten = Collections.newSetFromMap(new IdentityHashMap<>());
        for (var it = v.ordersByOrderId.values().iterator(); it.hasNext() && forgotten.size() < toForget; ) {
            SimOrder o = it.next();
            if (o.isLive()) continue;
            forgotten.add(o);
            it.remove();
        }
        v.ordersByClOrdId.values().removeIf(forgotten::contains);
    }

    List<SimExecution> executions(String venueName) {
        return venue(venueName).executions.snapshot();
    }

    void setMid(String symbol, BigDecimal mid) {
        price(symbol).set(mid);
        repriceSymbol(symbol);
        flushMarketData();
    }

    void printTrade(String symbol, BigDecimal price, BigDecimal quantity) {
        price(symbol);
        if (price == null || price.signum() <= 0) throw new IllegalArgumentException("trade price must be > 0: " + price);
        if (quantity == null || quantity.signum() <= 0) throw new IllegalArgumentException("trade quantity must be > 0: " + quantity);
        printTradeEverywhere(symbol, price, quantity);
        flushMarketData();
    }

    void scriptNext(String venueName, ScriptedOutcome outcome) {
        venue(venueName).scripted.addLast(outcome);
    }

    void setRejectRate(String venueName, double rate) {
        VenueState v = venue(venueName);
        v.profile = v.profile.withRejectRate(rate);
    }

    void setHonourExpireTime(String venueName, boolean honour) {
        venue(venueName).honoursExpireTime = honour;
    }

    void setAckDelay(String venueName, Duration base, Duration jitter) {
        VenueState v = venue(venueName);
        v.profile = v.profile.withAckLatency(base).withAckJitter(jitter);
    }

    /** One step of the background market: mids move, books regenerate, resting orders match, trades print. */
    void tick(Duration dt) {
        for (Map.Entry<String, PriceProcess> e : prices.entrySet()) {
            String symbol = e.getKey();
            e.getValue().step(dt);
            repriceSymbol(symbol);
            SplittableRandom random = tradeRandoms.get(symbol);
            if (config.tradeProbabilityPerTick() > 0 && random.nextDouble() < config.tradeProbabilityPerTick()) {
                SymbolSpec spec = config.symbols().get(symbol);
                BigDecimal mid = e.getValue().mid();
                double offsetBps = (2 * random.nextDouble() - 1) * BACKGROUND_TRADE_BAND_BPS;
                BigDecimal tradePrice = Prices.roundToTick(
                        mid.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(offsetBps).divide(Prices.BPS))),
                        spec.tickSize(), RoundingMode.HALF_EVEN);
                BigDecimal quantity = spec.lotSize().multiply(BigDecimal.valueOf(1 + random.nextInt(config.maxTradeLots())));
                if (tradePrice.signum() > 0) printTradeEverywhere(symbol, tradePrice, quantity);
            }
        }
        flushMarketData();
    }

    void advanceTicks(int ticks) {
        Duration dt = config.tickInterval().isZero() ? NOMINAL_TICK : config.tickInterval();
        for (int i = 0; i < ticks; i++) tick(dt);
    }

    void onLogon(String venueName) {
        venue(venueName).subscriptions.clear();
    }

    void onLogout(String venueName) {
        VenueState v = venue(venueName);
        if (!v.subscriptions.isEmpty()) log.info("{} session down: dropping {} market-data subscription(s)", v.name, v.subscriptions.size());
        v.subscriptions.clear();
    }

    private void repriceSymbol(String symbol) {
        BigDecimal mid = prices.get(symbol).mid();
        for (VenueState v : venues.values()) {
            OrderBook book = v.books.get(symbol);
            if (book == null) continue;
            touch(v, symbol);
            book.regenerate(mid, v.profile);
            matchResting(v, symbol);
        }
    }

    private void printTradeEverywhere(String symbol, BigDecimal price, BigDecimal quantity) {
        for (VenueState v : venues.values()) {
            if (!v.books.containsKey(symbol)) continue;
            recordTrade(v, symbol, price, quantity);
        }
    }

    private void recordTrade(VenueState v, String symbol, BigDecimal price, BigDecimal quantity) {
        PriceLevel trade = new PriceLevel(price, quantity);
        v.lastTrade.put(symbol, trade);
        touch(v, symbol).trades.add(trade);
    }

    // ---------------------------------------------------------------- requests

    void handle(VenueRequest request) {
        try {
            if (request instanceof VenueRequest.NewOrder r) onNewOrder(r);
            else if (request instanceof VenueRequest.Cancel r) onCancel(r);
            else if (request instanceof VenueRequest.Replace r) onReplace(r);
            else if (request instanceof VenueRequest.Status r) onStatus(r);
            else if (request instanceof VenueRequest.MarketData r) onMarketData(r);
            else if (request instanceof VenueRequest.SecurityList r) onSecurityList(r);
        } finally {
            flushMarketData();
        }
    }

    private void onNewOrder(VenueRequest.NewOrder r) {
        VenueState v = venue(r.venue());
        SimOrder existing = v.ordersByClOrdId.get(r.clOrdId());
        if (existing != null) {
            if (r.possResend()) {
                // A resend of an order we already have: tell its state instead of creating it twice.
                sendStatus(v, existing);
            } else {
                send(v, FixMessages.rejectUnstored(r, "NONE", v.nextExecId(), OrdRejReason.DUPLICATE_ORDER,
                        "duplicate ClOrdID " + r.clOrdId(), now()));
                logEvent(v.name, r.clOrdId(), r.symbol(), sideName(r.side()), r.quantity(), "REJECTED duplicate ClOrdID");
            }
            return;
        }
        Side side = parseSide(r.side());
        if (side == null) {
            send(v, FixMessages.rejectUnstored(r, "NONE", v.nextExecId(), OrdRejReason.UNSUPPORTED_ORDER_CHARACTERISTIC,
                    "unsupported Side " + r.side() + " (1 buy, 2 sell)", now()));
            logEvent(v.name, r.clOrdId(), r.symbol(), sideName(r.side()), r.quantity(), "REJECTED unsupported side");
            return;
        }
        char ordType = r.ordType() == null ? SimOrder.MARKET : r.ordType();
        char tif = r.timeInForce() == null ? SimOrder.DAY : r.timeInForce();
        SimOrder o = new SimOrder(v.name, v.nextOrderId(), r.clOrdId(), r.symbol(), side, ordType, tif,
                tif == SimOrder.GTD ? r.expireTime() : null,
                r.quantity() == null ? BigDecimal.ZERO : r.quantity(), ordType == SimOrder.LIMIT ? r.price() : null);
        if (v.ordersByOrderId.size() >= MAX_ORDERS) forgetOldestEnded(v);
        v.ordersByClOrdId.put(o.clOrdId, o);
        v.ordersByOrderId.put(o.orderId, o);

        String invalid = validateNew(v, o, r);
        if (invalid != null) return;

        ScriptedOutcome script = v.scripted.pollFirst();
        if (script != null && script.kind() == ScriptedOutcome.Kind.REJECT) {
            reject(v, o, OrdRejReason.BROKER_EXCHANGE_OPTION, script.text());
            return;
        }
        if (script == null && v.profile.rejectRate() > 0 && v.random.nextDouble() < v.profile.rejectRate()) {
            reject(v, o, OrdRejReason.BROKER_EXCHANGE_OPTION,
                    "venue reject (random, rejectRate=" + v.profile.rejectRate() + ")");
            return;
        }

        send(v, FixMessages.executionReport(o, FixMessages.EXEC_NEW, v.nextExecId(), now()));
        logEvent(v.name, o.clOrdId, o.symbol, o.side.name(), o.quantity, "NEW " + o.describe() + " OrderID=" + o.orderId
                + (script == null ? "" : " script=" + script));
        if (o.timeInForce == SimOrder.GTD) scheduleExpiry(v, o);
        if (o.timeInForce == SimOrder.DAY) scheduleDayEnd(v, o);

        if (script == null) {
            matchOnArrival(v, o);
            return;
        }
        switch (script.kind()) {
            case NEVER_FILL -> {
                o.matchable = false;
                if (o.isLimit()) rest(v, o);
            }
            case FILL_ALL -> forceFill(v, o, o.quantity);
            case PARTIAL -> {
                forceFill(v, o, script.quantity().min(o.quantity));
                if (!o.isLive()) return;
                if (o.timeInForce == SimOrder.IOC || o.timeInForce == SimOrder.FOK) {
                    cancelRemainder(v, o, SimOrder.tifName(o.timeInForce) + ": remainder cancelled");
                } else if (o.isLimit()) {
                    rest(v, o);
                } else {
                    o.matchable = false; // the scripted market remainder stays working, unfilled
                }
            }
            default -> throw new IllegalStateException("unexpected script " + script);
        }
    }

    /** Rejects the order and returns a reason if it is invalid, else null. */
    private String validateNew(VenueState v, SimOrder o, VenueRequest.NewOrder r) {
        SymbolSpec spec = o.symbol == null ? null : v.spec(o.symbol);
        if (o.symbol == null || !v.books.containsKey(o.symbol)) {
            return reject(v, o, OrdRejReason.UNKNOWN_SYMBOL, "unknown symbol " + o.symbol + " at " + v.name);
        }
        if (o.ordType != SimOrder.MARKET && o.ordType != SimOrder.LIMIT) {
            return reject(v, o, OrdRejReason.UNSUPPORTED_ORDER_CHARACTERISTIC,
                    "unsupported OrdType " + o.ordType + " (1 market, 2 limit)");
        }
        VenueProfile.Support support = v.profile.support();
        if (!support.acceptsOrderType(o.ordType)) {
            return reject(v, o, OrdRejReason.UNSUPPORTED_ORDER_CHARACTERISTIC, "order type "
                    + VenueProfile.Support.orderTypeName(o.ordType) + " not accepted at " + v.name + ": it takes "
                    + VenueProfile.Support.names(VenueProfile.Support.ORDER_TYPES, support.orderTypes()) + " only");
        }
        if (!support.acceptsTimeInForce(o.timeInForce) && VenueProfile.Support.TIME_IN_FORCES.containsValue(o.timeInForce)) {
            return reject(v, o, OrdRejReason.UNSUPPORTED_ORDER_CHARACTERISTIC, "TimeInForce "
                    + VenueProfile.Support.timeInForceName(o.timeInForce) + " not accepted at " + v.name + ": it takes "
                    + VenueProfile.Support.names(VenueProfile.Support.TIME_IN_FORCES, support.timeInForces()) + " only");
        }
        if (r.quantity() == null || o.quantity.signum() <= 0) {
            return reject(v, o, OrdRejReason.INCORRECT_QUANTITY, "quantity must be > 0: " + r.quantity());
        }
        if (!spec.isLotMultiple(o.quantity)) {
            return reject(v, o, OrdRejReason.INCORRECT_QUANTITY, "quantity " + o.quantity.toPlainString()
                    + " is not a multiple of the lot size " + spec.lotSize().toPlainString());
        }
        if (o.isLimit()) {
            if (o.price == null) return reject(v, o, OrdRejReason.OTHER, "limit order without Price(44)");
            if (o.price.signum() <= 0) return reject(v, o, OrdRejReason.OTHER, "price must be > 0: " + o.price.toPlainString());
            if (!spec.isOnTick(o.price)) {
                return reject(v, o, OrdRejReason.OTHER, "price " + o.price.toPlainString()
                        + " is not a multiple of the tick size " + spec.tickSize().toPlainString());
            }
        }
        switch (o.timeInForce) {
            case SimOrder.DAY, SimOrder.GTC, SimOrder.IOC, SimOrder.FOK -> { }
            case SimOrder.GTD -> {
                if (o.expireTime == null) return reject(v, o, OrdRejReason.OTHER, "GTD order without ExpireTime(126)");
                if (!o.expireTime.isAfter(now())) {
                    return reject(v, o, OrdRejReason.TOO_LATE_TO_ENTER, "ExpireTime " + o.expireTime + " is in the past");
                }
            }
            default -> {
                return reject(v, o, OrdRejReason.UNSUPPORTED_ORDER_CHARACTERISTIC, "unsupported TimeInForce "
                        + o.timeInForce + " (0 DAY, 1 GTC, 3 IOC, 4 FOK, 6 GTD)");
            }
        }
        return null;
    }

    private String reject(VenueState v, SimOrder o, int reason, String text) {
        o.status = SimOrder.Status.REJECTED;
        ExecutionReport m = FixMessages.executionReport(o, FixMessages.EXEC_REJECTED, v.nextExecId(), now());
        FixMessages.addReject(m, reason, text);
        send(v, m);
        logEvent(v.name, o.clOrdId, o.symbol, o.side.name(), o.quantity, "REJECTED (" + reason + ") " + text);
        return text;
    }

    private void matchOnArrival(VenueState v, SimOrder o) {
        OrderBook book = v.books.get(o.symbol);
        switch (o.timeInForce) {
            case SimOrder.IOC -> {
                take(v, o, o.leaves());
                if (o.isLive()) cancelRemainder(v, o, "IOC: remainder cancelled");
            }
            case SimOrder.FOK -> {
                if (book.available(o.isBuy(), o.limit()).compareTo(o.leaves()) >= 0) {
                    take(v, o, o.leaves());
                } else {
                    cancelRemainder(v, o, "FOK: not enough liquidity " + (o.isLimit() ? "at or better than the limit" : "on the book"));
                }
            }
            default -> {
                VenueProfile p = v.profile;
                if (p.partialFillSlices() > 1 && p.partialFillProbability() > 0
                        && v.random.nextDouble() < p.partialFillProbability()) {
                    SymbolSpec spec = v.spec(o.symbol);
                    BigDecimal slice = Prices.ceilToLot(o.quantity.divide(BigDecimal.valueOf(p.partialFillSlices()),
                            10, RoundingMode.CEILING), spec.lotSize());
                    if (slice.compareTo(o.quantity) < 0) o.sliceQuantity = slice;
                }
                aggressivePass(v, o);
            }
        }
    }

    /** One pass of a DAY/GTC/GTD order taking liquidity (on arrival, after a replace, or a later slice). */
    private void aggressivePass(VenueState v, SimOrder o) {
        if (!o.isLive() || !o.matchable) return;
        take(v, o, cap(o));
        if (!o.isLive()) return;
        boolean marketable = v.books.get(o.symbol).available(o.isBuy(), o.limit()).signum() > 0;
        if (o.isLimit()) rest(v, o);
        if (o.sliceQuantity != null && marketable) {
            timer.schedule(() -> {
                try {
                    aggressivePass(v, o);
                } finally {
                    flushMarketData();
                }
            }, v.profile.partialFillInterval());
        } else if (!o.isLimit()) {
            cancelRemainder(v, o, "no liquidity left on the book: market order remainder cancelled");
        }
    }

    private static BigDecimal cap(SimOrder o) {
        return o.sliceQuantity == null ? o.leaves() : o.leaves().min(o.sliceQuantity);
    }

    /** Takes up to the quantity from the book at book prices (limited by the order's limit) and reports the fills. */
    private void take(VenueState v, SimOrder o, BigDecimal quantity) {
        if (quantity.signum() <= 0) return;
        touch(v, o.symbol);
        for (PriceLevel piece : v.books.get(o.symbol).take(o.isBuy(), quantity, o.limit())) {
            fill(v, o, piece.size(), piece.price());
        }
    }

    /** Fills exactly this quantity (scripted): from the book first, the rest at the limit or the last price. */
    private void forceFill(VenueState v, SimOrder o, BigDecimal quantity) {
        BigDecimal before = o.cumQty;
        take(v, o, quantity);
        BigDecimal rest = quantity.subtract(o.cumQty.subtract(before));
        if (rest.signum() <= 0 || !o.isLive()) return;
        BigDecimal px;
        if (o.isLimit()) {
            px = o.price;
        } else {
            PriceLevel last = v.lastTrade.get(o.symbol);
            BigDecimal best = v.books.get(o.symbol).bestContraPrice(o.isBuy());
            px = best != null ? best : last != null ? last.price() : mid(o.symbol);
        }
        fill(v, o, rest, px);
    }

    /** Resting orders the regenerated book now crosses fill at their limit price, in time priority. */
    private void matchResting(VenueState v, String symbol) {
        List<SimOrder> list = v.resting.get(symbol);
        if (list == null || list.isEmpty()) return;
        OrderBook book = v.books.get(symbol);
        for (SimOrder o : new ArrayList<>(list)) {
            if (!o.isLive() || !o.matchable) continue;
            BigDecimal quantity = cap(o).min(book.available(o.isBuy(), o.price));
            if (quantity.signum() <= 0) continue;
            touch(v, symbol);
            book.take(o.isBuy(), quantity, o.price);
            fill(v, o, quantity, o.price);
        }
    }

    private void rest(VenueState v, SimOrder o) {
        if (o.resting || !o.isLive()) return;
        o.resting = true;
        v.resting.get(o.symbol).add(o);
    }

    private void unrest(VenueState v, SimOrder o) {
        if (!o.resting) return;
        o.resting = false;
        v.resting.get(o.symbol).remove(o);
    }

    private void fill(VenueState v, SimOrder o, BigDecimal quantity, BigDecimal price) {
        // Only a late fill (fault injection) reaches an order that has ended: it keeps its final status.
        boolean late = !o.isLive();
        o.cumQty = o.cumQty.add(quantity);
        o.notional = o.notional.add(quantity.multiply(price));
        if (!late) o.status = o.cumQty.compareTo(o.quantity) >= 0 ? SimOrder.Status.FILLED : SimOrder.Status.PARTIALLY_FILLED;
        BigDecimal fee = quantity.multiply(price).multiply(v.profile.feeBps()).divide(Prices.BPS, 4, RoundingMode.HALF_UP);
        String execId = v.nextExecId();
        ExecutionReport m = FixMessages.executionReport(o, FixMessages.EXEC_TRADE, execId, now());
        FixMessages.addFill(m, quantity, price, fee);
        send(v, m);
        v.executions.add(new SimExecution(v.name, o.orderId, execId, o.clOrdId, o.symbol, o.side, Prices.plain(quantity),
                Prices.plain(price), Prices.plain(fee)));
        if (!late) recordTrade(v, o.symbol, price, quantity);
        if (!o.isLive()) unrest(v, o);
        logEvent(v.name, o.clOrdId, o.symbol, o.side.name(), o.quantity,
                (late ? "LATE FILL (order " + o.status + ") " : o.isLive() ? "PARTIAL " : "FILLED ")
                        + Prices.plain(quantity).toPlainString() + " @ " + price.toPlainString()
                        + " cum " + Prices.plain(o.cumQty).toPlainString() + " avg " + o.avgPx().toPlainString()
                        + " fee " + Prices.plain(fee).toPlainString());
    }

    /** Fault: the venue cancels a live order on its own (ExecType 4 without a request), e.g. a venue risk control. */
    void unsolicitedCancel(String venueName, String clOrdId, String text) {
        VenueState v = venue(venueName);
        SimOrder o = v.ordersByClOrdId.get(clOrdId);
        if (o == null) throw new IllegalArgumentException(venueName + " has no order " + clOrdId);
        if (!o.isLive()) throw new IllegalStateException(venueName + " order " + clOrdId + " is not live: nothing to cancel");
        cancelRemainder(v, o, text);
    }

    /**
     * Fault: the venue reports an execution of an order that has already ended (cancelled, expired, filled), as a venue
     * correcting a fill it failed to report would. The order keeps its final status; no trade prints to market data.
     */
    void lateFill(String venueName, String clOrdId, BigDecimal quantity, BigDecimal price) {
        VenueState v = venue(venueName);
        SimOrder o = v.ordersByClOrdId.get(clOrdId);
        if (o == null) throw new IllegalArgumentException(venueName + " has no order " + clOrdId);
        if (o.isLive()) throw new IllegalStateException(venueName + " order " + clOrdId + " is still live: not a late fill");
        if (quantity == null || quantity.signum() <= 0 || price == null || price.signum() <= 0) {
            throw new IllegalArgumentException("late fill needs a positive quantity and price: " + quantity + " @ " + price);
        }
        fill(v, o, quantity, price);
    }

    /** Unsolicited cancel of what is left (IOC/FOK remainder, market order without liquidity). */
    private void cancelRemainder(VenueState v, SimOrder o, String text) {
        end(v, o, SimOrder.Status.CANCELED, FixMessages.EXEC_CANCELED, text, "CANCELED " + text);
    }

    private void scheduleExpiry(VenueState v, SimOrder o) {
        Duration delay = Duration.between(now(), o.expireTime);
        timer.schedule(() -> {
            if (!o.isLive()) return;
            if (!v.honoursExpireTime) {
                logEvent(v.name, o.clOrdId, o.symbol, o.side.name(), o.quantity,
                        "NOT EXPIRED at its ExpireTime " + o.expireTime + " (fault: ExpireTime ignored), still working");
                return;
            }
            expire(v, o, "GTD order expired at " + o.expireTime);
        }, delay.isNegative() ? Duration.ZERO : delay);
    }

    /** A DAY order still working when the venue's trading day ends (dayEndUtc, on the sim's clock) expires then. */
    private void scheduleDayEnd(VenueState v, SimOrder o) {
        Instant dayEnd = nextDayEnd(now(), config.dayEndUtc());
        timer.schedule(() -> {
            if (o.isLive()) expire(v, o, "DAY order expired at the end of the trading day " + dayEnd);
        }, Duration.between(now(), dayEnd));
    }

    /** The first end of a trading day strictly after {@code now}. */
    static Instant nextDayEnd(Instant now, LocalTime dayEndUtc) {
        Instant today = now.atOffset(ZoneOffset.UTC).toLocalDate().atTime(dayEndUtc).toInstant(ZoneOffset.UTC);
        return today.isAfter(now) ? today : today.plus(Duration.ofDays(1));
    }

    private void expire(VenueState v, SimOrder o, String text) {
        end(v, o, SimOrder.Status.EXPIRED, FixMessages.EXEC_EXPIRED, text, "EXPIRED");
    }

    /** The venue ends a working order on its own: status, an unsolicited ExecutionReport with the reason, log line. */
    private void end(VenueState v, SimOrder o, SimOrder.Status status, char execType, String text, String event) {
        o.status = status;
        unrest(v, o);
        ExecutionReport m = FixMessages.executionReport(o, execType, v.nextExecId(), now());
        m.setString(Text.FIELD, text);
        send(v, m);
        logEvent(v.name, o.clOrdId, o.symbol, o.side.name(), o.quantity, event + " (cum " + Prices.plain(o.cumQty).toPlainString() + ")");
    }

    private void onCancel(VenueRequest.Cancel r) {
        VenueState v = venue(r.venue());
        SimOrder o = lookup(v, r.origClOrdId(), r.orderId());
        String problem = cancelProblem(v, o, r.clOrdId(), r.origClOrdId());
        if (problem != null) {
            sendCancelReject(v, o, r.clOrdId(), r.origClOrdId(), CxlRejResponseTo.ORDER_CANCEL_REQUEST, problem);
            return;
        }
        o.status = SimOrder.Status.CANCELED;
        unrest(v, o);
        o.clOrdId = r.clOrdId();
        v.ordersByClOrdId.put(o.clOrdId, o);
        ExecutionReport m = FixMessages.executionReport(o, FixMessages.EXEC_CANCELED, v.nextExecId(), now());
        m.setString(OrigClOrdID.FIELD, r.origClOrdId());
        send(v, m);
        logEvent(v.name, o.clOrdId, o.symbol, o.side.name(), o.quantity, "CANCELED on request (orig " + r.origClOrdId()
                + ", cum " + Prices.plain(o.cumQty).toPlainString() + ")");
    }

    /** Why a cancel or replace of this order cannot be done (CxlRejReason code prefix "n|text"), or null. */
    private String cancelProblem(VenueState v, SimOrder o, String newClOrdId, String origClOrdId) {
        if (o == null) return CxlRejReason.UNKNOWN_ORDER + "|unknown order " + origClOrdId;
        if (!o.isLive()) return CxlRejReason.TOO_LATE_TO_CANCEL + "|too late: order is " + o.status;
        if (newClOrdId == null || v.ordersByClOrdId.containsKey(newClOrdId)) {
            return CxlRejReason.DUPLICATE_CLORDID_RECEIVED + "|duplicate ClOrdID " + newClOrdId;
        }
        return null;
    }

    private void sendCancelReject(VenueState v, SimOrder o, String clOrdId, String origClOrdId, char responseTo,
                                  String problem) {
        int bar = problem.indexOf('|');
        int reason = Integer.parseInt(problem.substring(0, bar));
        String text = problem.substring(bar + 1);
        char status = o == null ? OrdStatus.REJECTED : o.status.fix;
        send(v, FixMessages.cancelReject(o == null ? "NONE" : o.orderId, clOrdId, origClOrdId, status, responseTo,
                reason, text, now()));
        logEvent(v.name, clOrdId, o == null ? null : o.symbol, o == null ? null : o.side.name(), o == null ? null : o.quantity,
                "CANCEL-REJECT (" + (responseTo == CxlRejResponseTo.ORDER_CANCEL_REQUEST ? "cancel" : "replace")
                        + " of " + origClOrdId + ") " + text);
    }

    private void onReplace(VenueRequest.Replace r) {
        VenueState v = venue(r.venue());
        SimOrder o = lookup(v, r.origClOrdId(), r.orderId());
        String problem = cancelProblem(v, o, r.clOrdId(), r.origClOrdId());
        if (problem == null) problem = replaceProblem(v, o, r);
        if (problem != null) {
            sendCancelReject(v, o, r.clOrdId(), r.origClOrdId(), CxlRejResponseTo.ORDER_CANCEL_REPLACE_REQUEST, problem);
            return;
        }
        String oldClOrdId = o.clOrdId;
        o.clOrdId = r.clOrdId();
        v.ordersByClOrdId.put(o.clOrdId, o);
        o.quantity = r.quantity();
        if (o.isLimit()) o.price = r.price();
        // A replace loses time priority.
        boolean wasResting = o.resting;
        unrest(v, o);
        ExecutionReport m = FixMessages.executionReport(o, FixMessages.EXEC_REPLACED, v.nextExecId(), now());
        m.setString(OrigClOrdID.FIELD, r.origClOrdId());
        send(v, m);
        logEvent(v.name, o.clOrdId, o.symbol, o.side.name(), o.quantity, "REPLACED (orig " + oldClOrdId + ") now "
                + o.describe());
        if (o.matchable && o.isLimit()) {
            aggressivePass(v, o);
        } else if (wasResting) {
            rest(v, o);
        }
        // A matchable market order still working is being filled in slices: its next slice takes the new quantity.
    }

    private String replaceProblem(VenueState v, SimOrder o, VenueRequest.Replace r) {
        SymbolSpec spec = v.spec(o.symbol);
        String other = CxlRejReason.OTHER + "|";
        if (r.symbol() != null && !r.symbol().equals(o.symbol)) return other + "cannot change Symbol";
        if (r.side() != null && r.side() != FixMessages.fixSide(o.side)) return other + "cannot change Side";
        if (r.ordType() != null && r.ordType() != o.ordType) return other + "cannot change OrdType";
        if (r.quantity() == null || r.quantity().signum() <= 0) return other + "quantity must be > 0: " + r.quantity();
        if (!spec.isLotMultiple(r.quantity())) {
            return other + "quantity " + r.quantity().toPlainString() + " is not a multiple of the lot size " + spec.lotSize().toPlainString();
        }
        if (r.quantity().compareTo(o.cumQty) <= 0) {
            return other + "new quantity " + r.quantity().toPlainString() + " is not above the filled quantity "
                    + o.cumQty.toPlainString();
        }
        if (o.isLimit()) {
            if (r.price() == null || r.price().signum() <= 0) return other + "price must be > 0: " + r.price();
            if (!spec.isOnTick(r.price())) {
                return other + "price " + r.price().toPlainString() + " is not a multiple of the tick size " + spec.tickSize().toPlainString();
            }
        }
        return null;
    }

    private void onStatus(VenueRequest.Status r) {
        VenueState v = venue(r.venue());
        SimOrder o = lookup(v, r.clOrdId(), r.orderId());
        if (o == null) {
            send(v, FixMessages.unknownOrderStatus(r, v.nextExecId(), now()));
            logEvent(v.name, r.clOrdId(), r.symbol(), sideName(r.side()), null, "STATUS unknown order");
            return;
        }
        sendStatus(v, o);
    }

    private void sendStatus(VenueState v, SimOrder o) {
        ExecutionReport m = FixMessages.executionReport(o, FixMessages.EXEC_STATUS, v.nextExecId(), now());
        send(v, m);
        logEvent(v.name, o.clOrdId, o.symbol, o.side.name(), o.quantity, "STATUS " + o.status + " cum "
                + Prices.plain(o.cumQty).toPlainString() + " avg " + o.avgPx().toPlainString());
    }

    private SimOrder lookup(VenueState v, String clOrdId, String orderId) {
        SimOrder o = clOrdId == null ? null : v.ordersByClOrdId.get(clOrdId);
        if (o == null && orderId != null) o = v.ordersByOrderId.get(orderId);
        return o;
    }

    // ---------------------------------------------------------------- market data

    private void onMarketData(VenueRequest.MarketData r) {
        VenueState v = venue(r.venue());
        if (r.subscriptionType() == '2') {
            Subscription removed = v.subscriptions.remove(r.mdReqId());
            if (removed == null) send(v, FixMessages.mdReject(r.mdReqId(), null, "unknown MDReqID " + r.mdReqId()));
            else log.info("{} market data: unsubscribed {} {}", v.name, r.mdReqId(), removed.symbols());
            return;
        }
        if (r.subscriptionType() != '0' && r.subscriptionType() != '1') {
            send(v, FixMessages.mdReject(r.mdReqId(), MDReqRejReason.UNSUPPORTED_SUBSCRIPTIONREQUESTTYPE,
                    "unsupported SubscriptionRequestType " + r.subscriptionType()));
            return;
        }
        if (r.subscriptionType() == '1' && v.subscriptions.containsKey(r.mdReqId())) {
            send(v, FixMessages.mdReject(r.mdReqId(), MDReqRejReason.DUPLICATE_MDREQID, "duplicate MDReqID " + r.mdReqId()));
            return;
        }
        if (r.depth() < 0) {
            send(v, FixMessages.mdReject(r.mdReqId(), MDReqRejReason.UNSUPPORTED_MARKETDEPTH, "unsupported MarketDepth " + r.depth()));
            return;
        }
        if (r.updateType() != null && r.updateType() != 1) {
            send(v, FixMessages.mdReject(r.mdReqId(), MDReqRejReason.UNSUPPORTED_MDUPDATETYPE,
                    "unsupported MDUpdateType " + r.updateType() + " (only 1 incremental)"));
            return;
        }
        if (r.symbols().isEmpty()) {
            send(v, FixMessages.mdReject(r.mdReqId(), MDReqRejReason.UNKNOWN_SYMBOL, "no symbol requested"));
            return;
        }
        for (String symbol : r.symbols()) {
            if (!v.books.containsKey(symbol)) {
                send(v, FixMessages.mdReject(r.mdReqId(), MDReqRejReason.UNKNOWN_SYMBOL, "unknown symbol " + symbol + " at " + v.name));
                log.info("{} market data: rejected {} unknown symbol {}", v.name, r.mdReqId(), symbol);
                return;
            }
        }
        Set<Character> types = r.entryTypes();
        boolean all = types == null || types.isEmpty();
        boolean bids = all || types.contains(MDEntryType.BID);
        boolean offers = all || types.contains(MDEntryType.OFFER);
        boolean trades = all || types.contains(MDEntryType.TRADE);
        if (!bids && !offers && !trades) {
            send(v, FixMessages.mdReject(r.mdReqId(), MDReqRejReason.UNSUPPORTED_MDENTRYTYPE,
                    "unsupported MDEntryType(s) " + types + " (0 bid, 1 offer, 2 trade)"));
            return;
        }
        Subscription sub = new Subscription(r.mdReqId(), List.copyOf(r.symbols()), r.depth(), bids, offers, trades);
        if (r.subscriptionType() == '1') {
            v.subscriptions.put(sub.mdReqId(), sub);
            log.info("{} market data: subscribed {} {} depth {}", v.name, r.mdReqId(), r.symbols(), r.depth() == 0 ? "full" : r.depth());
        }
        for (String symbol : r.symbols()) {
            send(v, FixMessages.snapshot(sub.mdReqId(), symbol, v.books.get(symbol).snapshot(), sub.depth(), bids, offers,
                    trades ? v.lastTrade.get(symbol) : null));
        }
    }

    private PendingMd touch(VenueState v, String symbol) {
        return pendingMd.computeIfAbsent(v.name + "\u0000" + symbol, k -> new PendingMd(v.books.get(symbol).snapshot()));
    }

    /** Sends one incremental refresh per subscription for every book changed and trade printed since the last flush. */
    private void flushMarketData() {
        if (pendingMd.isEmpty()) return;
        for (Map.Entry<String, PendingMd> e : pendingMd.entrySet()) {
            String[] key = e.getKey().split("\u0000", 2);
            VenueState v = venues.get(key[0]);
            String symbol = key[1];
            if (v.subscriptions.isEmpty()) continue;
            BookSnapshot after = v.books.get(symbol).snapshot();
            PendingMd pending = e.getValue();
            for (Subscription sub : v.subscriptions.values()) {
                if (!sub.symbols().contains(symbol)) continue;
                List<FixMessages.MdEntry> entries = new ArrayList<>();
                if (sub.bids()) diff(entries, MDEntryType.BID, pending.before.bids(), after.bids(), sub.depth());
                if (sub.offers()) diff(entries, MDEntryType.OFFER, pending.before.offers(), after.offers(), sub.depth());
                if (sub.trades()) {
                    for (PriceLevel t : pending.trades) {
                        entries.add(new FixMessages.MdEntry('0', MDEntryType.TRADE, 0, t.price(), t.size()));
                    }
                }
                if (!entries.isEmpty()) send(v, FixMessages.incremental(sub.mdReqId(), symbol, entries));
            }
        }
        pendingMd.clear();
    }

    /**
     * Level-by-position changes of one side: 1 change for positions present before and after, 0 new for positions
     * the book grew by, 2 delete for positions it lost (deepest first, so that a client deleting with a shift and one
     * deleting in place end with the same book).
     */
    static void diff(List<FixMessages.MdEntry> entries, char type, List<PriceLevel> before, List<PriceLevel> after, int depth) {
        List<PriceLevel> b = FixMessages.top(before, depth);
        List<PriceLevel> a = FixMessages.top(after, depth);
        int common = Math.min(a.size(), b.size());
        for (int i = 0; i < common; i++) {
            PriceLevel was = b.get(i);
            PriceLevel now = a.get(i);
            if (was.price().compareTo(now.price()) != 0 || was.size().compareTo(now.size()) != 0) {
                entries.add(new FixMessages.MdEntry('1', type, i + 1, now.price(), now.size()));
            }
        }
        for (int i = common; i < a.size(); i++) {
            entries.add(new FixMessages.MdEntry('0', type, i + 1, a.get(i).price(), a.get(i).size()));
        }
        for (int i = b.size() - 1; i >= common; i--) {
            entries.add(new FixMessages.MdEntry('2', type, i + 1, b.get(i).price(), null));
        }
    }

    // ---------------------------------------------------------------- security list

    private void onSecurityList(VenueRequest.SecurityList r) {
        VenueState v = venue(r.venue());
        String responseId = "SL" + runId + "-" + (++securityListSeq);
        List<SymbolSpec> listed = new ArrayList<>();
        int result;
        if (r.requestType() == 4) {
            for (String symbol : v.books.keySet()) listed.add(v.spec(symbol));
            result = SecurityRequestResult.VALID_REQUEST;
        } else if (r.requestType() == 0 && r.symbol() != null) {
            if (v.books.containsKey(r.symbol())) {
                listed.add(v.spec(r.symbol()));
                result = SecurityRequestResult.VALID_REQUEST;
            } else {
                result = SecurityRequestResult.NO_INSTRUMENTS_FOUND_THAT_MATCH_SELECTION_CRITERIA;
            }
        } else {
            result = SecurityRequestResult.INVALID_OR_UNSUPPORTED_REQUEST;
        }
        send(v, FixMessages.securityList(r.securityReqId(), responseId, result, listed));
        log.info("{} security list {}: {} symbol(s) {}", v.name, r.securityReqId(), listed.size(),
                listed.stream().map(SymbolSpec::symbol).toList());
    }

    // ---------------------------------------------------------------- helpers

    private void send(VenueState v, Message m) {
        out.send(v.name, m);
    }

    private static Side parseSide(Character side) {
        if (side == null) return null;
        return switch (side) {
            case '1' -> Side.BUY;
            case '2' -> Side.SELL;
            default -> null;
        };
    }

    private static String sideName(Character side) {
        Side parsed = parseSide(side);
        return parsed != null ? parsed.name() : "side=" + side;
    }

    private static void logEvent(String venue, String clOrdId, String symbol, String side, BigDecimal quantity, String outcome) {
        log.info("{} ClOrdID={} {} {} {}: {}", venue, clOrdId, symbol, side,
                quantity == null ? "-" : Prices.plain(quantity).toPlainString(), outcome);
    }
}
