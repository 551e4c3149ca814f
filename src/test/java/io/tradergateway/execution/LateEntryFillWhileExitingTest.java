package io.tradergateway.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.OrderId;
import io.tradergateway.market.BookLevel;
import io.tradergateway.market.BookSnapshot;
import io.tradergateway.market.TradePrint;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.store.Database;
import io.tradergateway.store.JdbcTradeJournal;
import io.tradergateway.system.Plans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10 item 5: a late entry fill while the plan's exit was working moved the plan from EXITING back to OPEN (and
 * re-armed its exit monitor) while the exit order still worked. Real engine, real H2, a fake venue the test answers for.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LateEntryFillWhileExitingTest {
    private static final String VENUE = "V1";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Database db;
    private JdbcTradeJournal journal;
    private TradingEngine engine;
    private final List<OrderCommand> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        db = Database.open("jdbc:h2:file:" + dir + "/db;WRITE_DELAY=0", "sa", "");
        journal = new JdbcTradeJournal(db);
        VenueGateway fakeVenue = new VenueGateway() {
            @Override
            public boolean send(OrderCommand command) {
                sent.add(command);
                return true;
            }

            @Override
            public Map<String, Boolean> sessionStates() {
                return Map.of(VENUE, true);
            }
        };
        engine = new TradingEngine(journal, fakeVenue, List.of(VENUE), (report, json) -> { }, Clock.systemUTC(),
                new TradingEngine.Settings(new BigDecimal("1000000"), Duration.ofSeconds(60), 0.2, Duration.ZERO,
                        Duration.ofMillis(250)));
        engine.start();
        Instant now = Instant.now();
        engine.onSessionState(VENUE, true);
        engine.onInstruments(VENUE, List.of(new Instrument("AAPL", BigDecimal.ONE, new BigDecimal("0.01"))));
        engine.onMarketData(new BookSnapshot(VENUE, "AAPL",
                List.of(new BookLevel(new BigDecimal("189.99"), new BigDecimal("100000"))),
                List.of(new BookLevel(new BigDecimal("190.01"), new BigDecimal("100000"))),
                Optional.of(new TradePrint(VENUE, "AAPL", new BigDecimal("190.00"), BigDecimal.TEN, now)), now));
    }

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
        if (db != null) db.close();
    }

    @Test
    void aLateEntryFillDuringTheExitDoesNotReopenThePlan() throws Exception {
        ObjectNode plan = Plans.market("late-entry", "AAPL", "long");
        plan.put("stop_loss", 185.0);
        String json = plan.toString();
        var parsed = (ParseResult.Parsed) new PlanParser().parse(json);
        assertThat(engine.submit(parsed.plan(), json).get(10, TimeUnit.SECONDS).httpStatus()).isEqualTo(202);
        await().atMost(WAIT).until(() -> sent.stream().anyMatch(c -> c instanceof OrderCommand.NewOrder));
        var newOrder = (OrderCommand.NewOrder) sent.stream().filter(c -> c instanceof OrderCommand.NewOrder).findFirst().orElseThrow();
        Order entry = journal.findOrder(newOrder.clOrdId()).orElseThrow();
        BigDecimal part = entry.quantity().divideToIntegralValue(new BigDecimal("2"));
        BigDecimal rest = entry.quantity().subtract(part);

        // Part filled, the rest cancelled by the venue: the entry ends partly filled and the plan opens.
        engine.onExecutionReport(report(entry, ExecType.NEW, OrderStatus.NEW, null, BigDecimal.ZERO, "E-1"));
        engine.onExecutionReport(report(entry, ExecType.TRADE, OrderStatus.PARTIALLY_FILLED, part, part, "E-2"));
        engine.onExecutionReport(report(entry, ExecType.CANCELED, OrderStatus.CANCELED, null, part, "E-3"));
        await().atMost(WAIT).until(() -> journal.findPlan("late-entry").orElseThrow().state() == PlanState.OPEN);

        // The price falls through the stop: the exit starts.
        Instant now = Instant.now();
        engine.onMarketData(new BookSnapshot(VENUE, "AAPL",
                List.of(new BookLevel(new BigDecimal("179.99"), new BigDecimal("100000"))),
                List.of(new BookLevel(new BigDecimal("180.01"), new BigDecimal("100000"))),
                Optional.of(new TradePrint(VENUE, "AAPL", new BigDecimal("180.00"), BigDecimal.TEN, now)), now));
        await().atMost(WAIT).until(() -> journal.findPlan("late-entry").orElseThrow().state() == PlanState.EXITING);

        // A late fill of the rest of the entry order (it crossed the cancel) completes the entry leg.
        engine.onExecutionReport(report(entry, ExecType.TRADE, OrderStatus.FILLED, rest, entry.quantity(), "E-4"));

        long fills = engine.query(view -> view.positions().stream().filter(p -> p.symbol().equals("AAPL")).findFirst()
                .orElseThrow().quantity().longValue()).get(10, TimeUnit.SECONDS);
        assertThat(fills).as("the late fill is booked").isEqualTo(entry.quantity().longValue());
        assertThat(journal.findPlan("late-entry").orElseThrow().state()).as("the exit goes on").isEqualTo(PlanState.EXITING);
        assertThat(exitOrders()).as("the exit was not triggered a second time").hasSize(1);

        // The exit order fills what it was sent for; the working exit then takes the late quantity too.
        Order exit = journal.findOrder(exitOrders().get(0).clOrdId()).orElseThrow();
        engine.onExecutionReport(report(exit, ExecType.TRADE, OrderStatus.FILLED, exit.quantity(), exit.quantity(), "X-1"));
        await().atMost(WAIT).until(() -> exitOrders().size() == 2);
        Order second = journal.findOrder(exitOrders().get(1).clOrdId()).orElseThrow();
        assertThat(second.quantity()).isEqualByComparingTo(rest);
        engine.onExecutionReport(report(second, ExecType.TRADE, OrderStatus.FILLED, rest, rest, "X-2"));
        await().atMost(WAIT).until(() -> journal.findPlan("late-entry").orElseThrow().state() == PlanState.CLOSED);
        long left = engine.query(view -> view.positions().stream().filter(p -> p.symbol().equals("AAPL")).findFirst()
                .orElseThrow().quantity().longValue()).get(10, TimeUnit.SECONDS);
        assertThat(left).as("the position the plan entered is exited in full").isZero();
    }

    private List<OrderCommand.NewOrder> exitOrders() {
        return sent.stream().filter(c -> c instanceof OrderCommand.NewOrder).map(c -> (OrderCommand.NewOrder) c)
                .filter(o -> journal.findOrder(o.clOrdId()).orElseThrow().leg() == Leg.EXIT).toList();
    }

    private static VenueExecutionReport report(Order order, ExecType type, OrderStatus status, BigDecimal lastQty,
                                               BigDecimal cumQty, String execId) {
        BigDecimal price = new BigDecimal("190.01");
        boolean fill = lastQty != null;
        return new VenueExecutionReport(VENUE, order.clOrdId(), null, new OrderId("O-" + order.seqNo()), new ExecId(execId),
                type, status, order.symbol(), order.side(), fill ? lastQty : BigDecimal.ZERO, fill ? price : null, cumQty,
                status.isTerminal() ? BigDecimal.ZERO : order.quantity().subtract(cumQty), fill ? price : BigDecimal.ZERO,
                BigDecimal.ZERO, null, Instant.now(), false, Instant.now());
    }
}
