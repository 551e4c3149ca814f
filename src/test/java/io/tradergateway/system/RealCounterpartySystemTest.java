package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.simvenue.ScriptedOutcome;
import io.tradergateway.simvenue.SimOrderEvent;
import io.tradergateway.simvenue.SimVenueConfig;
import io.tradergateway.venue.ExecutorVenue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import quickfix.FieldNotFound;
import quickfix.Message;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway trading with counterparties nobody here wrote or that support less than the simulator, by configuration
 * alone (SPEC 4.2): the QuickFIX/J Executor example from Maven Central over FIX 4.4 and FIX 4.2 (instruments from
 * configuration, no SecurityList, no market data of its own, MARKET refused, 35=F and 35=H answered with 35=j), with
 * prices from the bundled simulated venue as a market-data-only session; a simulated broker that takes only LIMIT +
 * DAY and refuses F/H/V/x; and a FIXT.1.1 / FIX.5.0SP2 venue.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RealCounterpartySystemTest {
    static final String EXECUTOR = "EXECUTOR";
    static final String FEED = "SIM_DEEP";

    @TempDir
    Path dir;
    GatewayHarness h;
    ExecutorVenue executor;

    @AfterEach
    void stop() {
        if (h != null) h.close();
        if (executor != null) executor.close();
    }

    /** The Executor (LIMIT only, fills every limit at its price) behind the gateway, SIM_DEEP as the price feed. */
    private void startWithExecutor(String beginString, boolean alwaysFill, String... executorKeys) {
        int port = GatewayHarness.freePort();
        executor = ExecutorVenue.start(ExecutorVenue.options(dir.resolve("executor")).beginString(beginString).port(port)
                .validOrderTypes("2").alwaysFillLimitOrders(alwaysFill).defaultMarketPrice(alwaysFill ? null : 190.0));
        String[] keys = concat(new String[]{"BeginString", beginString, "Instruments", "AAPL,MSFT,TSLA",
                "SecurityListRequest", "N", "MarketDataRequest", "N", "OrderTypes", "LIMIT", "TimeInForce", "DAY"}, executorKeys);
        Path cfg = new VenueFixConfig().session(EXECUTOR, keys).session(FEED, "RouteOrders", "N").write(dir.resolve("cfg"));
        h = GatewayHarness.start(dir.resolve("gw"), sim -> sim, gw -> gw.withFixConfig(cfg).withFixPorts(with(gw.fixPortOverrides(),
                EXECUTOR, port)));
    }

    private static Map<String, Integer> with(Map<String, Integer> ports, String venue, int port) {
        Map<String, Integer> out = new HashMap<>(ports);
        out.put(venue, port);
        return out;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private JsonNode filled(String planId) {
        return h.awaitReport(planId, r -> r.path("status").asText().equals("filled"));
    }

    private static String field(Message m, int tag) {
        try {
            return m.getString(tag);
        } catch (FieldNotFound e) {
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FIX.4.4", "FIX.4.2"})
    void marketLimitShortAndTwapPlansTradeAtTheExecutorPricedByTheSimulatedVenue(String beginString) {
        startWithExecutor(beginString, true);
        JsonNode venues = h.get("/v1/venues").body();
        assertThat(venues.toString()).contains("EXECUTOR").contains("AAPL");

        assertThat(h.post("/v1/plans", Plans.market("rc-market", "AAPL", "long")).status()).isEqualTo(202);
        JsonNode market = filled("rc-market");
        assertThat(market.path("venue").asText()).isEqualTo(EXECUTOR);

        BigDecimal msftMid = h.mid("MSFT");
        ObjectNode limit = Plans.limit("rc-limit", "MSFT", "long", msftMid.setScale(2, RoundingMode.DOWN).doubleValue(), EXECUTOR);
        assertThat(h.post("/v1/plans", limit).status()).isEqualTo(202);
        filled("rc-limit");

        assertThat(h.post("/v1/plans", Plans.market("rc-short", "TSLA", "short")).status()).isEqualTo(202);
        JsonNode shortFill = filled("rc-short");
        assertThat(shortFill.path("side").asText()).isEqualTo("sell");
        assertThat(h.position("TSLA").path("quantity").decimalValue()).isNegative();

        ObjectNode twap = Plans.market("rc-twap", "AAPL", "long");
        twap.put("execution_strategy", "twap");
        twap.putObject("execution_params").put("duration_s", 2).put("slices", 2);
        assertThat(h.post("/v1/plans", twap).status()).isEqualTo(202);
        filled("rc-twap");

        // Every order went as a LIMIT DAY (the Executor takes no MARKET; DAY is all the configuration allows).
        List<Message> orders = executor.received("D");
        assertThat(orders).hasSizeGreaterThanOrEqualTo(5);
        assertThat(orders).allSatisfy(o -> {
            assertThat(field(o, 40)).isEqualTo("2");
            assertThat(field(o, 59)).isEqualTo("0");
        });
        assertThat(h.sim.received(FEED)).as("the market-data-only session gets no order")
                .noneMatch(e -> e.msgType().equals(SimOrderEvent.NEW_ORDER_SINGLE));
    }

    @Test
    void stopLossAndTakeProfitExitAtTheExecutor() {
        startWithExecutor("FIX.4.4", true);
        BigDecimal mid = h.mid("AAPL");
        ObjectNode stop = Plans.market("rc-stop", "AAPL", "long");
        stop.put("stop_loss", mid.multiply(new BigDecimal("0.97")).setScale(2, RoundingMode.DOWN).doubleValue());
        assertThat(h.post("/v1/plans", stop).status()).isEqualTo(202);
        h.awaitPlanState("rc-stop", "open");
        h.moveMarket("AAPL", mid.multiply(new BigDecimal("0.95")).setScale(2, RoundingMode.DOWN).toPlainString());
        JsonNode exit = h.awaitReport("rc-stop", r -> r.path("leg").asText().equals("exit") && r.path("status").asText().equals("filled"));
        assertThat(exit.path("exit_reason").asText()).isEqualTo("stop_loss");
        assertThat(exit.path("venue").asText()).isEqualTo(EXECUTOR);
        h.awaitPlanState("rc-stop", "closed");

        BigDecimal now = h.mid("AAPL");
        ObjectNode take = Plans.market("rc-take", "AAPL", "short");
        take.put("take_profit", now.multiply(new BigDecimal("0.98")).setScale(2, RoundingMode.DOWN).doubleValue());
        assertThat(h.post("/v1/plans", take).status()).isEqualTo(202);
        h.awaitPlanState("rc-take", "open");
        h.moveMarket("AAPL", now.multiply(new BigDecimal("0.975")).setScale(2, RoundingMode.DOWN).toPlainString());
        JsonNode tp = h.awaitReport("rc-take", r -> r.path("leg").asText().equals("exit") && r.path("status").asText().equals("filled"));
        assertThat(tp.path("exit_reason").asText()).isEqualTo("take_profit");
        h.awaitPlanState("rc-take", "closed");
    }

    @Test
    void theExecutorRestartedNumbersExecIdsFromOneAgainAndTheNextFillIsBooked() {
        startWithExecutor("FIX.4.4", true);
        assertThat(h.post("/v1/plans", Plans.market("rc-before", "AAPL", "long")).status()).isEqualTo(202);
        BigDecimal first = filled("rc-before").path("executed_quantity").decimalValue();

        executor.restart();
        await().atMost(GatewayHarness.WAIT).until(() -> executor.isLoggedOn() && h.app.sessionStates().get(EXECUTOR));
        assertThat(h.post("/v1/plans", Plans.market("rc-after", "AAPL", "long")).status()).isEqualTo(202);
        BigDecimal second = filled("rc-after").path("executed_quantity").decimalValue();

        assertThat(h.position("AAPL").path("quantity").decimalValue()).isEqualByComparingTo(first.add(second));
        List<String> fillExecIds = executor.sent().stream().filter(m -> "8".equals(msgType(m)) && field(m, 32) != null
                && new BigDecimal(field(m, 32)).signum() > 0).map(m -> field(m, 17)).toList();
        assertThat(fillExecIds).as("the restarted Executor numbered its executions from 1 again: the same ExecID twice")
                .hasSize(2).containsOnly(fillExecIds.get(0));
        assertThat(h.metrics()).contains("trader_venue_reports_ignored_total{reason=\"duplicate_exec_id\"} 0.0");
    }

    private static String msgType(Message m) {
        try {
            return m.getHeader().getString(35);
        } catch (FieldNotFound e) {
            return null;
        }
    }

    @Test
    void aCancelTheExecutorRefusesIsTriedThreeTimesWithBackOffThenFlaggedNotInALoop() {
        startWithExecutor("FIX.4.4", false);
        // A buy limit below the Executor's market price rests (acked, never touched again).
        ObjectNode plan = Plans.limit("rc-cancel", "AAPL", "long", 185.00, EXECUTOR);
        plan.put("valid_until", Instant.now().plusSeconds(4).toString());
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus("rc-cancel").equals("NEW"));
        // Past valid_until the gateway cancels (the venue takes no GTD); the Executor answers every 35=F with a 35=j.
        await().atMost(GatewayHarness.WAIT).until(() -> executor.received("F").size() == 3);
        await().atMost(GatewayHarness.WAIT).until(() -> h.plan("rc-cancel").path("progress").path("attention").toString()
                .contains("cancel unresolved"));
        long quietUntil = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < quietUntil) {
            assertThat(executor.received("F")).as("no fourth cancel").hasSize(3);
            sleep(500);
        }
        assertThat(h.metrics()).contains("trader_plan_flags 1");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aLimitDayOnlyVenueTradesAMarketPlanAndItsExitAsMarketableDayLimitsAndCancelsWhatRestsOnce() {
        int limitedPort = GatewayHarness.freePort();
        int dayOnlyPort = GatewayHarness.freePort();
        Path cfg = new VenueFixConfig()
                .session("SIM_LIMITED", "Instruments", "AAPL,MSFT", "SecurityListRequest", "N", "MarketDataRequest", "N",
                        "OrderTypes", "LIMIT", "TimeInForce", "DAY", "CancelRequest", "N", "OrderStatusRequest", "N")
                .session("SIM_DAYONLY", "OrderTypes", "LIMIT", "TimeInForce", "DAY", "SecurityListRequest", "N",
                        "Instruments", "MSFT", "MarketDataRequest", "N", "OrderStatusRequest", "N")
                .session(FEED, "RouteOrders", "N").write(dir.resolve("cfg"));
        h = GatewayHarness.start(dir.resolve("gw"), sim -> {
            SimVenueConfig extras = SimVenueConfig.load(Path.of("sim-venue/extras")).withOnlyVenues("SIM_LIMITED")
                    .withPort("SIM_LIMITED", limitedPort);
            SimVenueConfig withExtras = sim.withVenuesOf(extras);
            return withExtras.withVenue(withExtras.profile("SIM_FAST").renamed("SIM_DAYONLY").withOrderTypes("LIMIT")
                    .withTimeInForces("DAY").withRefusedMessageTypes("H", "V", "x"), "FIX.4.4", dayOnlyPort);
        }, gw -> gw.withFixConfig(cfg).withFixPorts(with(with(gw.fixPortOverrides(), "SIM_LIMITED", limitedPort),
                "SIM_DAYONLY", dayOnlyPort)));

        BigDecimal mid = h.mid("AAPL");
        ObjectNode plan = Plans.market("rc-limited", "AAPL", "long");
        plan.putArray("venue_preferences").add("SIM_LIMITED");
        plan.put("stop_loss", mid.multiply(new BigDecimal("0.97")).setScale(2, RoundingMode.DOWN).doubleValue());
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        h.awaitPlanState("rc-limited", "open");
        h.moveMarket("AAPL", mid.multiply(new BigDecimal("0.95")).setScale(2, RoundingMode.DOWN).toPlainString());
        h.awaitPlanState("rc-limited", "closed");
        List<SimOrderEvent> orders = h.sim.received("SIM_LIMITED").stream()
                .filter(e -> e.msgType().equals(SimOrderEvent.NEW_ORDER_SINGLE)).toList();
        assertThat(orders).hasSize(2);
        assertThat(h.sim.received("SIM_LIMITED")).as("no cancel, status or market data request to a venue that refuses them")
                .allMatch(e -> e.msgType().equals(SimOrderEvent.NEW_ORDER_SINGLE));

        // An IOC the venue cannot take goes as DAY: what rests after the partial fill is cancelled once.
        h.sim.scriptNext("SIM_DAYONLY", ScriptedOutcome.partial(BigDecimal.TEN));
        ObjectNode ioc = Plans.market("rc-ioc", "MSFT", "long");
        ioc.putArray("venue_preferences").add("SIM_DAYONLY");
        assertThat(h.post("/v1/plans", ioc).status()).isEqualTo(202);
        JsonNode ended = h.awaitReport("rc-ioc", r -> r.path("status").asText().equals("cancelled"));
        assertThat(ended.path("cumulative_quantity").decimalValue()).isEqualByComparingTo("10");
        sleep(2000);
        assertThat(h.sim.received("SIM_DAYONLY")).filteredOn(e -> e.msgType().equals(SimOrderEvent.CANCEL_REQUEST)).hasSize(1);
    }

    @Test
    void aFixt11Fix50Sp2SessionTradesAPlanEndToEnd() {
        int port = GatewayHarness.freePort();
        Path cfg = new VenueFixConfig()
                .session("SIM_FIXT", "BeginString", "FIXT.1.1", "DefaultApplVerID", "FIX.5.0SP2")
                .write(dir.resolve("cfg"));
        h = GatewayHarness.start(dir.resolve("gw"), sim -> sim.withVenuesOf(SimVenueConfig.load(Path.of("sim-venue/extras"))
                .withOnlyVenues("SIM_FIXT").withPort("SIM_FIXT", port)), gw -> gw.withFixConfig(cfg)
                .withFixPorts(with(gw.fixPortOverrides(), "SIM_FIXT", port)));
        ObjectNode plan = Plans.market("rc-fixt", "AAPL", "long");
        plan.put("take_profit", h.mid("AAPL").multiply(new BigDecimal("1.03")).setScale(2, RoundingMode.DOWN).doubleValue());
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        JsonNode entry = filled("rc-fixt");
        assertThat(entry.path("venue").asText()).isEqualTo("SIM_FIXT");
        h.moveMarket("AAPL", h.mid("AAPL").multiply(new BigDecimal("1.04")).setScale(2, RoundingMode.DOWN).toPlainString());
        h.awaitPlanState("rc-fixt", "closed");
    }
}
