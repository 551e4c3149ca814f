package io.tradergateway.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.OrderId;
import io.tradergateway.domain.Side;
import io.tradergateway.market.BookLevel;
import io.tradergateway.market.BookSnapshot;
import io.tradergateway.market.TradePrint;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.system.Plans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.tradergateway.execution.EngineFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Money facts against a venue that lies or a commit that fails (issue: money facts are never lost, doubled or
 * invented): every report is checked against its order before it is booked, a failed commit leaves memory as the
 * database says, and a failure in what derives from a fill never loses the fill.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileVenueEngineTest {
    static final String VENUE = "V1";

    @TempDir
    Path dir;
    EngineFixture f;
    GroupCommitTest.CountingJournal failing;

    void start() {
        f = new EngineFixture(dir, List.of(VenueCapabilities.defaults(VENUE)), journal -> {
            failing = new GroupCommitTest.CountingJournal(journal);
            return failing;
        });
        f.engine.onInstruments(VENUE, List.of(new Instrument("AAPL", BigDecimal.ONE, new BigDecimal("0.01")),
                new Instrument("MSFT", BigDecimal.ONE, new BigDecimal("0.01"))));
        f.price(VENUE, "AAPL", "99.99", "100.01");
        f.price(VENUE, "MSFT", "399.99", "400.01");
    }

    @AfterEach
    void stop() {
        if (f != null) f.close();
    }

    private OrderCommand.NewOrder enter(String planId) throws Exception {
        assertThat(f.submit(Plans.market(planId, "AAPL", "long")).httpStatus()).isEqualTo(202);
        await().atMost(WAIT).until(() -> f.newOrders().stream().anyMatch(o -> planOf(o).equals(planId)));
        OrderCommand.NewOrder order = f.newOrders().stream().filter(o -> planOf(o).equals(planId)).findFirst().orElseThrow();
        f.engine.onExecutionReport(f.report(order, ExecType.NEW, OrderStatus.NEW, null));
        return order;
    }

    /** Sends the reports, waits until each is quarantined and checks that none was booked; the reasons given. */
    private List<String> quarantinedReasons(List<VenueExecutionReport> reports) throws Exception {
        reports.forEach(f.engine::onExecutionReport);
        await().atMost(WAIT).until(() -> f.journal.quarantined(100).size() == reports.size());
        assertThat(f.position("AAPL")).as("nothing booked").isZero();
        return f.journal.quarantined(100).stream().map(r -> (String) r.get("reason")).toList();
    }

    /** The venue's true fill of the whole order at 100.00, after its lies: booked as usual. */
    private void theTrueFillIsBooked(OrderCommand.NewOrder order, String planId) throws Exception {
        f.engine.onExecutionReport(f.report(order, ExecType.TRADE, OrderStatus.FILLED, order.quantity(), new BigDecimal("100.00")));
        await().atMost(WAIT).until(() -> f.planState(planId) == PlanState.FILLED);
        assertThat(f.position("AAPL")).isEqualByComparingTo(order.quantity());
    }

    private String planOf(OrderCommand.NewOrder o) {
        return f.journal.findOrder(o.clOrdId()).map(Order::planId).orElse("");
    }

    @Test
    void reportsThatDoNotFitTheirOrderAreQuarantinedNotBooked() throws Exception {
        start();
        OrderCommand.NewOrder order = enter("hv-bad");
        BigDecimal qty = order.quantity();
        BigDecimal px = new BigDecimal("100.00");
        List<VenueExecutionReport> lies = List.of(
                f.report(order, ExecType.TRADE, OrderStatus.FILLED, new BigDecimal("10000"), px, "X-over", "AAPL", Side.BUY),
                f.report(order, ExecType.TRADE, OrderStatus.FILLED, qty, BigDecimal.ZERO, "X-zero", "AAPL", Side.BUY),
                f.report(order, ExecType.TRADE, OrderStatus.FILLED, qty, new BigDecimal("-190"), "X-neg", "AAPL", Side.BUY),
                f.report(order, ExecType.TRADE, OrderStatus.FILLED, qty, px, "X-side", "AAPL", Side.SELL),
                f.report(order, ExecType.TRADE, OrderStatus.FILLED, qty, new BigDecimal("400"), "X-sym", "MSFT", Side.BUY),
                f.report(order, ExecType.TRADE, OrderStatus.FILLED, qty, new BigDecimal("150"), "X-far", "AAPL", Side.BUY),
                f.report(order, ExecType.TRADE, OrderStatus.FILLED, new BigDecimal("1e20"), px, "X-huge", "AAPL", Side.BUY),
                new VenueExecutionReport(VENUE, order.clOrdId(), null, new OrderId("O-1"), new ExecId("X-avg"), ExecType.TRADE,
                        OrderStatus.FILLED, "AAPL", Side.BUY, qty, px, qty, BigDecimal.ZERO, new BigDecimal("120"), null, null,
                        f.clock.instant(), false, f.clock.instant()),
                new VenueExecutionReport(VENUE, order.clOrdId(), null, new OrderId("O-1"), new ExecId("X-status"),
                        ExecType.ORDER_STATUS, OrderStatus.FILLED, "AAPL", Side.BUY, null, null, qty.multiply(BigDecimal.TEN),
                        BigDecimal.ZERO, BigDecimal.ZERO, null, null, f.clock.instant(), false, f.clock.instant()));
        List<String> reasons = quarantinedReasons(lies);
        assertThat(f.journal.findOrder(order.clOrdId()).orElseThrow().status()).isEqualTo(OrderStatus.NEW);
        assertThat(f.engine.ignoredVenueReports()).containsEntry("quarantined", (long) lies.size());
        assertThat(reasons).anyMatch(r -> r.contains("would fill 10000 of an order for " + qty))
                .anyMatch(r -> r.contains("LastPx 0 is not positive"))
                .anyMatch(r -> r.contains("LastPx -190 is not positive"))
                .anyMatch(r -> r.contains("side sell is not the order's buy"))
                .anyMatch(r -> r.contains("symbol MSFT is not the order's AAPL"))
                .anyMatch(r -> r.contains("% from the market"))
                .anyMatch(r -> r.contains("status answer CumQty"))
                .anyMatch(r -> r.contains("AvgPx 120 does not match the fills"));
        assertThat(f.progressJson("hv-bad")).contains("QUARANTINED");
        assertThat(f.engine.query(v -> v.venueStats().get(VENUE).sampleCount()).get(10, TimeUnit.SECONDS))
                .as("the venue learns nothing from what was quarantined").isZero();

        theTrueFillIsBooked(order, "hv-bad");
    }

    /**
     * Ids the tables cannot hold: an ExecID or OrderID longer than its column, or holding a control character (U+0000,
     * which PostgreSQL text refuses). Booked, such a report would fail every later write of the tables until the
     * journal gave up and stopped the engine: a venue could halt the gateway with one message.
     */
    @Test
    void reportsWithIdsTheTablesCannotHoldAreQuarantinedAndTradingGoesOn() throws Exception {
        start();
        OrderCommand.NewOrder order = enter("hv-ids");
        BigDecimal qty = order.quantity();
        BigDecimal px = new BigDecimal("100.00");
        List<VenueExecutionReport> bad = List.of(
                f.report(order, ExecType.TRADE, OrderStatus.FILLED, qty, px, "X".repeat(200), "AAPL", Side.BUY),
                f.report(order, ExecType.TRADE, OrderStatus.FILLED, qty, px, "X-nul\u0000", "AAPL", Side.BUY),
                new VenueExecutionReport(VENUE, order.clOrdId(), null, new OrderId("O".repeat(100)), new ExecId("X-long-order-id"),
                        ExecType.TRADE, OrderStatus.FILLED, "AAPL", Side.BUY, qty, px, qty, BigDecimal.ZERO, px, null, null,
                        f.clock.instant(), false, f.clock.instant()),
                new VenueExecutionReport(VENUE, order.clOrdId(), null, new OrderId("O-\u0001"), new ExecId("X-ctl-order-id"),
                        ExecType.NEW, OrderStatus.NEW, "AAPL", Side.BUY, null, null, BigDecimal.ZERO, qty, BigDecimal.ZERO,
                        null, null, f.clock.instant(), false, f.clock.instant()));
        List<String> reasons = quarantinedReasons(bad);
        assertThat(reasons).anyMatch(r -> r.contains("ExecID is 200 characters long (at most 128)"))
                .anyMatch(r -> r.contains("ExecID holds a control character"))
                .anyMatch(r -> r.contains("OrderID is 100 characters long (at most 64)"))
                .anyMatch(r -> r.contains("OrderID holds a control character"));
        assertThat(f.journal.quarantined(100)).allSatisfy(row -> assertThat((String) row.get("exec_id"))
                .hasSizeLessThanOrEqualTo(128).doesNotContain("\u0000"));

        // A ClOrdID the gateway cannot have issued is not looked up in the tables (on PostgreSQL the query would fail).
        f.engine.onExecutionReport(new VenueExecutionReport(VENUE, new ClOrdId("TG-\u0000"), null, new OrderId("O-9"),
                new ExecId("X-unknown"), ExecType.NEW, OrderStatus.NEW, "AAPL", Side.BUY, null, null, BigDecimal.ZERO, qty,
                BigDecimal.ZERO, null, null, f.clock.instant(), false, f.clock.instant()));
        await().atMost(WAIT).until(() -> f.engine.ignoredVenueReports().getOrDefault("unknown_order", 0L) == 1L);

        // The engine still runs, and the true fill is booked.
        theTrueFillIsBooked(order, "hv-ids");
        assertThat(f.engine.stopped()).isFalse();
        assertThat(f.journal.findOrder(order.clOrdId()).orElseThrow().venueOrderId().value()).hasSizeLessThanOrEqualTo(64);
    }

    /**
     * Figures the tables cannot hold (prices have 14 integer digits) or that make no sense against the fill: booked,
     * they would fail every later write of the tables, as an id too long would. Figures with more decimals than the
     * tables keep would be rounded there and kept exact in memory: the two would disagree after a restart.
     */
    @Test
    void fillsWithAPriceOrCommissionBeyondBeliefAreQuarantined() throws Exception {
        start();
        OrderCommand.NewOrder order = enter("hv-figures");
        BigDecimal qty = order.quantity();
        BigDecimal px = new BigDecimal("100.00");
        List<VenueExecutionReport> bad = List.of(
                new VenueExecutionReport(VENUE, order.clOrdId(), null, new OrderId("O-1"), new ExecId("X-fee"),
                        ExecType.TRADE, OrderStatus.FILLED, "AAPL", Side.BUY, qty, px, qty, BigDecimal.ZERO, px,
                        new BigDecimal("1e15"), null, f.clock.instant(), false, f.clock.instant()),
                new VenueExecutionReport(VENUE, order.clOrdId(), null, new OrderId("O-1"), new ExecId("X-rebate"),
                        ExecType.TRADE, OrderStatus.FILLED, "AAPL", Side.BUY, qty, px, qty, BigDecimal.ZERO, px,
                        qty.multiply(px).add(BigDecimal.ONE).negate(), null, f.clock.instant(), false, f.clock.instant()),
                f.report(order, ExecType.TRADE, OrderStatus.FILLED, qty, new BigDecimal("1e20"), "X-px", "AAPL", Side.BUY),
                f.report(order, ExecType.TRADE, OrderStatus.PARTIALLY_FILLED, new BigDecimal("1.123456789"), px, "X-qty-decimals",
                        "AAPL", Side.BUY),
                f.report(order, ExecType.TRADE, OrderStatus.FILLED, qty, new BigDecimal("100.12345678901"), "X-px-decimals",
                        "AAPL", Side.BUY));
        List<String> reasons = quarantinedReasons(bad);
        assertThat(reasons).anyMatch(r -> r.contains("Commission 1000000000000000 is more than the fill's value"))
                .anyMatch(r -> r.contains("Commission -" + qty.multiply(px).add(BigDecimal.ONE).stripTrailingZeros().toPlainString()
                        + " is more than the fill's value"))
                .anyMatch(r -> r.contains("LastPx 100000000000000000000 is beyond what the gateway books"))
                .anyMatch(r -> r.contains("LastQty 1.123456789 has more decimals than the gateway keeps (8)"))
                .anyMatch(r -> r.contains("LastPx 100.12345678901 has more decimals than the gateway keeps (10)"));

        // A fee with more decimals than the tables keep is booked rounded, in memory as in the tables.
        f.engine.onExecutionReport(new VenueExecutionReport(VENUE, order.clOrdId(), null, new OrderId("O-1"),
                new ExecId("X-true"), ExecType.TRADE, OrderStatus.FILLED, "AAPL", Side.BUY, qty, px, qty, BigDecimal.ZERO, px,
                new BigDecimal("0.123456789012"), null, f.clock.instant(), false, f.clock.instant()));
        await().atMost(WAIT).until(() -> f.planState("hv-figures") == PlanState.FILLED);
        assertThat(f.position("AAPL")).isEqualByComparingTo(qty);
        assertThat(f.journal.fillsOfPlan("hv-figures")).singleElement()
                .satisfies(fill -> assertThat((BigDecimal) fill.get("fee")).isEqualByComparingTo("0.1234567890"));
        assertThat(f.journal.findOrder(order.clOrdId()).orElseThrow().fees()).isEqualByComparingTo("0.1234567890");
        assertThat(f.engine.stopped()).isFalse();
    }

    /**
     * Market data for symbols the gateway never asked for and does not know (a venue streaming its whole universe, or
     * garbage) is dropped and counted: kept, each would hold a book and a trade window in memory, without bound.
     */
    @Test
    void marketDataForSymbolsNeverAskedForIsDroppedAndCounted() throws Exception {
        start();
        Instant now = f.clock.instant();
        for (int i = 0; i < 500; i++) {
            f.engine.onMarketData(new BookSnapshot(VENUE, "JUNK-" + i, List.of(new BookLevel(BigDecimal.ONE, BigDecimal.TEN)),
                    List.of(new BookLevel(new BigDecimal("1.01"), BigDecimal.TEN)),
                    Optional.of(new TradePrint(VENUE, "JUNK-" + i, BigDecimal.ONE, BigDecimal.TEN, now)), now));
        }
        f.price(VENUE, "AAPL", "100.99", "101.01");

        assertThat(f.engine.ignoredMarketData()).isEqualTo(500);
        assertThat(f.engine.query(v -> v.markPrice("JUNK-7")).get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(f.engine.query(v -> v.market("JUNK-7").venues()).get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(f.engine.query(v -> v.markPrice("AAPL")).get(10, TimeUnit.SECONDS))
                .hasValueSatisfying(mark -> assertThat(mark).isEqualByComparingTo("101.00"));
    }

    @Test
    void aBatchThatFailsToCommitIsReplayedWithoutDoublingThePosition() throws Exception {
        start();
        OrderCommand.NewOrder order = enter("hv-batch");
        await().atMost(WAIT).until(() -> f.journal.findOrder(order.clOrdId()).orElseThrow().status() == OrderStatus.NEW);

        // The fill and a plan whose rows the database refuses queue up behind a busy engine: one batch, which fails.
        failing.failCommitsWith = "hv-poison";
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> blocker = f.engine.query(view -> {
            busy.countDown();
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        f.engine.onExecutionReport(f.report(order, ExecType.TRADE, OrderStatus.FILLED, order.quantity(), new BigDecimal("100.00")));
        ObjectNode poison = Plans.market("hv-poison", "AAPL", "long");
        String json = poison.toString();
        var parsed = (ParseResult.Parsed) new PlanParser().parse(json);
        CompletableFuture<TradingEngine.SubmitOutcome> poisoned = f.engine.submit(parsed.plan(), json);
        await().atMost(WAIT).until(() -> f.engine.backlog() >= 2); // the timer ticks queue up too
        release.countDown();
        assertThat(blocker.get(10, TimeUnit.SECONDS)).isTrue();

        assertThat(poisoned.get(10, TimeUnit.SECONDS).httpStatus()).isEqualTo(500);
        await().atMost(WAIT).until(() -> f.planState("hv-batch") == PlanState.FILLED);
        assertThat(f.position("AAPL")).as("in memory: booked once").isEqualByComparingTo(order.quantity());
        assertThat(f.journal.recover().positions()).singleElement()
                .satisfies(p -> assertThat(p.quantity()).as("in the database: booked once").isEqualByComparingTo(order.quantity()));
    }

    @Test
    void aLateFillOfAnExitGivenUpOnIsBookedNotLost() throws Exception {
        start();
        ObjectNode plan = Plans.market("hv-exit", "AAPL", "long");
        plan.put("stop_loss", 95.0);
        assertThat(f.submit(plan).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder entry = f.awaitNewOrders(1).get(0);
        f.engine.onExecutionReport(f.report(entry, ExecType.TRADE, OrderStatus.FILLED, entry.quantity(), new BigDecimal("100.00")));
        await().atMost(WAIT).until(() -> f.planState("hv-exit") == PlanState.OPEN);

        f.price(VENUE, "AAPL", "90.00", "90.02"); // through the stop
        for (int attempt = 1; attempt <= 3; attempt++) {
            OrderCommand.NewOrder exit = f.awaitNewOrders(attempt + 1).get(attempt);
            f.engine.onExecutionReport(f.report(exit, ExecType.REJECTED, OrderStatus.REJECTED, null));
        }
        await().atMost(WAIT).until(() -> f.progressJson("hv-exit").contains("blocked"));

        // The venue reports a fill of the first exit order after all (it had not rejected it after all).
        OrderCommand.NewOrder first = f.newOrders().get(1);
        BigDecimal half = first.quantity().divide(BigDecimal.valueOf(2), 0, RoundingMode.DOWN);
        f.engine.onExecutionReport(f.report(first, ExecType.TRADE, OrderStatus.PARTIALLY_FILLED, half, new BigDecimal("90.00")));

        await().atMost(WAIT).until(() -> f.position("AAPL").compareTo(entry.quantity().subtract(half)) == 0);
        assertThat(f.journal.recover().positions()).singleElement()
                .satisfies(p -> assertThat(p.quantity()).isEqualByComparingTo(entry.quantity().subtract(half)));
        assertThat(f.planState("hv-exit")).isEqualTo(PlanState.OPEN);
    }

    @Test
    void theQuarantineListIsEmptyForAnHonestVenue() throws Exception {
        start();
        OrderCommand.NewOrder order = enter("hv-honest");
        f.engine.onExecutionReport(f.report(order, ExecType.TRADE, OrderStatus.FILLED, order.quantity(), new BigDecimal("100.00")));
        await().atMost(WAIT).until(() -> f.planState("hv-honest") == PlanState.FILLED);
        assertThat(f.journal.quarantined(10)).isEmpty();
        assertThat(f.engine.ignoredVenueReports()).doesNotContainKey("quarantined");
    }
}
