package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.Side;
import io.tradergateway.market.MarketDataEvent;
import io.tradergateway.market.MarketView;
import io.tradergateway.plan.PlanIssue;
import io.tradergateway.plan.TradingPlan;
import io.tradergateway.position.Position;
import io.tradergateway.report.ReportPublisher;
import io.tradergateway.risk.RiskLimits;
import io.tradergateway.routing.VenueRanking;
import io.tradergateway.routing.VenueStats;
import io.tradergateway.routing.VenueStatsBook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The single writer of trading state. HTTP plans, venue ExecutionReports, market data and timer ticks are all
 * events on one queue, handled one at a time on the {@code engine} thread; each batch of events' changes is committed
 * to the journal in one transaction, and what it lets out of the process (FIX orders, exec-reports, API answers)
 * leaves only once that transaction is durable. No locks in the domain: whatever reads state from another thread asks
 * through the queue.
 */
public final class TradingEngine implements VenueEventSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TradingEngine.class);

    /**
     * Engine settings taken from the gateway configuration.
     *
     * @param venueStatsHalfLife how long learned venue stats keep half their weight without a new observation
     *                           ({@link Duration#ZERO} = they never fade); see {@link VenueStats#evidenceWeight}
     */
    public record Settings(BigDecimal portfolioEquity, Duration marketWindow, double venueStatsAlpha,
                           Duration venueStatsHalfLife, Duration tick, RiskLimits risk) {
        /** Settings with the risk gate off: engine tests that measure something else. */
        public Settings(BigDecimal portfolioEquity, Duration marketWindow, double venueStatsAlpha, Duration venueStatsHalfLife,
                        Duration tick) {
            this(portfolioEquity, marketWindow, venueStatsAlpha, venueStatsHalfLife, tick, RiskLimits.none());
        }
    }

    /** What {@code POST /v1/plans} answers. */
    public record SubmitOutcome(int httpStatus, String planId, String state, List<PlanIssue> issues, String message) {
    }

    private final TradeJournal journal;
    private final Execution execution;
    private final Clock clock;
    private final Settings settings;
    private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final ScheduledExecutorService ticker;
    private volatile boolean running = true;
    private volatile boolean stopped;

    /** Everything below is touched only on the engine thread. */
    private final EngineState state;

    public TradingEngine(TradeJournal journal, VenueGateway venues, Collection<String> venueNames,
                         ReportPublisher reportPublisher, Clock clock, Settings settings) {
        this.journal = journal;
        this.clock = clock;
        this.settings = settings;
        Map<String, VenueCapabilities> configured = venues.capabilities();
        List<VenueCapabilities> capabilities = venueNames.stream()
                .map(v -> configured.getOrDefault(v, VenueCapabilities.defaults(v))).toList();
        this.state = new EngineState(capabilities, settings, new VenueStatsBook(settings.venueStatsAlpha()));
        this.execution = new Execution(state, journal, venues, reportPublisher, clock, settings, this::post);
        this.thread = new Thread(this::runLoop, "engine");
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "engine-ticker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads open plans, orders, positions and learned venue stats, then starts the event loop. */
    public void start() {
        execution.recover(journal.recover());
        thread.start();
        long tickMs = settings.tick().toMillis();
        ticker.scheduleAtFixedRate(() -> post(execution::onTick), tickMs, tickMs, TimeUnit.MILLISECONDS);
    }

    private void runLoop() {
        List<Runnable> batch = new ArrayList<>(Execution.MAX_BATCH);
        while (running) {
            Runnable first;
            try {
                first = inbox.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) continue;
            // Whatever queued up behind it is committed together (group commit); an idle engine still runs one event
            // at once, it never waits to fill a batch.
            batch.clear();
            batch.add(first);
            inbox.drainTo(batch, Execution.MAX_BATCH - 1);
            try {
                execution.runBatch(batch);
            } catch (JournalFailedException e) {
                // Fail-stop: nothing decided from here could be recovered; a restart replays the journal.
                log.error("ENGINE STOPPED: {}", e.getMessage());
                stopped = true;
                running = false;
            }
        }
    }

    /** Whether the engine stopped because its journal failed (readiness and health say so). */
    public boolean stopped() {
        return stopped;
    }

    private void post(Runnable event) {
        if (running) inbox.add(event);
    }

    /** Asks the engine thread for a view of its state. */
    public <T> CompletableFuture<T> query(Function<EngineView, T> question) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        post(() -> {
            try {
                T result = question.apply(execution.view());
                // Answered once its batch is durable: the view may include rows of that batch.
                execution.effect(() -> answer.complete(result));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    public CompletableFuture<SubmitOutcome> submit(TradingPlan plan, String planJson) {
        CompletableFuture<SubmitOutcome> answer = new CompletableFuture<>();
        post(() -> execution.submit(plan, planJson, answer));
        return answer;
    }

    public CompletableFuture<SubmitOutcome> cancel(String planId) {
        CompletableFuture<SubmitOutcome> answer = new CompletableFuture<>();
        post(() -> execution.cancelPlan(planId, "cancel requested through the API", answer));
        return answer;
    }

    public CompletableFuture<Boolean> killSwitch(boolean engaged) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        post(() -> execution.killSwitch(engaged, answer));
        return answer;
    }

    /** The trading state as last stored (readable from any thread). */
    public TradingState tradingState() {
        return execution.committedTradingState();
    }

    /** Sets the trading state; completes once it is stored. */
    public CompletableFuture<TradingState> tradingState(TradingState state) {
        CompletableFuture<TradingState> answer = new CompletableFuture<>();
        post(() -> execution.tradingState(state, answer));
        return answer;
    }

    // ---------------------------------------------------------------- venue events (called on FIX threads)

    @Override
    public void onSessionState(String venue, boolean loggedOn) {
        post(() -> execution.onSessionState(venue, loggedOn));
    }

    @Override
    public void onInstruments(String venue, List<Instrument> instruments) {
        post(() -> execution.onInstruments(venue, instruments));
    }

    @Override
    public void onExecutionReport(VenueExecutionReport report) {
        post(() -> execution.onExecutionReport(report));
    }

    @Override
    public void onCancelReject(VenueCancelReject reject) {
        post(() -> execution.onCancelReject(reject));
    }

    @Override
    public void onMarketData(MarketDataEvent event) {
        post(() -> execution.onMarketData(event));
    }

    @Override
    public void onStatusRequestRefused(String venue, ClOrdId clOrdId, String reason) {
        post(() -> execution.onStatusRequestRefused(venue, clOrdId, reason));
    }

    @Override
    public void onOrderNotSent(String venue, ClOrdId clOrdId, String reason) {
        post(() -> execution.onOrderNotSent(clOrdId, reason));
    }

    @Override
    public void onMarketDataReject(String venue, String requestId, String reason) {
        log.warn("market data request {} rejected by {}: {}", requestId, venue, reason);
    }

    /**
     * What the gateway stopped retrying on open plans and an operator should look at (refused cancels, orders whose
     * outcome is unknown, blocked exits), as of the last timer tick; each is in its plan's {@code progress.attention}.
     * Safe to call from any thread.
     */
    public int needingAttention() {
        return execution.needingAttention();
    }

    /** Orders the pre-trade risk gate refused, by {@code risk_*} code (every code, zero until it happens). */
    public Map<String, Long> riskDenials() {
        return execution.riskDenials();
    }

    /** Events waiting in the queue (a gauge for /metrics). */
    public int backlog() {
        return inbox.size();
    }

    /**
     * Venue ExecutionReports the engine did not act on, by reason: {@code unknown_order} (a ClOrdID we never sent),
     * {@code duplicate_exec_id} (a fill already stored), {@code already_covered} (a fill a reconciliation already
     * booked). Safe to call from any thread.
     */
    public Map<String, Long> ignoredVenueReports() {
        return execution.ignoredReports();
    }

    /**
     * Market-data facts dropped because they were about a symbol the gateway neither asked that venue for nor knows
     * (see {@code EngineState.expectsMarketData}). Safe to call from any thread.
     */
    public long ignoredMarketData() {
        return execution.ignoredMarketData();
    }

    @Override
    public void close() {
        running = false;
        ticker.shutdownNow();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Read-only view handed to {@link #query} callbacks (on the engine thread). */
    public interface EngineView {
        Collection<Position> positions();

        Optional<BigDecimal> markPrice(String symbol);

        /** What the gateway sees of {@code symbol}'s market now (the inputs of entry conditions and routing). */
        MarketView market(String symbol);

        Map<String, Boolean> sessions();

        Map<String, Map<String, Instrument>> instruments();

        Map<String, VenueStats> venueStats();

        /** How routing would rank the venues right now for an order of {@code quantity} {@code symbol} on {@code side}. */
        VenueRanking rankVenues(String symbol, Side side, BigDecimal quantity, BigDecimal maxSlippage, long maxLatencyMs);

        boolean killSwitchEngaged();

        Map<String, Long> planCounts();
    }
}
