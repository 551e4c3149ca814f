package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.simvenue.ScriptedOutcome;
import io.tradergateway.simvenue.SimOrderEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4 §5–6: cancelling a plan through the API (a pending entry at once; a working order with an
 * OrderCancelRequest, fills so far kept and reported), and venue rejects ending {@code failed} after the single
 * failover. One gateway for the class; each test owns its symbol and names the venues it scripts.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CancelAndRejectSystemTest {
    @TempDir
    static Path dir;
    static GatewayHarness h;

    @BeforeAll
    static void start() {
        h = GatewayHarness.start(dir);
        h.opsLog(); // captured from here on
    }


    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    // ---------------------------------------------------------------- cancel

    @Test
    void cancellingAPendingPlanCancelsItAtOnce() {
        ObjectNode plan = Plans.market("cx-pending", "AAPL", "long");
        plan.putObject("entry_conditions").put("price_above", 1000.00);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        assertThat(h.plan("cx-pending").path("state").asText()).isEqualTo("pending_entry");

        GatewayHarness.Response cancel = h.post("/v1/plans/cx-pending/cancel", "");
        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.body().path("state").asText()).isEqualTo("cancelled");

        JsonNode report = h.awaitReport("cx-pending", r -> r.path("status").asText().equals("cancelled"));
        assertThat(report.path("error_message").asText()).contains("cancel requested");
        assertThat(report.path("executed_quantity").decimalValue()).isZero();
        JsonNode view = h.plan("cx-pending");
        assertThat(view.path("state").asText()).isEqualTo("cancelled");
        assertThat(view.path("orders")).isEmpty();

        // A second cancel finds nothing to cancel; a plan the gateway never saw is unknown.
        assertThat(h.post("/v1/plans/cx-pending/cancel", "").status()).isEqualTo(409);
        assertThat(h.post("/v1/plans/cx-nobody/cancel", "").status()).isEqualTo(404);
        assertThat(h.reportsOf("cx-pending")).hasSize(1);
    }

    @Test
    void cancellingAWorkingLimitSendsOrderCancelRequestAndKeepsTheFillsSoFar() {
        String venue = "SIM_DEEP";
        // The venue fills 10 of the resting buy limit at once and keeps the rest working.
        h.sim.scriptNext(venue, ScriptedOutcome.partial(BigDecimal.TEN));
        ObjectNode plan = Plans.limit("cx-working", "MSFT", "long", 400.00, venue);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);

        JsonNode partial = h.awaitReport("cx-working", r -> r.path("status").asText().equals("partial"));
        assertThat(partial.path("executed_quantity").decimalValue()).isEqualByComparingTo("10");
        String clOrdId = partial.path("cl_ord_id").asText();
        await().atMost(GatewayHarness.WAIT).until(() -> orders("cx-working").get(0).path("status").asText().equals("PARTIALLY_FILLED"));

        GatewayHarness.Response cancel = h.post("/v1/plans/cx-working/cancel", "");
        assertThat(cancel.status()).isEqualTo(202);

        JsonNode cancelled = h.awaitReport("cx-working", r -> r.path("status").asText().equals("cancelled"));
        // floor(1 % × 1,000,000 / 400) = 25 ordered, 10 filled before the cancel.
        assertThat(cancelled.path("error_message").asText()).contains("10 of 25");
        assertThat(cancelled.path("cumulative_quantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(cancelled.path("cl_ord_id").asText()).isEqualTo(clOrdId);

        List<SimOrderEvent> cancels = h.sim.received(venue).stream()
                .filter(e -> e.msgType().equals(SimOrderEvent.CANCEL_REQUEST)).toList();
        assertThat(cancels).hasSize(1);
        assertThat(cancels.get(0).origClOrdId()).isEqualTo(clOrdId);

        JsonNode view = h.plan("cx-working");
        assertThat(view.path("state").asText()).isEqualTo("cancelled");
        JsonNode order = orders("cx-working").get(0);
        assertThat(order.path("status").asText()).isEqualTo("CANCELED");
        assertThat(order.path("cum_qty").decimalValue()).isEqualByComparingTo("10");
        assertThat(order.path("fills")).hasSize(1);
        assertThat(h.position("MSFT").path("quantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(h.reportsOf("cx-working")).extracting(r -> r.path("status").asText())
                .containsExactly("partial", "cancelled");
    }

    /**
     * Our cancel and the venue's fill cross: the fill arrives while the order is PendingCancel (booked and reported),
     * then the venue's real OrderCancelReject (35=9, "too late") for the order it already filled changes nothing.
     */
    @Test
    void aFillThatOvertakesOurCancelIsBookedAndTheVenuesTooLateRejectChangesNothing() {
        // A buy limit 2 below the market rests at the venue. (The gateway is shared: the venue's speed and the market are
        // put back at the end.)
        BigDecimal mid = h.mid("AAPL");
        try {
            fillOvertakesCancel(mid);
        } finally {
            h.sim.setAckDelay("SIM_DEEP", Duration.ofMillis(40), Duration.ofMillis(20));
            h.sim.setMid("AAPL", mid);
        }
    }

    private void fillOvertakesCancel(BigDecimal mid) {
        BigDecimal before = positionQuantity("AAPL");
        BigDecimal limit = mid.subtract(new BigDecimal("2")).setScale(2, RoundingMode.DOWN);
        assertThat(h.post("/v1/plans", Plans.limit("race-1", "AAPL", "long", limit.doubleValue(), "SIM_DEEP")).status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus("race-1").equals("NEW"));
        JsonNode order = h.plan("race-1").path("orders").get(0);
        String clOrdId = order.path("cl_ord_id").asText();
        BigDecimal qty = order.path("quantity").decimalValue();

        // The venue now takes 2 s to handle what it receives: our cancel waits there while the market fills the order.
        h.sim.setAckDelay("SIM_DEEP", Duration.ofSeconds(2), Duration.ZERO);
        assertThat(h.post("/v1/plans/race-1/cancel", "").status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus("race-1").equals("PENDING_CANCEL")
                && h.sim.received("SIM_DEEP").stream().anyMatch(e -> e.msgType().equals(SimOrderEvent.CANCEL_REQUEST)
                        && clOrdId.equals(e.origClOrdId())));
        h.sim.setMid("AAPL", limit.subtract(BigDecimal.ONE));

        // (a) The fill that arrived while PendingCancel is booked and reported; the entry is complete.
        JsonNode filled = h.awaitReport("race-1", r -> r.path("status").asText().equals("filled"));
        assertThat(filled.path("executed_quantity").decimalValue()).isEqualByComparingTo(qty);
        assertThat(filled.path("executed_price").decimalValue()).isEqualByComparingTo(limit);
        assertThat(filled.path("cl_ord_id").asText()).isEqualTo(clOrdId);
        h.awaitPlanState("race-1", "filled");
        assertThat(positionQuantity("AAPL").subtract(before)).isEqualByComparingTo(qty);

        // (b) Then the venue answers our cancel: too late, the order is filled. Nothing changes.
        await().atMost(GatewayHarness.WAIT).until(() -> !h.opsLog().linesWith("clOrdId=" + clOrdId, "cancel rejected by SIM_DEEP").isEmpty());
        assertThat(h.opsLog().linesWith("clOrdId=" + clOrdId, "cancel rejected by SIM_DEEP").get(0)).contains("too late").contains("FILLED");
        JsonNode view = h.plan("race-1");
        assertThat(view.path("state").asText()).isEqualTo("filled");
        assertThat(view.path("orders")).hasSize(1);
        assertThat(view.path("orders").get(0).path("status").asText()).isEqualTo("FILLED");
        assertThat(view.path("orders").get(0).path("cum_qty").decimalValue()).isEqualByComparingTo(qty);
        assertThat(positionQuantity("AAPL").subtract(before)).isEqualByComparingTo(qty);
        assertThat(h.reportsOf("race-1")).extracting(r -> r.path("status").asText()).containsExactly("filled");
        // The venue learned from the order once.
        assertThat(h.opsLog().linesWith("venue SIM_DEEP learned from " + clOrdId)).hasSize(1);
    }

    @Test
    void aVenueCancellingTheOrderOnItsOwnEndsTheEntryWithWhatFilled() {
        String venue = "SIM_DEEP";
        BigDecimal before = positionQuantity("AAPL");
        // A buy limit below the market (within the 10 % band a fill price must be in): the venue fills 10 at once, rests
        // the rest, then cancels it unasked.
        h.sim.scriptNext(venue, ScriptedOutcome.partial(BigDecimal.TEN));
        assertThat(h.post("/v1/plans", Plans.limit("cx-venue", "AAPL", "long", 180.00, venue)).status()).isEqualTo(202);
        JsonNode partial = h.awaitReport("cx-venue", r -> r.path("status").asText().equals("partial"));
        String clOrdId = partial.path("cl_ord_id").asText();
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus("cx-venue").equals("PARTIALLY_FILLED"));

        h.sim.cancelUnsolicited(venue, clOrdId, "venue risk check");

        JsonNode ended = h.awaitReport("cx-venue", r -> r.path("status").asText().equals("cancelled"));
        // floor(1 % × 1,000,000 / 180) = 55 ordered.
        assertThat(ended.path("error_message").asText())
                .contains("10 of 55").contains("cancelled by " + venue).contains("venue risk check");
        assertThat(ended.path("cumulative_quantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(h.firstOrderStatus("cx-venue")).isEqualTo("CANCELED");
        // No OrderCancelRequest of ours was involved, and the entry ended with what filled (no exit rules to watch).
        assertThat(h.sim.received(venue)).noneMatch(e -> e.msgType().equals(SimOrderEvent.CANCEL_REQUEST)
                && clOrdId.equals(e.origClOrdId()));
        assertThat(h.plan("cx-venue").path("state").asText()).isEqualTo("filled");
        assertThat(positionQuantity("AAPL").subtract(before)).isEqualByComparingTo("10");
    }

    @Test
    void aNewOrderRefusedWithABusinessMessageRejectIsARejectAtOnce() {
        String venue = "SIM_DEEP";
        h.sim.refuseNextOrderMessage(venue, "order type not enabled for this account");
        ObjectNode plan = Plans.market("rj-refused", "NVDA", "long");
        plan.putArray("venue_preferences").add(venue);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);

        JsonNode failed = h.awaitReport("rj-refused", r -> r.path("status").asText().equals("failed"));
        assertThat(failed.path("error_message").asText())
                .contains("BusinessMessageReject").contains("order type not enabled for this account");
        String clOrdId = failed.path("cl_ord_id").asText();
        assertThat(h.firstOrderStatus("rj-refused")).isEqualTo("REJECTED");
        // Settled by the 35=j itself, not by the status request an unanswered order gets after 10 s.
        assertThat(h.sim.received(venue)).noneMatch(e -> e.msgType().equals(SimOrderEvent.STATUS_REQUEST)
                && clOrdId.equals(e.clOrdId()));
        assertThat(h.sim.workingOrders(venue)).doesNotContain(clOrdId);
    }

    @Test
    void aCancelRefusedWithABusinessMessageRejectLeavesTheOrderWorkingAndCanBeRetried() {
        String venue = "SIM_DEEP";
        BigDecimal mid = h.mid("SPY");
        ObjectNode plan = Plans.limit("rj-cancel", "SPY", "long",
                mid.multiply(new BigDecimal("0.9")).setScale(2, RoundingMode.DOWN).doubleValue(), venue);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus("rj-cancel").equals("NEW"));
        String clOrdId = h.plan("rj-cancel").path("orders").get(0).path("cl_ord_id").asText();

        h.sim.refuseNextOrderMessage(venue, "cancels suspended");
        assertThat(h.post("/v1/plans/rj-cancel/cancel", "").status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> {
            JsonNode order = h.plan("rj-cancel").path("orders").get(0);
            return order.path("status").asText().equals("NEW") && order.path("text").asText().contains("cancels suspended");
        });
        assertThat(h.plan("rj-cancel").path("state").asText()).isEqualTo("working");
        assertThat(h.sim.workingOrders(venue)).contains(clOrdId);

        // A second cancel goes through.
        assertThat(h.post("/v1/plans/rj-cancel/cancel", "").status()).isEqualTo(202);
        JsonNode cancelled = h.awaitReport("rj-cancel", r -> r.path("status").asText().equals("cancelled"));
        assertThat(cancelled.path("cumulative_quantity").decimalValue()).isZero();
        assertThat(h.firstOrderStatus("rj-cancel")).isEqualTo("CANCELED");
    }

    private BigDecimal positionQuantity(String symbol) {
        JsonNode position = h.position(symbol);
        return position == null ? BigDecimal.ZERO : position.path("quantity").decimalValue();
    }

    @Test
    void cancellingAFilledPlanIsRefused() {
        assertThat(h.post("/v1/plans", Plans.market("cx-filled", "TSLA", "long")).status()).isEqualTo(202);
        h.awaitReport("cx-filled", r -> r.path("status").asText().equals("filled"));
        GatewayHarness.Response cancel = h.post("/v1/plans/cx-filled/cancel", "");
        assertThat(cancel.status()).isEqualTo(409);
        assertThat(h.plan("cx-filled").path("state").asText()).isEqualTo("filled");
    }

    @Test
    void cancellingATwapMidwayStopsTheRemainingSlices() {
        ObjectNode plan = Plans.market("cx-twap", "TSLA", "long");
        plan.put("execution_strategy", "twap");
        plan.putObject("execution_params").put("duration_s", 4).put("slices", 4);
        plan.putArray("venue_preferences").add("SIM_DEEP");
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        h.awaitReport("cx-twap", r -> r.path("status").asText().equals("partial"));

        assertThat(h.post("/v1/plans/cx-twap/cancel", "").status()).isEqualTo(202);

        JsonNode cancelled = h.awaitReport("cx-twap", r -> r.path("status").asText().equals("cancelled"));
        int sent = orders("cx-twap").size();
        assertThat(sent).isBetween(1, 2);
        // No slice after the cancel, even once the rest of the schedule is due.
        await().during(Duration.ofMillis(1500)).atMost(GatewayHarness.WAIT)
                .until(() -> orders("cx-twap").size() == sent);
        BigDecimal filled = orders("cx-twap").stream().map(o -> o.path("cum_qty").decimalValue())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(filled).isPositive();
        assertThat(cancelled.path("cumulative_quantity").decimalValue()).isEqualByComparingTo(filled);
        assertThat(cancelled.path("error_message").asText()).contains(filled.toPlainString() + " of 40");
        assertThat(h.plan("cx-twap").path("state").asText()).isEqualTo("cancelled");
    }

    // ---------------------------------------------------------------- rejects

    @Test
    void aRejectByTheOnlyAllowedVenueFailsThePlanWithTheVenuesReason() {
        String venue = "SIM_FAST";
        h.sim.scriptNext(venue, ScriptedOutcome.reject("risk limit exceeded for account GATEWAY"));
        ObjectNode plan = Plans.market("rj-one", "SPY", "long");
        plan.putArray("venue_preferences").add(venue);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);

        JsonNode failed = h.awaitReport("rj-one", r -> r.path("status").asText().equals("failed"));
        assertThat(failed.path("error_message").asText()).contains("risk limit exceeded for account GATEWAY")
                .contains(venue);
        assertThat(failed.path("venue").asText()).isEqualTo(venue);
        assertThat(failed.path("cumulative_quantity").decimalValue()).isZero();
        JsonNode view = h.plan("rj-one");
        assertThat(view.path("state").asText()).isEqualTo("failed");
        // No other venue is allowed by the plan: no failover order.
        assertThat(orders("rj-one")).hasSize(1);
        assertThat(orders("rj-one").get(0).path("status").asText()).isEqualTo("REJECTED");
        assertThat(h.reportsOf("rj-one")).hasSize(1);
    }

    @Test
    void rejectsOnEveryVenueFailThePlanAfterOneFailover() {
        h.sim.scriptNext("SIM_DEEP", ScriptedOutcome.reject("DEEP: symbol halted"));
        h.sim.scriptNext("SIM_CHEAP", ScriptedOutcome.reject("CHEAP: symbol halted"));
        ObjectNode plan = Plans.market("rj-all", "NVDA", "long");
        // NVDA is listed by SIM_DEEP and SIM_CHEAP only: both get a reject scripted.
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);

        JsonNode failed = h.awaitReport("rj-all", r -> r.path("status").asText().equals("failed"));
        List<JsonNode> orders = orders("rj-all");
        assertThat(orders).hasSize(2);
        assertThat(orders).allMatch(o -> o.path("status").asText().equals("REJECTED"));
        assertThat(orders.get(0).path("venue").asText()).isNotEqualTo(orders.get(1).path("venue").asText());
        String lastVenue = orders.get(1).path("venue").asText();
        String lastReason = lastVenue.equals("SIM_DEEP") ? "DEEP: symbol halted" : "CHEAP: symbol halted";
        assertThat(failed.path("error_message").asText()).contains(lastReason);
        assertThat(failed.path("venue").asText()).isEqualTo(lastVenue);
        assertThat(h.plan("rj-all").path("state").asText()).isEqualTo("failed");
        assertThat(h.plan("rj-all").path("progress").path("failover_used").asBoolean()).isTrue();
        assertThat(h.reportsOf("rj-all")).hasSize(1);
    }

    private static long orderNumber(JsonNode order) {
        String id = order.path("cl_ord_id").asText();
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }

    private static List<JsonNode> orders(String planId) {
        List<JsonNode> out = new ArrayList<>();
        h.plan(planId).path("orders").forEach(out::add);
        // In the order they were sent: ClOrdIDs end with the gateway's order number.
        out.sort((a, b) -> Long.compare(orderNumber(a), orderNumber(b)));
        return out;
    }
}
