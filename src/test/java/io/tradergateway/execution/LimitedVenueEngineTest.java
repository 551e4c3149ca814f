package io.tradergateway.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.OrderId;
import io.tradergateway.system.Plans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.tradergateway.execution.EngineFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine against venues that support less than the simulator (SPEC 4.2): a broker session that takes only LIMIT +
 * DAY, lists its instruments in configuration and sends no market data, beside a market-data-only session. Each storm
 * the issue measured is replayed here: a refused cancel, an exit the venue refuses, an order the venue forgets, a
 * refused status request, ExecIDs that start at 1 again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitedVenueEngineTest {
    static final String BROKER = "BROKER";
    static final String FEED = "FEED";

    @TempDir
    Path dir;
    EngineFixture f;

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
        f = new EngineFixture(dir, List.of(brokerCaps, feed()), UnaryOperator.identity());
    }

    void feedPrice(String bid, String offer) {
        f.price(FEED, "AAPL", bid, offer);
    }

    @AfterEach
    void stop() {
        if (f != null) f.close();
    }

    @Test
    void instrumentsFromConfigurationPricesFromAnotherSessionAndAMarketOrderSentAsAMarketableDayLimit() throws Exception {
        start(broker(true, true));
        await().atMost(WAIT).until(() -> f.commands(OrderCommand.SubscribeMarketData.class).size() == 1);
        OrderCommand.SubscribeMarketData subscription = f.commands(OrderCommand.SubscribeMarketData.class).get(0);
        assertThat(subscription.venue()).as("only the session that offers market data is subscribed").isEqualTo(FEED);
        assertThat(subscription.symbols()).containsExactly("AAPL");
        feedPrice("99.99", "100.01");

        assertThat(f.submit(Plans.market("lv-market", "AAPL", "long")).httpStatus()).isEqualTo(202);

        OrderCommand.NewOrder order = f.awaitNewOrders(1).get(0);
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
        await().atMost(WAIT).until(() -> f.commands(OrderCommand.SubscribeMarketData.class).size() == 1);

        // Just after the subscription its first prices may be on their way: come back later (503), the plan_id unused.
        assertThat(f.submit(Plans.market("lv-no-price", "AAPL", "long")).httpStatus()).isEqualTo(503);
        f.clock.advance(Execution.FIRST_PRICES_WAIT.plusSeconds(1));
        TradingEngine.SubmitOutcome refused = f.submit(Plans.market("lv-no-price", "AAPL", "long"));
        assertThat(refused.httpStatus()).isEqualTo(422);
        assertThat(refused.issues()).anySatisfy(i -> {
            assertThat(i.code()).isEqualTo("no_market_price");
            assertThat(i.message()).contains("no session provides a market price for AAPL").contains("FEED");
        });

        ObjectNode limit = Plans.limit("lv-limit", "AAPL", "long", 50.0, BROKER);
        assertThat(f.submit(limit).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder order = f.awaitNewOrders(1).get(0);
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
        assertThat(f.submit(Plans.market("lv-cancel", "AAPL", "long")).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder order = f.awaitNewOrders(1).get(0);
        // Acknowledged and resting (a DAY order): the IOC the plan wants is emulated by one cancel.
        f.engine.onExecutionReport(f.report(order, ExecType.NEW, OrderStatus.NEW, null));
        await().atMost(WAIT).until(() -> f.commands(OrderCommand.Cancel.class).size() == 1);

        for (int attempt = 1; attempt <= 3; attempt++) {
            OrderCommand.Cancel cancel = f.commands(OrderCommand.Cancel.class).get(attempt - 1);
            f.engine.onCancelReject(new VenueCancelReject(BROKER, cancel.clOrdId(), order.clOrdId(), OrderStatus.NEW, false,
                    "cancels suspended", f.clock.instant()));
            f.clock.advance(Duration.ofSeconds(10));
            if (attempt < 3) {
                int expected = attempt + 1;
                await().atMost(WAIT).until(() -> f.commands(OrderCommand.Cancel.class).size() == expected);
            }
        }
        f.passTime(Duration.ofSeconds(30), 20);
        assertThat(f.commands(OrderCommand.Cancel.class)).as("many ticks later, still three").hasSize(3);
        await().atMost(WAIT).until(() -> f.progressJson("lv-cancel").contains("cancel unresolved"));
        assertThat(f.planState("lv-cancel")).isEqualTo(PlanState.WORKING);
    }

    @Test
    void aVenueWithoutCancelRequestIsNeverSentOneAndTheOrderIsFlagged() throws Exception {
        start(broker(false, true));
        feedPrice("99.99", "100.01");
        assertThat(f.submit(Plans.market("lv-nocancel", "AAPL", "long")).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder order = f.awaitNewOrders(1).get(0);
        f.engine.onExecutionReport(f.report(order, ExecType.NEW, OrderStatus.NEW, null));
        await().atMost(WAIT).until(() -> f.progressJson("lv-nocancel").contains("takes no OrderCancelRequest"));
        f.passTime(Duration.ofSeconds(30), 10);
        assertThat(f.commands(OrderCommand.Cancel.class)).isEmpty();
    }

    @Test
    void anExitTheVenueRefusesIsOneFailedReportAndRetriesWithBackOff() throws Exception {
        start(broker(true, true));
        feedPrice("99.99", "100.01");
        ObjectNode plan = Plans.market("lv-exit", "AAPL", "long");
        plan.put("stop_loss", 95.0);
        assertThat(f.submit(plan).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder entry = f.awaitNewOrders(1).get(0);
        f.engine.onExecutionReport(f.report(entry, ExecType.NEW, OrderStatus.NEW, null));
        f.engine.onExecutionReport(f.report(entry, ExecType.TRADE, OrderStatus.FILLED, entry.quantity(), new BigDecimal("100.01")));
        await().atMost(WAIT).until(() -> f.planState("lv-exit") == PlanState.OPEN);

        feedPrice("90.00", "90.02"); // through the stop
        // Every exit order is refused: three attempts, then one failed report, then quiet until the back-off passes.
        for (int attempt = 1; attempt <= 3; attempt++) {
            OrderCommand.NewOrder exit = f.awaitNewOrders(attempt + 1).get(attempt);
            assertThat(exit.type()).as("a marketable limit: the venue takes no MARKET").isEqualTo(OrderType.LIMIT);
            f.engine.onExecutionReport(f.report(exit, ExecType.REJECTED, OrderStatus.REJECTED, null));
        }
        await().atMost(WAIT).until(() -> failedExitReports() == 1);
        for (int i = 0; i < 20; i++) {
            feedPrice("90.00", "90.02");
            Thread.sleep(50);
        }
        assertThat(f.newOrders()).as("no exit order before the back-off").hasSize(4);
        assertThat(failedExitReports()).isEqualTo(1);
        assertThat(f.progressJson("lv-exit")).contains("exit stop_loss blocked 1 time(s)");

        f.clock.advance(Exits.EXIT_RETRY.plusSeconds(1));
        OrderCommand.NewOrder retry = f.awaitNewOrders(5).get(4);
        f.engine.onExecutionReport(f.report(retry, ExecType.TRADE, OrderStatus.FILLED, retry.quantity(), new BigDecimal("90.00")));
        await().atMost(WAIT).until(() -> f.planState("lv-exit") == PlanState.CLOSED);
        assertThat(failedExitReports()).as("still one failed report for the whole blocked exit").isEqualTo(1);
    }

    @Test
    void fillsOfTwoOrdersWithTheSameExecIdAfterAVenueRestartAreBothBookedAndAResendIsNot() throws Exception {
        start(broker(true, true));
        feedPrice("99.99", "100.01");
        assertThat(f.submit(Plans.market("lv-exec-1", "AAPL", "long")).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder first = f.awaitNewOrders(1).get(0);
        f.engine.onExecutionReport(fill(first, "1"));
        await().atMost(WAIT).until(() -> f.planState("lv-exec-1") == PlanState.FILLED);
        f.engine.onExecutionReport(fill(first, "1")); // a re-send of the same execution

        assertThat(f.submit(Plans.market("lv-exec-2", "AAPL", "long")).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder second = f.awaitNewOrders(2).get(1);
        f.engine.onExecutionReport(fill(second, "1")); // the venue restarted: its ExecIDs begin at 1 again
        await().atMost(WAIT).until(() -> f.planState("lv-exec-2") == PlanState.FILLED);

        assertThat(f.position("AAPL")).isEqualByComparingTo(first.quantity().add(second.quantity()));
        assertThat(f.engine.ignoredVenueReports()).containsEntry("duplicate_exec_id", 1L);
    }

    @Test
    void anOrderTheVenueForgetsEndsWithWhatWasBookedAndNothingIsAskedAgain() throws Exception {
        start(broker(true, true));
        feedPrice("99.99", "100.01");
        assertThat(f.submit(Plans.limit("lv-forgot", "AAPL", "long", 90.0, BROKER)).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder order = f.awaitNewOrders(1).get(0);
        f.engine.onExecutionReport(f.report(order, ExecType.NEW, OrderStatus.NEW, null));
        await().atMost(WAIT).until(() -> f.journal.findOrder(order.clOrdId()).orElseThrow().status() == OrderStatus.NEW);

        // After a venue restart the logon status request finds the order unknown.
        f.engine.onSessionState(BROKER, false);
        f.engine.onSessionState(BROKER, true);
        await().atMost(WAIT).until(() -> f.commands(OrderCommand.StatusRequest.class).size() == 1);
        f.engine.onExecutionReport(new VenueExecutionReport(BROKER, order.clOrdId(), null, new OrderId("NONE"),
                new ExecId("S-1"), ExecType.ORDER_STATUS, OrderStatus.REJECTED, "AAPL", order.side(), BigDecimal.ZERO, null,
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null, "Unknown order", f.clock.instant(), false,
                f.clock.instant()));

        await().atMost(WAIT).until(() -> f.journal.findOrder(order.clOrdId()).orElseThrow().status() == OrderStatus.CANCELED);
        await().atMost(WAIT).until(() -> f.planState("lv-forgot").isTerminal());
        f.passTime(Duration.ofSeconds(30), 10);
        assertThat(f.commands(OrderCommand.Cancel.class)).isEmpty();
        assertThat(f.commands(OrderCommand.StatusRequest.class)).hasSize(1);
    }

    @Test
    void aVenueThatRefusesStatusRequestsIsNotAskedAgainAndTheOrderIsFlagged() throws Exception {
        start(broker(true, true));
        feedPrice("99.99", "100.01");
        assertThat(f.submit(Plans.limit("lv-status", "AAPL", "long", 90.0, BROKER)).httpStatus()).isEqualTo(202);
        OrderCommand.NewOrder order = f.awaitNewOrders(1).get(0);
        // No answer at all: after 10 s the gateway asks; the venue refuses (35=j).
        f.clock.advance(Duration.ofSeconds(11));
        await().atMost(WAIT).until(() -> f.commands(OrderCommand.StatusRequest.class).size() == 1);
        f.engine.onStatusRequestRefused(BROKER, order.clOrdId(), "BusinessMessageReject (35=j, reason 3)");
        await().atMost(WAIT).until(() -> f.progressJson("lv-status").contains("refuses OrderStatusRequests"));
        f.passTime(Duration.ofSeconds(60), 10);
        assertThat(f.commands(OrderCommand.StatusRequest.class)).hasSize(1);
    }

    private long failedExitReports() {
        return f.reports.stream().filter(r -> r.leg().equals("exit") && r.status().equals("failed")).count();
    }

    private VenueExecutionReport fill(OrderCommand.NewOrder order, String execId) {
        return f.report(order, ExecType.TRADE, OrderStatus.FILLED, order.quantity(), new BigDecimal("100.01"), execId,
                order.symbol(), order.side());
    }
}
