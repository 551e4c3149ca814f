package io.tradergateway.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.domain.Side;
import io.tradergateway.market.BookLevel;
import io.tradergateway.market.BookSnapshot;
import io.tradergateway.market.TradePrint;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.position.Position;
import io.tradergateway.report.ExecReport;
import io.tradergateway.risk.RiskLimits;
import io.tradergateway.store.Database;
import io.tradergateway.store.JdbcTradeJournal;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * The real engine on a real H2 journal, with fake venues the test answers for and a clock the test moves: what a test
 * needs to replay venue behaviour the simulated venue cannot produce on demand. Every event is queued; a query queued
 * behind it is answered only after it was handled.
 */
final class EngineFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    final MovableClock clock = new MovableClock(Instant.now());
    final List<OrderCommand> sent = new CopyOnWriteArrayList<>();
    final List<ExecReport> reports = new CopyOnWriteArrayList<>();
    final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
    final Database db;
    final JdbcTradeJournal journal;
    final TradingEngine engine;
    private final FakeVenueReports venueReports = new FakeVenueReports(clock);

    /**
     * Starts the engine with these venues (logged on at once); {@code journalTweak} may wrap the journal (to fail
     * commits, for instance).
     */
    EngineFixture(Path dir, List<VenueCapabilities> venues, UnaryOperator<TradeJournal> journalTweak) {
        this(dir, venues, journalTweak, RiskLimits.none());
    }

    EngineFixture(Path dir, List<VenueCapabilities> venues, UnaryOperator<TradeJournal> journalTweak, RiskLimits risk) {
        db = Database.open("jdbc:h2:file:" + dir + "/db;WRITE_DELAY=0", "sa", "");
        journal = new JdbcTradeJournal(db);
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
        engine = new TradingEngine(journalTweak.apply(journal), gateway, List.copyOf(caps.keySet()),
                (report, json) -> reports.add(report), clock,
                new TradingEngine.Settings(new BigDecimal("1000000"), Duration.ofSeconds(60), 0.2, Duration.ZERO,
                        Duration.ofMillis(50), risk));
        engine.start();
        for (String venue : caps.keySet()) {
            sessions.put(venue, true);
            engine.onSessionState(venue, true);
        }
    }

    /**
     * A two-sided book and a trade at the bid, on {@code venue}; returns once the engine has applied them: a clock moved
     * next could otherwise let a timer tick queued before this event act on the old market (a TWAP slice priced before
     * the move).
     */
    void price(String venue, String symbol, String bid, String offer) {
        Instant now = clock.instant();
        engine.onMarketData(new BookSnapshot(venue, symbol, List.of(new BookLevel(new BigDecimal(bid), new BigDecimal("100000"))),
                List.of(new BookLevel(new BigDecimal(offer), new BigDecimal("100000"))),
                Optional.of(new TradePrint(venue, symbol, new BigDecimal(bid), BigDecimal.TEN, now)), now));
        try {
            engine.query(view -> Boolean.TRUE).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the engine did not take the market data in 10 s", e);
        }
    }

    TradingEngine.SubmitOutcome submit(ObjectNode plan) throws Exception {
        String json = plan.toString();
        var parsed = (ParseResult.Parsed) new PlanParser().parse(json);
        return engine.submit(parsed.plan(), json).get(10, TimeUnit.SECONDS);
    }

    <T extends OrderCommand> List<T> commands(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<OrderCommand.NewOrder> newOrders() {
        return commands(OrderCommand.NewOrder.class);
    }

    List<OrderCommand.NewOrder> awaitNewOrders(int n) {
        await().atMost(WAIT).until(() -> newOrders().size() >= n);
        return newOrders();
    }

    PlanState planState(String planId) {
        return journal.findPlan(planId).orElseThrow().state();
    }

    String progressJson(String planId) {
        return journal.findPlan(planId).map(p -> p.progressJson().text()).orElse("");
    }

    BigDecimal position(String symbol) throws Exception {
        return engine.query(v -> v.positions().stream().filter(p -> p.symbol().equals(symbol))
                .map(Position::quantity).findFirst().orElse(BigDecimal.ZERO)).get(10, TimeUnit.SECONDS);
    }

    /** Moves the clock in steps, letting the engine's timer tick after each (for "nothing happens for a while"). */
    void passTime(Duration step, int steps) throws InterruptedException {
        for (int i = 0; i < steps; i++) {
            clock.advance(step);
            Thread.sleep(60);
        }
    }

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
        engine.close();
        db.close();
    }

    /** A clock the test moves forward; read by the engine thread. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
