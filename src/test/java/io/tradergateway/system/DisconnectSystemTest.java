package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.simvenue.SimExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A resting order fills at the venue while the gateway is down. When the gateway comes back it must learn of the fill
 * and book it exactly once, whichever way it arrives: as the venue's original ExecutionReport in a FIX resend (the
 * venue kept it in its message store), or only through the gateway's OrderStatusRequest at logon (the venue lost it),
 * or both.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DisconnectSystemTest {
    private static final String VENUE = "SIM_DEEP";
    /** floor(1 % × 1,000,000 / 400) */
    private static final BigDecimal ORDERED = new BigDecimal("25");

    @TempDir
    Path dir;
    GatewayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    @Test
    void aFillWhileTheGatewayWasDownComesInTheFixResendAndIsBookedOnce() {
        h = GatewayHarness.start(dir);
        String clOrdId = restingLimitThenFillWhileDown("dc-resend");

        JsonNode filled = h.awaitReport("dc-resend", r -> r.path("status").asText().equals("filled"));
        assertThat(filled.path("cl_ord_id").asText()).isEqualTo(clOrdId);
        assertBookedOnce("dc-resend", clOrdId);
        // The venue's own ExecID: the report itself came back (the status answer found it already booked).
        assertThat(fills("dc-resend")).singleElement()
                .satisfies(f -> assertThat(f.path("exec_id").asText()).isEqualTo(venueExecution(clOrdId).execId()));
    }

    @Test
    void aFillTheVenueNeverResentIsFoundByTheStatusRequestAtLogon() {
        h = GatewayHarness.start(dir);
        h.sim.setLoseMessagesWhileLoggedOut(VENUE, true);
        String clOrdId = restingLimitThenFillWhileDown("dc-lost");

        JsonNode filled = h.awaitReport("dc-lost", r -> r.path("status").asText().equals("filled"));
        assertThat(filled.path("cl_ord_id").asText()).isEqualTo(clOrdId);
        assertBookedOnce("dc-lost", clOrdId);
        // Only the OrderStatusRequest told us: one reconciliation fill for the venue's CumQty at its AvgPx.
        assertThat(h.sim.received(VENUE)).anyMatch(e -> e.msgType().equals("H") && clOrdId.equals(e.clOrdId()));
        assertThat(fills("dc-lost")).singleElement()
                .satisfies(f -> assertThat(f.path("exec_id").asText()).startsWith("RECON-"));

        // Now the venue's backlog comes through after all: the original fill (CumQty 25) is already covered.
        h.sim.setLoseMessagesWhileLoggedOut(VENUE, false);
        assertThat(h.sim.deliverLostMessages(VENUE)).isEqualTo(1);
        await().atMost(GatewayHarness.WAIT).until(() ->
                h.metrics().contains("trader_venue_reports_ignored_total{reason=\"already_covered\"} 1.0\n"));
        assertBookedOnce("dc-lost", clOrdId);
        assertThat(fills("dc-lost")).singleElement()
                .satisfies(f -> assertThat(f.path("exec_id").asText()).startsWith("RECON-"));
    }

    /** A buy limit at 400 rests; the gateway stops; the market falls through it; the gateway starts again. */
    private String restingLimitThenFillWhileDown(String planId) {
        ObjectNode plan = Plans.limit(planId, "MSFT", "long", 400.00, VENUE);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus(planId).equals("NEW"));
        String clOrdId = h.plan(planId).path("orders").get(0).path("cl_ord_id").asText();

        h.app.close();
        await().atMost(GatewayHarness.WAIT).until(() -> !h.sim.isLoggedOn(VENUE));
        h.sim.setMid("MSFT", new BigDecimal("395.00"));
        await().atMost(GatewayHarness.WAIT).until(() -> h.sim.executions(VENUE).stream()
                .filter(e -> e.clOrdId().equals(clOrdId)).map(SimExecution::quantity)
                .reduce(BigDecimal.ZERO, BigDecimal::add).compareTo(ORDERED) == 0);
        assertThat(h.sim.workingOrders(VENUE)).doesNotContain(clOrdId);

        h.startGateway();
        return clOrdId;
    }

    private void assertBookedOnce(String planId, String clOrdId) {
        SimExecution atVenue = venueExecution(clOrdId);
        JsonNode order = h.plan(planId).path("orders").get(0);
        assertThat(order.path("status").asText()).isEqualTo("FILLED");
        assertThat(order.path("cum_qty").decimalValue()).isEqualByComparingTo(ORDERED);
        assertThat(order.path("avg_px").decimalValue()).isEqualByComparingTo(atVenue.price());
        assertThat(h.plan(planId).path("state").asText()).isEqualTo("filled");
        JsonNode position = h.position("MSFT");
        assertThat(position.path("quantity").decimalValue()).isEqualByComparingTo(ORDERED);
        assertThat(position.path("avg_price").decimalValue()).isEqualByComparingTo(atVenue.price());
        assertThat(h.reportsOf(planId).stream().filter(r -> r.path("status").asText().equals("filled"))).hasSize(1);
    }

    private SimExecution venueExecution(String clOrdId) {
        List<SimExecution> executions = h.sim.executions(VENUE).stream().filter(e -> e.clOrdId().equals(clOrdId)).toList();
        assertThat(executions).as("the venue filled the order in one execution").hasSize(1);
        return executions.get(0);
    }

    private List<JsonNode> fills(String planId) {
        List<JsonNode> out = new ArrayList<>();
        h.plan(planId).path("orders").get(0).path("fills").forEach(out::add);
        return out;
    }
}
