package io.tradergateway.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.OrderId;
import io.tradergateway.market.BookLevel;
import io.tradergateway.market.BookSnapshot;
import io.tradergateway.market.TradePrint;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.report.ExecReport;
import io.tradergateway.store.Database;
import io.tradergateway.store.JdbcTradeJournal;
import io.tradergateway.system.Plans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine against venues that support less than the simulator (SPEC 4.2), on a real H2 journal, with a fake venue
 * the test answers for and a clock the test moves: a broker session that takes only LIMIT + DAY, lists its instruments
 * in configuration and sends no market data, beside a market-data-only session. Each storm the issue measured is
 * replayed here: a refused cancel, an exit the venue refuses, an order the venue forgets, a refused status request.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitedVenueEngineTest {
    private static final String BROKER = "BROKER";
    private static final String FEED = "FEED";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    Database db;
    JdbcTradeJournal journal;
    TradingEngine engine;
    final MovableClock clock = new MovableClock(Instant.now());
    final List<OrderCommand> sent = new CopyOnWriteArrayList<>();
    final List<ExecReport> reports = new CopyOnWriteArrayList<>();
    final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
    private int execIds;

    static VenueCapabilities broker(boolean cancels, boolean statusRequests) {
        return new VenueCapabilities(BROKER, VenueCapabilities.FIX42,
                List.of(new Instrument("AAPL", BigDecimal.ONE, new BigDecimal("0.01"))), false, false, true,
                EnumSet.of(OrderType.LIMIT), EnumSet.of(TimeInForce.DAY), cancels, statusRequests, Map.of(1, "ACC-7"), "trader");
    }

    static VenueCapabilities feed() {
        return new VenueCapabilities(FEED, VenueCapabilities.FIX44, List.of(), false, true, false,
                EnumSet.allOf(OrderType.class), EnumSet.allOf(TimeInForce.class), true, true, Map.of(), null);
    }

    void start(VenueCapabilities brokerCaps) {
        db = Database.open("jdbc:h2:file:" + dir + "/db;WRITE_DELAY=0", "sa", "");
        journal = new JdbcTradeJournal(db);
        sessions.put(BROKER, false);
        sessions.put(FEED, false);
        VenueGateway venues = new VenueGateway() {
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
                return Map.of(BROKER, brokerCaps, FEED, feed());
            }
        };
        engine = new TradingEngine(journal, venues, List.of(BROKER, FEED), reports::add, clock,
                new TradingEngine.Settings(new BigDecimal("1000000"), Duration.ofSeconds(60), 0.2, Duration.ZERO,
                        Duration.ofMillis(50)));
        engine.start();
        sessions.put(BROKER, true);
        sessions.put(FEED, true);
        engine.onSessionState(BROKER, true);
        engine.onSessionState(FEED, true);
    }

    void feedPrice(String bid, String offer) {
        Instant now = clock.instant();
        engine.onMarketData(new BookSnapshot(FEED, "AAPL", List.of(new BookLevel(new BigDecimal(bid), new BigDecimal("100000"))),
                List.of(new BookLevel(new BigDecimal(offer), new BigDecimal("100000"))),
                Optional.of(new TradePrint(FEED, "AAPL", new BigDecimal(bid), BigDecimal.TEN, now)), now));
    }

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
        if (db != null) db.close();
    }

    @Test
    void instrumentsFromConfigurationPricesFromAnotherSessionAndAMarketOrderSentAsAMarketableDayLimit() throws Exception {
        start(broker(true, true));
        await().atMost(WAIT).until(() -> commands(OrderCommand.SubscribeMarketData.class).size() == 1);
        OrderCommand.SubscribeMarketData subscription = commands(OrderCommand.SubscribeMarketData.class).get(0);
        assertThat(subscription.venue()).as("only the session that offers market data is subscribed").isEqualTo(FEED);
        assertThat(subscription.symbols()).containsExactly("AAPL");
        feedPrice("99.99", "100.01");

        assertThat(submit(Plans.market("lv-market", "AAPL", "long")).httpStatus()).isEqualTo(202);

        OrderCommand.NewOrder order = awaitNewOrders(1).get(0);
        assertThat(order.venue()).as("the market-data-only session is never a routing candidate").isEqualTo(BROKER);
        assertThat(order.type()).isEqualTo(OrderType.LIMIT);
        // mid 100.00 moved by max_slippage 0.01 = 101.00
        assertThat(order.limitPrice()).isEqualByComparingTo("101.00");
        assertThat(order.timeInForce()).isEqualTo(TimeInForce.DAY);
        assertThat(order.expireTime()).isNull();
    }

    @Test
    void aPlanThatNeedsAPriceNobodyProvidesIsRefusedAndALimitPlanIsSizedOnItsEntryPrice() throws Exception {
        start(broker(true, true));
        await().atMost(WAIT).until(() -> commands(OrderCommand.SubscribeMarketData.class).size() == 1);

        TradingEngine.SubmitOutcome refused = submit(Plans.market("lv-no-price", "AAPL", "long"));
        assertThat(refused.httpStatus()).isEqualTo(422);
        assertThat(refused.issues()).anySatisfy(i -> {
            assertThat(i.code()).isEqualTo("no_market_price");
            assertThat(i.message()).contains("no session provides a market price for AAPL").contains("FEED");
        });

        ObjectNode limit = Plans.limit("lv-limit", "AAPL", "long", 50.0, BROKER);
        assertThat(submit(limit).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder order = awaitNewOrders(1).get(0);
        // 1 % of 1,000,000 at the entry price 50 = 200 shares
        assertThat(order.quantity()).isEqualByComparingTo("200");
        assertThat(order.limitPrice()).isEqualByComparingTo("50");
        assertThat(order.timeInForce()).as("no GTD at this venue: DAY, cancelled by the gateway at valid_until")
                .isEqualTo(TimeInForce.DAY);
    }

    @Test
    void aRefusedCancelIsRetriedTwiceWithBackOffThenFlaggedNeverInALoop() throws Exception {
        start(broker(true, true));
        feedPrice("99.99", "100.01");
        assertThat(submit(Plans.market("lv-cancel", "AAPL", "long")).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder order = awaitNewOrders(1).get(0);
        // Acknowledged and resting (a DAY order): the IOC the plan wants is emulated by one cancel.
        engine.onExecutionReport(report(order, ExecType.NEW, OrderStatus.NEW, null));
        await().atMost(WAIT).until(() -> commands(OrderCommand.Cancel.class).size() == 1);

        for (int attempt = 1; attempt <= 3; attempt++) {
            OrderCommand.Cancel cancel = commands(OrderCommand.Cancel.class).get(attempt - 1);
            engine.onCancelReject(new VenueCancelReject(BROKER, cancel.clOrdId(), order.clOrdId(), OrderStatus.NEW, false,
                    "cancels suspended", clock.instant()));
            clock.advance(Duration.ofSeconds(10));
            if (attempt < 3) {
                int expected = attempt + 1;
                await().atMost(WAIT).until(() -> commands(OrderCommand.Cancel.class).size() == expected);
            }
        }
        // Many ticks later, still three.
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(30));
            Thread.sleep(60);
        }
        assertThat(commands(OrderCommand.Cancel.class)).hasSize(3);
        await().atMost(WAIT).until(() -> attention("lv-cancel").contains("cancel unresolved"));
        assertThat(journal.findPlan("lv-cancel").orElseThrow().state()).isEqualTo(PlanState.WORKING);
    }

    @Test
    void aVenueWithoutCancelRequestIsNeverSentOneAndTheOrderIsFlagged() throws Exception {
        start(broker(false, true));
        feedPrice("99.99", "100.01");
        assertThat(submit(Plans.market("lv-nocancel", "AAPL", "long")).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder order = awaitNewOrders(1).get(0);
        engine.onExecutionReport(report(order, ExecType.NEW, OrderStatus.NEW, null));
        await().atMost(WAIT).until(() -> attention("lv-nocancel").contains("takes no OrderCancelRequest"));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(30));
            Thread.sleep(60);
        }
        assertThat(commands(OrderCommand.Cancel.class)).isEmpty();
    }

    @Test
    void anExitTheVenueRefusesIsOneFailedReportAndRetriesWithBackOff() throws Exception {
        start(broker(true, true));
        feedPrice("99.99", "100.01");
        ObjectNode plan = Plans.market("lv-exit", "AAPL", "long");
        plan.put("stop_loss", 95.0);
        assertThat(submit(plan).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder entry = awaitNewOrders(1).get(0);
        engine.onExecutionReport(report(entry, ExecType.NEW, OrderStatus.NEW, null));
        engine.onExecutionReport(report(entry, ExecType.TRADE, OrderStatus.FILLED, entry.quantity()));
        await().atMost(WAIT).until(() -> journal.findPlan("lv-exit").orElseThrow().state() == PlanState.OPEN);

        feedPrice("90.00", "90.02"); // through the stop
        // Every exit order is refused: three attempts, then one failed report, then quiet until the back-off passes.
        for (int attempt = 1; attempt <= 3; attempt++) {
            int n = attempt + 1;
            await().atMost(WAIT).until(() -> awaitNewOrdersNow().size() == n);
            OrderCommand.NewOrder exit = awaitNewOrdersNow().get(attempt);
            assertThat(exit.type()).as("a marketable limit: the venue takes no MARKET").isEqualTo(OrderType.LIMIT);
            engine.onExecutionReport(report(exit, ExecType.REJECTED, OrderStatus.REJECTED, null));
        }
        await().atMost(WAIT).until(() -> failedExitReports() == 1);
        for (int i = 0; i < 20; i++) {
            feedPrice("90.00", "90.02");
            Thread.sleep(50);
        }
        assertThat(awaitNewOrdersNow()).as("no exit order before the back-off").hasSize(4);
        assertThat(failedExitReports()).isEqualTo(1);
        assertThat(attention("lv-exit")).contains("exit stop_loss blocked 1 time(s)");

        clock.advance(Exits.EXIT_RETRY.plusSeconds(1));
        await().atMost(WAIT).until(() -> awaitNewOrdersNow().size() == 5);
        OrderCommand.NewOrder retry = awaitNewOrdersNow().get(4);
        engine.onExecutionReport(report(retry, ExecType.TRADE, OrderStatus.FILLED, retry.quantity()));
        await().atMost(WAIT).until(() -> journal.findPlan("lv-exit").orElseThrow().state() == PlanState.CLOSED);
        assertThat(failedExitReports()).as("still one failed report for the whole blocked exit").isEqualTo(1);
    }

    @Test
    void fillsOfTwoOrdersWithTheSameExecIdAfterAVenueRestartAreBothBookedAndAResendIsNot() throws Exception {
        start(broker(true, true));
        feedPrice("99.99", "100.01");
        assertThat(submit(Plans.market("lv-exec-1", "AAPL", "long")).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder first = awaitNewOrders(1).get(0);
        engine.onExecutionReport(fill(first, "1"));
        await().atMost(WAIT).until(() -> journal.findPlan("lv-exec-1").orElseThrow().state() == PlanState.FILLED);
        engine.onExecutionReport(fill(first, "1")); // a re-send of the same execution

        assertThat(submit(Plans.market("lv-exec-2", "AAPL", "long")).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder second = awaitNewOrders(2).get(1);
        engine.onExecutionReport(fill(second, "1")); // the venue restarted: its ExecIDs begin at 1 again
        await().atMost(WAIT).until(() -> journal.findPlan("lv-exec-2").orElseThrow().state() == PlanState.FILLED);

        BigDecimal position = engine.query(v -> v.positions().iterator().next().quantity()).get(10, TimeUnit.SECONDS);
        assertThat(position).isEqualByComparingTo(first.quantity().add(second.quantity()));
        assertThat(engine.ignoredVenueReports()).containsEntry("duplicate_exec_id", 1L);
    }

    @Test
    void anOrderTheVenueForgetsEndsWithWhatWasBookedAndNothingIsAskedAgain() throws Exception {
        start(broker(true, true));
        feedPrice("99.99", "100.01");
        assertThat(submit(Plans.limit("lv-forgot", "AAPL", "long", 90.0, BROKER)).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder order = awaitNewOrders(1).get(0);
        engine.onExecutionReport(report(order, ExecType.NEW, OrderStatus.NEW, null));
        await().atMost(WAIT).until(() -> journal.findOrder(order.clOrdId()).orElseThrow().status() == OrderStatus.NEW);

        // After a venue restart the logon status request finds the order unknown.
        engine.onSessionState(BROKER, false);
        engine.onSessionState(BROKER, true);
        await().atMost(WAIT).until(() -> commands(OrderCommand.StatusRequest.class).size() == 1);
        engine.onExecutionReport(new VenueExecutionReport(BROKER, order.clOrdId(), null, new OrderId("NONE"),
                new ExecId("S-1"), ExecType.ORDER_STATUS, OrderStatus.REJECTED, "AAPL", order.side(), BigDecimal.ZERO, null,
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null, "Unknown order", clock.instant(), false, clock.instant()));

        await().atMost(WAIT).until(() -> journal.findOrder(order.clOrdId()).orElseThrow().status() == OrderStatus.CANCELED);
        await().atMost(WAIT).until(() -> journal.findPlan("lv-forgot").orElseThrow().state().isTerminal());
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(30));
            Thread.sleep(60);
        }
        assertThat(commands(OrderCommand.Cancel.class)).isEmpty();
        assertThat(commands(OrderCommand.StatusRequest.class)).hasSize(1);
    }

    @Test
    void aVenueThatRefusesStatusRequestsIsNotAskedAgainAndTheOrderIsFlagged() throws Exception {
        start(broker(true, true));
        feedPrice("99.99", "100.01");
        assertThat(submit(Plans.limit("lv-status", "AAPL", "long", 90.0, BROKER)).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder order = awaitNewOrders(1).get(0);
        // No answer at all: after 10 s the gateway asks; the venue refuses (35=j).
        clock.advance(Duration.ofSeconds(11));
        await().atMost(WAIT).until(() -> commands(OrderCommand.StatusRequest.class).size() == 1);
        engine.onStatusRequestRefused(BROKER, order.clOrdId(), "BusinessMessageReject (35=j, reason 3)");
        await().atMost(WAIT).until(() -> attention("lv-status").contains("refuses OrderStatusRequests"));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(60));
            Thread.sleep(60);
        }
        assertThat(commands(OrderCommand.StatusRequest.class)).hasSize(1);
    }

    // ---------------------------------------------------------------- helpers

    private TradingEngine.SubmitOutcome submit(ObjectNode plan) throws Exception {
        String json = plan.toString();
        var parsed = (ParseResult.Parsed) new PlanParser().parse(json);
        return engine.submit(parsed.plan(), json).get(10, TimeUnit.SECONDS);
    }

    private <T extends OrderCommand> List<T> commands(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private List<OrderCommand.NewOrder> awaitNewOrdersNow() {
        return commands(OrderCommand.NewOrder.class);
    }

    private List<OrderCommand.NewOrder> awaitNewOrders(int n) {
        await().atMost(WAIT).until(() -> commands(OrderCommand.NewOrder.class).size() >= n);
        return commands(OrderCommand.NewOrder.class);
    }

    private long failedExitReports() {
        return reports.stream().filter(r -> r.leg().equals("exit") && r.status().equals("failed")).count();
    }

    private String attention(String planId) {
        return journal.findPlan(planId).map(StoredPlan::progressJson).orElse("");
    }

    private VenueExecutionReport fill(OrderCommand.NewOrder order, String execId) {
        BigDecimal price = new BigDecimal("100.01");
        return new VenueExecutionReport(BROKER, order.clOrdId(), null, new OrderId("O-" + order.clOrdId()), new ExecId(execId),
                ExecType.TRADE, OrderStatus.FILLED, order.symbol(), order.side(), order.quantity(), price, order.quantity(),
                BigDecimal.ZERO, price, BigDecimal.ZERO, null, clock.instant(), false, clock.instant());
    }

    private VenueExecutionReport report(OrderCommand.NewOrder order, ExecType type, OrderStatus status, BigDecimal fillQty) {
        BigDecimal price = order.limitPrice() == null ? new BigDecimal("100.01") : order.limitPrice();
        boolean fill = fillQty != null;
        return new VenueExecutionReport(BROKER, order.clOrdId(), null, new OrderId("O-" + order.clOrdId()),
                new ExecId("E-" + (++execIds)), type, status, order.symbol(), order.side(), fill ? fillQty : BigDecimal.ZERO,
                fill ? price : null, fill ? fillQty : BigDecimal.ZERO, fill ? BigDecimal.ZERO : order.quantity(),
                fill ? price : BigDecimal.ZERO, BigDecimal.ZERO, type == ExecType.REJECTED ? "order type not allowed" : null,
                clock.instant(), false, clock.instant());
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
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
