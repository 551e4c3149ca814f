package io.tradergateway.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.Side;
import io.tradergateway.market.BookLevel;
import io.tradergateway.market.BookSnapshot;
import io.tradergateway.market.TradePrint;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.position.Position;
import io.tradergateway.report.ExecReport;
import io.tradergateway.risk.RiskLimits;
import io.tradergateway.routing.VenueStatsBook;
import io.tradergateway.store.Database;
import io.tradergateway.store.JdbcTradeJournal;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The engine with no threads (issue 10: a deterministic engine harness): the real {@link Execution} over a real H2
 * journal, fake venues that record what is sent, and a clock only the test moves. Every event runs on the calling
 * thread through {@link Execution#runBatch}, alone ({@link #run}) or committed together with others as one group
 * commit ({@link #batch}); timers fire only on {@link #tick}. So a commit failure, a timer or a race (two events in one
 * batch, in a chosen order) replays exactly, with no sleeps and no polling.
 */
final class DeterministicEngine implements AutoCloseable {
    /** Fixed when the harness is built (plans' created_at and valid_until are set from the wall clock). */
    final EngineFixture.MovableClock clock = new EngineFixture.MovableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final List<OrderCommand> sent = new ArrayList<>();
    final List<ExecReport> reports = new ArrayList<>();
    /** Events an effect handed back to the engine (as {@code TradingEngine} would queue them). */
    private final List<Runnable> handedBack = new ArrayList<>();
    final Map<String, Boolean> sessions = new LinkedHashMap<>();
    final Database db;
    final JdbcTradeJournal journal;
    /** The journal the engine writes to: set {@code failCommitsWith} to make commits naming a plan fail. */
    final GroupCommitTest.CountingJournal commits;
    final EngineState state;
    final Execution execution;
    private final FakeVenueReports venueReports = new FakeVenueReports(clock);

    DeterministicEngine(Path dir, List<VenueCapabilities> venues) {
        this(dir, venues, RiskLimits.none());
    }

    DeterministicEngine(Path dir, List<VenueCapabilities> venues, RiskLimits risk) {
        db = Database.open("jdbc:h2:file:" + dir + "/db;WRITE_DELAY=0", "sa", "");
        journal = new JdbcTradeJournal(db);
        commits = new GroupCommitTest.CountingJournal(journal);
        Map<String, VenueCapabilities> caps = new LinkedHashMap<>();
        venues.forEach(v -> caps.put(v.venue(), v));
        caps.keySet().forEach(v -> sessions.put(v, false));
        VenueGateway gateway = new VenueGateway() {
            @Override
            public boolean send(OrderCommand command) {
                sent.add(command);
                return Boolean.TRUE.equals(sessions.get(command.venue()));
            }

            @Override
            public Map<String, Boolean> sessionStates() {
                return Map.copyOf(sessions);
            }

            @Override
            public Map<String, VenueCapabilities> capabilities() {
                return caps;
            }
        };
        // As TradingEngine builds them, without its thread and ticker.
        TradingEngine.Settings settings = new TradingEngine.Settings(new BigDecimal("1000000"), Duration.ofSeconds(60), 0.2,
                Duration.ZERO, Duration.ofMillis(250), risk);
        state = new EngineState(List.copyOf(caps.values()), settings, new VenueStatsBook(settings.venueStatsAlpha()));
        execution = new Execution(state, commits, gateway, (report, json) -> reports.add(report), clock, settings,
                handedBack::add);
        execution.recover(commits.recover());
        for (String venue : caps.keySet()) {
            sessions.put(venue, true);
            run(() -> execution.onSessionState(venue, true));
        }
    }

    // ---------------------------------------------------------------- driving

    /** One event in its own transaction, now, on this thread (then the events it handed back, each on its own). */
    void run(Runnable event) {
        execution.runBatch(List.of(event));
        runHandedBack();
    }

    /** These events, in this order, committed together as one batch (what a busy engine's group commit does). */
    void batch(Runnable... events) {
        execution.runBatch(List.of(events));
        runHandedBack();
    }

    private void runHandedBack() {
        while (!handedBack.isEmpty()) execution.runBatch(List.of(handedBack.remove(0)));
    }

    /** The engine's timer tick (what the ticker thread posts every 250 ms). */
    void tick() {
        run(execution::onTick);
    }

    /** Moves the clock, then ticks. */
    void advance(Duration d) {
        clock.advance(d);
        tick();
    }

    /** {@code steps} times: move the clock by {@code step} and tick. */
    void passTime(Duration step, int steps) {
        for (int i = 0; i < steps; i++) advance(step);
    }

    // ---------------------------------------------------------------- events

    Runnable submitEvent(ObjectNode plan, CompletableFuture<TradingEngine.SubmitOutcome> answer) {
        String json = plan.toString();
        var parsed = (ParseResult.Parsed) new PlanParser().parse(json);
        return () -> execution.submit(parsed.plan(), json, answer);
    }

    /** Submits the plan in its own event; the answer is there once it returns. */
    TradingEngine.SubmitOutcome submit(ObjectNode plan) {
        CompletableFuture<TradingEngine.SubmitOutcome> answer = new CompletableFuture<>();
        run(submitEvent(plan, answer));
        return answer.getNow(null);
    }

    /** The API's cancel of a plan, as an event. */
    Runnable cancelEvent(String planId, CompletableFuture<TradingEngine.SubmitOutcome> answer) {
        return () -> execution.cancelPlan(planId, "cancel requested through the API", answer);
    }

    Runnable reportEvent(VenueExecutionReport r) {
        return () -> execution.onExecutionReport(r);
    }

    void report(VenueExecutionReport r) {
        run(reportEvent(r));
    }

    void cancelReject(VenueCancelReject reject) {
        run(() -> execution.onCancelReject(reject));
    }

    void instruments(String venue, List<Instrument> instruments) {
        run(() -> execution.onInstruments(venue, instruments));
    }

    /** A two-sided book and a trade at the bid, on {@code venue}. */
    void price(String venue, String symbol, String bid, String offer) {
        Instant now = clock.instant();
        BookSnapshot book = new BookSnapshot(venue, symbol, List.of(new BookLevel(new BigDecimal(bid), new BigDecimal("100000"))),
                List.of(new BookLevel(new BigDecimal(offer), new BigDecimal("100000"))),
                Optional.of(new TradePrint(venue, symbol, new BigDecimal(bid), BigDecimal.TEN, now)), now);
        run(() -> execution.onMarketData(book));
    }

    // ---------------------------------------------------------------- reading

    /** Asks the engine's view directly (there is no other thread to ask through). */
    <T> T query(Function<TradingEngine.EngineView, T> question) {
        return question.apply(execution.view());
    }

    BigDecimal position(String symbol) {
        return query(v -> v.positions().stream().filter(p -> p.symbol().equals(symbol)).map(Position::quantity)
                .findFirst().orElse(BigDecimal.ZERO));
    }

    <T extends OrderCommand> List<T> commands(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<OrderCommand.NewOrder> newOrders() {
        return commands(OrderCommand.NewOrder.class);
    }

    PlanState planState(String planId) {
        return journal.findPlan(planId).orElseThrow().state();
    }

    String progressJson(String planId) {
        return journal.findPlan(planId).map(p -> p.progressJson().text()).orElse("");
    }

    // ---------------------------------------------------------------- venue reports

    /** A report of the venue on {@code order}; a fill of {@code fillQty} at {@code price} when both are given. */
    VenueExecutionReport report(OrderCommand.NewOrder order, ExecType type, OrderStatus status, BigDecimal fillQty, BigDecimal price) {
        return venueReports.report(order, type, status, fillQty, price);
    }

    VenueExecutionReport report(OrderCommand.NewOrder order, ExecType type, OrderStatus status, BigDecimal fillQty) {
        return venueReports.report(order, type, status, fillQty);
    }

    VenueExecutionReport report(OrderCommand.NewOrder order, ExecType type, OrderStatus status, BigDecimal fillQty,
                                BigDecimal price, String execId, String symbol, Side side) {
        return venueReports.report(order, type, status, fillQty, price, execId, symbol, side);
    }

    @Override
    public void close() {
        db.close();
    }
}
