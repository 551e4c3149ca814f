package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.simvenue.VenueProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exits end to end over FIX: a position opened by a plan is watched on live market data, and its stop loss, take
 * profit or exit condition sends a reduce-only order whose report says why and what it realized. The market is
 * moved the way a real one moves: the book jumps ({@code setMid}) and a trade prints at the new level (the SPEC's
 * {@code price} is the last trade).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExitsSystemTest {
    @TempDir
    Path dir;
    GatewayHarness h;

    @BeforeEach
    void start() {
        // No random rejects or partial fills: each exit is one order and one fill.
        h = GatewayHarness.start(dir, sim -> sim.withEveryProfile(VenueProfile::predictable), gw -> gw);
    }

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    @Test
    void longHitsItsStopLossAndOnlyThePlansQuantityIsSold() {
        // Another plan's long in the same symbol, without exits: the stop must leave it alone.
        assertThat(h.post("/v1/plans", Plans.market("sl-base", "AAPL", "long")).status()).isEqualTo(202);
        JsonNode base = h.awaitReport("sl-base", r -> r.path("status").asText().equals("filled"));
        BigDecimal baseQty = base.path("cumulative_quantity").decimalValue();

        ObjectNode plan = Plans.market("sl-1", "AAPL", "long");
        plan.put("stop_loss", 187.0);
        plan.put("take_profit", 200.0);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        JsonNode entry = h.awaitReport("sl-1", r -> r.path("leg").asText().equals("entry") && r.path("status").asText().equals("filled"));
        BigDecimal qty = entry.path("cumulative_quantity").decimalValue();
        BigDecimal avgBeforeExit = entry.path("position_after").path("avg_price").decimalValue();
        assertThat(entry.path("position_after").path("quantity").decimalValue()).isEqualByComparingTo(baseQty.add(qty));
        assertThat(entry.path("position_after").path("stop_loss").decimalValue()).isEqualByComparingTo("187");
        h.awaitPlanState("sl-1", "open");

        // Above the stop: nothing happens. Exits are checked on the engine thread as each market-data event is
        // applied, so once the market view (an engine query) shows every venue's 188 print, any exit it caused would
        // already be committed.
        JsonNode before = h.market("AAPL");
        h.moveMarket("AAPL", "188.00");
        int prints = before.path("trades_in_window").asInt() + before.path("venues").size();
        JsonNode seen = h.awaitMarket("AAPL", m -> m.path("trades_in_window").asInt() >= prints
                && m.path("last_trade_price").decimalValue().compareTo(new BigDecimal("188.00")) == 0);
        assertThat(seen.path("price").decimalValue()).isEqualByComparingTo("188.00");
        assertThat(h.plan("sl-1").path("state").asText()).isEqualTo("open");
        assertThat(exitOrders("sl-1")).isEmpty();
        // Through the stop.
        h.moveMarket("AAPL", "186.00");

        JsonNode exit = h.awaitReport("sl-1", r -> r.path("leg").asText().equals("exit") && r.path("status").asText().equals("filled"));
        assertThat(exit.path("exit_reason").asText()).isEqualTo("stop_loss");
        assertThat(exit.path("side").asText()).isEqualTo("sell");
        assertThat(exit.path("cumulative_quantity").decimalValue()).isEqualByComparingTo(qty);
        assertThat(exit.path("executed_quantity").decimalValue()).isEqualByComparingTo(qty);
        // Sold around 186 what was bought around 190: a loss, computed against the position's average cost, net of the fee.
        BigDecimal px = exit.path("executed_price").decimalValue();
        assertThat(px).isBetween(new BigDecimal("185.5"), new BigDecimal("186.5"));
        BigDecimal expectedPnl = px.subtract(avgBeforeExit).multiply(qty).subtract(exit.path("fees").decimalValue());
        assertThat(exit.path("pnl_impact").decimalValue()).isEqualByComparingTo(expectedPnl);
        assertThat(exit.path("pnl_impact").decimalValue().signum()).isNegative();
        assertThat(exit.path("position_after").path("quantity").decimalValue()).isEqualByComparingTo(baseQty);

        h.awaitPlanState("sl-1", "closed");
        JsonNode position = h.position("AAPL");
        assertThat(position.path("quantity").decimalValue()).isEqualByComparingTo(baseQty);
        // Realized P&L is net of every fee: the two opening fees and the exit (whose fee is inside pnl_impact).
        BigDecimal openingFees = base.path("fees").decimalValue().add(entry.path("fees").decimalValue());
        assertThat(position.path("realized_pnl").decimalValue())
                .isEqualByComparingTo(exit.path("pnl_impact").decimalValue().subtract(openingFees));
        assertNeverFlipped("AAPL", 1);
        // One exit order, a reduce-only sell of exactly the plan's quantity.
        JsonNode exitOrders = exitOrders("sl-1");
        assertThat(exitOrders).hasSize(1);
        assertThat(exitOrders.get(0).path("quantity").decimalValue()).isEqualByComparingTo(qty);
    }

    @Test
    void shortHitsItsTakeProfitAndEndsFlat() {
        ObjectNode plan = Plans.market("tp-1", "MSFT", "short");
        plan.put("stop_loss", 425.0);
        plan.put("take_profit", 405.0);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        JsonNode entry = h.awaitReport("tp-1", r -> r.path("leg").asText().equals("entry") && r.path("status").asText().equals("filled"));
        BigDecimal qty = entry.path("cumulative_quantity").decimalValue();
        assertThat(entry.path("side").asText()).isEqualTo("sell");
        assertThat(entry.path("position_after").path("quantity").decimalValue()).isEqualByComparingTo(qty.negate());
        h.awaitPlanState("tp-1", "open");

        h.moveMarket("MSFT", "404.00");

        JsonNode exit = h.awaitReport("tp-1", r -> r.path("leg").asText().equals("exit") && r.path("status").asText().equals("filled"));
        assertThat(exit.path("exit_reason").asText()).isEqualTo("take_profit");
        assertThat(exit.path("side").asText()).isEqualTo("buy");
        assertThat(exit.path("cumulative_quantity").decimalValue()).isEqualByComparingTo(qty);
        // Sold around 415, bought back around 404: a gain of about 11 a share, less the exit fee.
        BigDecimal entryAvg = entry.path("avg_price").decimalValue();
        BigDecimal px = exit.path("executed_price").decimalValue();
        BigDecimal expectedPnl = entryAvg.subtract(px).multiply(qty).subtract(exit.path("fees").decimalValue());
        assertThat(exit.path("pnl_impact").decimalValue()).isEqualByComparingTo(expectedPnl);
        assertThat(exit.path("pnl_impact").decimalValue()).isGreaterThan(qty.multiply(BigDecimal.TEN));
        assertThat(exit.path("position_after").path("quantity").decimalValue()).isZero();

        h.awaitPlanState("tp-1", "closed");
        JsonNode position = h.position("MSFT");
        assertThat(position.path("quantity").decimalValue()).isZero();
        assertThat(position.path("unrealized_pnl").decimalValue()).isZero();
        assertThat(position.path("realized_pnl").decimalValue())
                .isEqualByComparingTo(exit.path("pnl_impact").decimalValue().subtract(entry.path("fees").decimalValue()));
        assertNeverFlipped("MSFT", -1);
    }

    @Test
    void priceAboveConditionClosesTheShort() {
        ObjectNode plan = Plans.market("above-1", "MSFT", "short");
        plan.putObject("exit_conditions").put("price_above", 420.0).put("price_below", 400.0);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        JsonNode entry = h.awaitReport("above-1", r -> r.path("leg").asText().equals("entry") && r.path("status").asText().equals("filled"));
        BigDecimal qty = entry.path("cumulative_quantity").decimalValue();
        h.awaitPlanState("above-1", "open");

        h.moveMarket("MSFT", "419.00");
        h.moveMarket("MSFT", "421.00");

        JsonNode exit = h.awaitReport("above-1", r -> r.path("leg").asText().equals("exit") && r.path("status").asText().equals("filled"));
        assertThat(exit.path("exit_reason").asText()).isEqualTo("condition_met");
        assertThat(exit.path("side").asText()).isEqualTo("buy");
        assertThat(exit.path("cumulative_quantity").decimalValue()).isEqualByComparingTo(qty);
        assertThat(exit.path("pnl_impact").decimalValue().signum()).isNegative();
        assertThat(h.plan("above-1").path("progress").path("exit_detail").asText()).isEqualTo("price_above 420: price 421");
        h.awaitPlanState("above-1", "closed");
        assertThat(h.position("MSFT").path("quantity").decimalValue()).isZero();
        assertNeverFlipped("MSFT", -1);
    }

    @Test
    void maxHoldSecondsClosesTheLongAfterTwoSeconds() {
        ObjectNode plan = Plans.market("hold-1", "TSLA", "long");
        plan.putObject("exit_conditions").put("max_hold_seconds", 2);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        JsonNode entry = h.awaitReport("hold-1", r -> r.path("leg").asText().equals("entry") && r.path("status").asText().equals("filled"));
        BigDecimal qty = entry.path("cumulative_quantity").decimalValue();
        Instant filledAt = Instant.parse(entry.path("execution_time").asText());

        // The market does not move: only time makes this exit.
        JsonNode exit = h.awaitReport("hold-1", r -> r.path("leg").asText().equals("exit") && r.path("status").asText().equals("filled"));
        assertThat(exit.path("exit_reason").asText()).isEqualTo("condition_met");
        assertThat(exit.path("side").asText()).isEqualTo("sell");
        assertThat(exit.path("cumulative_quantity").decimalValue()).isEqualByComparingTo(qty);
        Duration held = Duration.between(filledAt, Instant.parse(exit.path("execution_time").asText()));
        assertThat(held).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(10));
        JsonNode progress = h.plan("hold-1").path("progress");
        assertThat(progress.path("exit_detail").asText()).contains("max_hold_seconds 2");
        h.awaitPlanState("hold-1", "closed");
        assertThat(h.position("TSLA").path("quantity").decimalValue()).isZero();
        assertNeverFlipped("TSLA", 1);
    }

    @Test
    void trailingStopFollowsTheHighAndExitsOnTheDrawdown() {
        ObjectNode plan = Plans.market("trail-1", "SPY", "long");
        plan.putObject("exit_conditions").put("trailing_stop", 0.02);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        JsonNode entry = h.awaitReport("trail-1", r -> r.path("leg").asText().equals("entry") && r.path("status").asText().equals("filled"));
        BigDecimal entryAvg = entry.path("avg_price").decimalValue();
        h.awaitPlanState("trail-1", "open");

        // Up 3 %: a new high, no exit (a 2 % trail from the entry would be ~509.6, from the new high ~525.2).
        h.moveMarket("SPY", "536.00");
        await().atMost(GatewayHarness.WAIT).until(() ->
                h.plan("trail-1").path("progress").path("best_price").decimalValue().compareTo(new BigDecimal("536")) == 0);
        // Down 1.5 % from the high: still inside the trail.
        h.moveMarket("SPY", "528.00");
        // Down 2.2 % from the high (but above the entry, which no fixed stop would have protected).
        h.moveMarket("SPY", "524.00");

        JsonNode exit = h.awaitReport("trail-1", r -> r.path("leg").asText().equals("exit") && r.path("status").asText().equals("filled"));
        assertThat(exit.path("exit_reason").asText()).isEqualTo("condition_met");
        JsonNode progress = h.plan("trail-1").path("progress");
        assertThat(progress.path("exit_detail").asText()).contains("trailing_stop").contains("536");
        // The exit was triggered by the 524 print, not by the 528 one.
        assertThat(progress.path("exit_expected_price").decimalValue()).isEqualByComparingTo("524");
        assertThat(exit.path("executed_price").decimalValue()).isGreaterThan(entryAvg);
        assertThat(exit.path("pnl_impact").decimalValue().signum()).isPositive();
        h.awaitPlanState("trail-1", "closed");
        assertThat(h.position("SPY").path("quantity").decimalValue()).isZero();
        assertNeverFlipped("SPY", 1);
    }

    @Test
    void exitIsCappedAtThePositionSoItNeverFlipsIt() {
        ObjectNode plan = Plans.market("cap-long", "AAPL", "long");
        plan.put("stop_loss", 185.0);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        JsonNode entry = h.awaitReport("cap-long", r -> r.path("leg").asText().equals("entry") && r.path("status").asText().equals("filled"));
        BigDecimal longQty = entry.path("cumulative_quantity").decimalValue();
        h.awaitPlanState("cap-long", "open");

        // Another plan sells half of it: the symbol's position is now smaller than what the first plan bought.
        BigDecimal remaining = longQty.subtract(shortWithoutExits("cap-short", "AAPL", 0.5));
        assertThat(remaining.signum()).isPositive();

        h.moveMarket("AAPL", "184.00");

        JsonNode exit = h.awaitReport("cap-long", r -> r.path("leg").asText().equals("exit") && r.path("status").asText().equals("filled"));
        assertThat(exit.path("exit_reason").asText()).isEqualTo("stop_loss");
        // Reduce-only: it sold what was left, not the plan's full quantity (which would have gone short).
        assertThat(exit.path("cumulative_quantity").decimalValue()).isEqualByComparingTo(remaining);
        assertThat(exit.path("position_after").path("quantity").decimalValue()).isZero();
        assertThat(exitOrders("cap-long").get(0).path("quantity").decimalValue()).isEqualByComparingTo(remaining);
        h.awaitPlanState("cap-long", "closed");
        assertThat(h.position("AAPL").path("quantity").decimalValue()).isZero();
        assertNeverFlipped("AAPL", 1);
    }

    @Test
    void twoStopsFiredByOnePrintTogetherNeverFlipThePosition() {
        // Two longs with stops, then a short without exits that sells three quarters of them: the symbol is left long
        // by about half of one plan. Both stops fire on the same print; together they may sell only what is left.
        ObjectNode a = Plans.market("two-a", "AAPL", "long");
        a.put("stop_loss", 185.0);
        ObjectNode b = Plans.market("two-b", "AAPL", "long");
        b.put("stop_loss", 185.0);
        BigDecimal bought = BigDecimal.ZERO;
        for (ObjectNode plan : List.of(a, b)) {
            String id = plan.path("plan_id").asText();
            assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
            bought = bought.add(h.awaitReport(id, r -> r.path("leg").asText().equals("entry")
                    && r.path("status").asText().equals("filled")).path("cumulative_quantity").decimalValue());
            h.awaitPlanState(id, "open");
        }
        BigDecimal left = bought.subtract(shortWithoutExits("two-short", "AAPL", 1.5));
        assertThat(left.signum()).isPositive();
        assertThat(h.position("AAPL").path("quantity").decimalValue()).isEqualByComparingTo(left);

        h.moveMarket("AAPL", "184.00");

        h.awaitPlanState("two-a", "closed");
        h.awaitPlanState("two-b", "closed");
        await().atMost(GatewayHarness.WAIT).until(() -> h.position("AAPL").path("quantity").decimalValue().signum() == 0);
        // Exactly what was left was sold, by one or both plans' exits together, never more.
        BigDecimal exitQty = BigDecimal.ZERO;
        for (String id : List.of("two-a", "two-b")) {
            for (JsonNode o : exitOrders(id)) exitQty = exitQty.add(o.path("quantity").decimalValue());
        }
        assertThat(exitQty).isEqualByComparingTo(left);
        assertThat(h.position("AAPL").path("quantity").decimalValue()).isZero();
        assertNeverFlipped("AAPL", 1);
    }

    @Test
    void anExitRejectedByItsVenueIsRetriedAtAnotherVenue() {
        ObjectNode plan = Plans.market("rej-exit", "AAPL", "long");
        plan.put("stop_loss", 187.0);
        // Two allowed venues in preference order: the entry and the first exit attempt both go to the first one
        // (equal fresh scores keep preference order; afterwards it has the better learned stats), so the retry's
        // destination is known rather than left to score ties.
        plan.putArray("venue_preferences").add("SIM_DEEP").add("SIM_FAST");
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        JsonNode entry = h.awaitReport("rej-exit", r -> r.path("leg").asText().equals("entry") && r.path("status").asText().equals("filled"));
        BigDecimal qty = entry.path("cumulative_quantity").decimalValue();
        String entryVenue = entry.path("venue").asText();
        h.awaitPlanState("rej-exit", "open");

        assertThat(entryVenue).isEqualTo("SIM_DEEP");
        // The venue that filled the entry (and so scores best) now rejects everything; the other is fine.
        h.sim.setRejectRate(entryVenue, 1.0);
        h.moveMarket("AAPL", "186.00");

        JsonNode exit = h.awaitReport("rej-exit", r -> r.path("leg").asText().equals("exit") && r.path("status").asText().equals("filled"));
        assertThat(exit.path("exit_reason").asText()).isEqualTo("stop_loss");
        assertThat(exit.path("venue").asText()).isEqualTo("SIM_FAST");
        assertThat(exit.path("cumulative_quantity").decimalValue()).isEqualByComparingTo(qty);
        JsonNode exits = exitOrders("rej-exit");
        assertThat(exits).hasSize(2);
        assertThat(exits.get(0).path("venue").asText()).isEqualTo(entryVenue);
        assertThat(exits.get(0).path("status").asText()).isEqualTo("REJECTED");
        assertThat(exits.get(1).path("status").asText()).isEqualTo("FILLED");
        h.awaitPlanState("rej-exit", "closed");
        assertThat(h.position("AAPL").path("quantity").decimalValue()).isZero();
        assertThat(h.reportsOf("rej-exit")).noneMatch(r -> r.path("status").asText().equals("failed"));
    }

    @Test
    void trailingStopHighSurvivesARestart() {
        ObjectNode plan = Plans.market("trail-r", "SPY", "long");
        plan.putObject("exit_conditions").put("trailing_stop", 0.02);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        h.awaitReport("trail-r", r -> r.path("leg").asText().equals("entry") && r.path("status").asText().equals("filled"));
        h.awaitPlanState("trail-r", "open");
        h.moveMarket("SPY", "536.00");
        await().atMost(GatewayHarness.WAIT).until(() ->
                h.plan("trail-r").path("progress").path("best_price").decimalValue().compareTo(new BigDecimal("536")) == 0);

        h.restartGateway();
        assertThat(h.plan("trail-r").path("state").asText()).isEqualTo("open");
        // 2.2 % under the high seen before the restart (but 0.7 % above the entry): only a remembered high exits here.
        h.moveMarket("SPY", "524.00");
        JsonNode exit = h.awaitReport("trail-r", r -> r.path("leg").asText().equals("exit") && r.path("status").asText().equals("filled"));
        assertThat(exit.path("exit_reason").asText()).isEqualTo("condition_met");
        assertThat(h.plan("trail-r").path("progress").path("exit_detail").asText()).contains("high 536");
        h.awaitPlanState("trail-r", "closed");
        assertThat(h.position("SPY").path("quantity").decimalValue()).isZero();
    }

    // ---------------------------------------------------------------- helpers

    /** A short market plan of {@code positionSize} % without exits; returns the quantity it sold. */
    private BigDecimal shortWithoutExits(String planId, String symbol, double positionSize) {
        ObjectNode shortPlan = Plans.market(planId, symbol, "short");
        shortPlan.put("position_size", positionSize);
        assertThat(h.post("/v1/plans", shortPlan).status()).isEqualTo(202);
        return h.awaitReport(planId, r -> r.path("status").asText().equals("filled")).path("cumulative_quantity").decimalValue();
    }

    private JsonNode exitOrders(String planId) {
        List<JsonNode> exits = new ArrayList<>();
        h.plan(planId).path("orders").forEach(o -> {
            if (o.path("leg").asText().equals("exit")) exits.add(o);
        });
        return JsonNodeFactory.instance.arrayNode().addAll(exits);
    }

    /** Every report's position_after for the symbol has the given sign or is flat. */
    private void assertNeverFlipped(String symbol, int sign) {
        for (JsonNode r : h.reports()) {
            if (!symbol.equals(r.path("symbol").asText()) || r.path("position_after").isNull()) continue;
            int s = r.path("position_after").path("quantity").decimalValue().signum();
            assertThat(s).as("position sign after report #%s", r.path("sequence").asText()).isIn(0, sign);
        }
    }
}
