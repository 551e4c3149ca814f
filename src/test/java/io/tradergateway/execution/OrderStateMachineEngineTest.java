package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
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
import io.tradergateway.system.OpsLogCapture;
import io.tradergateway.system.Plans;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * The order state machine on the real engine and a real H2 journal, with a fake venue the test answers for: the cases
 * the simulated venue cannot produce on demand (a 35=9 for an order that is already done while its plan goes on, a
 * late NEW after FILLED). Every event is queued; a query queued behind it is answered only after it was handled.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OrderStateMachineEngineTest {
    private static final String VENUE = "V1";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    Database db;
    JdbcTradeJournal journal;
    TradingEngine engine;
    OpsLogCapture opsLog;
    final List<OrderCommand> sent = new CopyOnWriteArrayList<>();
    private int execIds;

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
        opsLog = OpsLogCapture.start();
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
        if (opsLog != null) opsLog.close();
        if (engine != null) engine.close();
        if (db != null) db.close();
    }

    @Test
    void aCancelRejectForAnOrderAlreadyFilledTeachesTheVenueNothingMoreAndChangesNothing() throws Exception {
        Order order = enterLongWithAStopAndFillIt("sm-reject");
        assertThat(venueSamples()).isEqualTo(1);

        // The venue answers a cancel that crossed its fill: too late, the order is filled. The plan goes on (open).
        engine.onCancelReject(new VenueCancelReject(VENUE, new ClOrdId(order.clOrdId().value() + "-C1"), order.clOrdId(),
                OrderStatus.FILLED, false, "too late to cancel", Instant.now()));

        assertThat(venueSamples()).as("the venue learned from the order once, when it filled").isEqualTo(1);
        assertThat(journal.findOrder(order.clOrdId()).orElseThrow().status()).isEqualTo(OrderStatus.FILLED);
        assertThat(journal.findPlan("sm-reject").orElseThrow().state()).isEqualTo(PlanState.OPEN);
        assertThat(opsLog.linesWith("clOrdId=" + order.clOrdId(), "cancel rejected by V1", "too late")).hasSize(1);
    }

    @Test
    void aLateNewAfterFilledIsLoggedAsAnIllegalTransitionAndTheOrderStaysFilled() throws Exception {
        Order order = enterLongWithAStopAndFillIt("sm-late-new");

        engine.onExecutionReport(report(order, ExecType.NEW, OrderStatus.NEW, null));

        assertThat(venueSamples()).isEqualTo(1); // handled (the query is queued behind it), and nothing learned twice
        assertThat(journal.findOrder(order.clOrdId()).orElseThrow().status()).isEqualTo(OrderStatus.FILLED);
        assertThat(journal.findPlan("sm-late-new").orElseThrow().state()).isEqualTo(PlanState.OPEN);
        assertThat(opsLog.linesWith("clOrdId=" + order.clOrdId(), "illegal transition FILLED -> NEW", "kept FILLED"))
                .hasSize(1);
    }

    // ---------------------------------------------------------------- helpers

    /** A market long with a stop (so the plan stays open after its entry), acked and filled in full by the fake venue. */
    private Order enterLongWithAStopAndFillIt(String planId) throws Exception {
        ObjectNode plan = Plans.market(planId, "AAPL", "long");
        plan.put("stop_loss", 150.0);
        String json = plan.toString();
        var parsed = (ParseResult.Parsed) new PlanParser().parse(json);
        assertThat(engine.submit(parsed.plan(), json).get(10, TimeUnit.SECONDS).httpStatus()).isEqualTo(202);
        await().atMost(WAIT).until(() -> sent.stream().anyMatch(c -> c instanceof OrderCommand.NewOrder));
        var newOrder = (OrderCommand.NewOrder) sent.stream().filter(c -> c instanceof OrderCommand.NewOrder).findFirst().orElseThrow();
        Order order = journal.findOrder(newOrder.clOrdId()).orElseThrow();
        engine.onExecutionReport(report(order, ExecType.NEW, OrderStatus.NEW, null));
        engine.onExecutionReport(report(order, ExecType.TRADE, OrderStatus.FILLED, order.quantity()));
        await().atMost(WAIT).until(() -> journal.findPlan(planId).orElseThrow().state() == PlanState.OPEN);
        return order;
    }

    private VenueExecutionReport report(Order order, ExecType type, OrderStatus status, BigDecimal fillQty) {
        BigDecimal price = new BigDecimal("190.01");
        boolean fill = fillQty != null;
        return new VenueExecutionReport(VENUE, order.clOrdId(), null, new OrderId("O-" + order.seqNo()),
                new ExecId("E-" + (++execIds)), type, status, order.symbol(), order.side(), fill ? fillQty : BigDecimal.ZERO,
                fill ? price : null, fill ? fillQty : BigDecimal.ZERO, fill ? BigDecimal.ZERO : order.quantity(),
                fill ? price : BigDecimal.ZERO, BigDecimal.ZERO, null, Instant.now(), false, Instant.now());
    }

    /** How many observations the venue's statistics have; asked through the engine queue, behind earlier events. */
    private long venueSamples() throws Exception {
        return engine.query(view -> view.venueStats().get(VENUE).sampleCount()).get(10, TimeUnit.SECONDS);
    }
}
