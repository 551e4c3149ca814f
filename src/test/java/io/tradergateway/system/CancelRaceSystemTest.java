package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradergateway.simvenue.SimOrderEvent;
import io.tradergateway.simvenue.VenueProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order state machine end to end over FIX when our cancel and the venue's fill cross: the fill arrives while the
 * order is PendingCancel (booked and reported), then the venue's real OrderCancelReject (35=9, "too late") for the
 * order it already filled (changes nothing).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CancelRaceSystemTest {
    private static final String VENUE = "SIM_DEEP";

    @TempDir
    Path dir;
    GatewayHarness h;
    OpsLogCapture opsLog;

    @BeforeEach
    void start() {
        h = GatewayHarness.start(dir, sim -> sim.withEveryProfile(VenueProfile::predictable), gw -> gw);
        opsLog = OpsLogCapture.start();
    }

    @AfterEach
    void stop() {
        if (opsLog != null) opsLog.close();
        if (h != null) h.close();
    }

    @Test
    void aFillThatOvertakesOurCancelIsBookedAndTheVenuesTooLateRejectChangesNothing() {
        // A buy limit 2 below the market rests at the venue.
        BigDecimal limit = h.mid("AAPL").subtract(new BigDecimal("2")).setScale(2, RoundingMode.DOWN);
        assertThat(h.post("/v1/plans", Plans.limit("race-1", "AAPL", "long", limit.doubleValue(), VENUE)).status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus("race-1").equals("NEW"));
        JsonNode order = h.plan("race-1").path("orders").get(0);
        String clOrdId = order.path("cl_ord_id").asText();
        BigDecimal qty = order.path("quantity").decimalValue();

        // The venue now takes 2 s to handle what it receives: our cancel waits there while the market fills the order.
        h.sim.setAckDelay(VENUE, Duration.ofSeconds(2), Duration.ZERO);
        assertThat(h.post("/v1/plans/race-1/cancel", "").status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus("race-1").equals("PENDING_CANCEL")
                && h.sim.received(VENUE).stream().anyMatch(e -> e.msgType().equals(SimOrderEvent.CANCEL_REQUEST)));
        h.sim.setMid("AAPL", limit.subtract(BigDecimal.ONE));

        // (a) The fill that arrived while PendingCancel is booked and reported; the entry is complete.
        JsonNode filled = h.awaitReport("race-1", r -> r.path("status").asText().equals("filled"));
        assertThat(filled.path("executed_quantity").decimalValue()).isEqualByComparingTo(qty);
        assertThat(filled.path("executed_price").decimalValue()).isEqualByComparingTo(limit);
        assertThat(filled.path("cl_ord_id").asText()).isEqualTo(clOrdId);
        h.awaitPlanState("race-1", "filled");
        assertThat(h.position("AAPL").path("quantity").decimalValue()).isEqualByComparingTo(qty);

        // (b) Then the venue answers our cancel: too late, the order is filled. Nothing changes.
        await().atMost(GatewayHarness.WAIT).until(() -> !opsLog.linesWith("clOrdId=" + clOrdId, "cancel rejected by " + VENUE).isEmpty());
        assertThat(opsLog.linesWith("clOrdId=" + clOrdId, "cancel rejected by " + VENUE).get(0)).contains("too late").contains("FILLED");
        JsonNode view = h.plan("race-1");
        assertThat(view.path("state").asText()).isEqualTo("filled");
        assertThat(view.path("orders")).hasSize(1);
        assertThat(view.path("orders").get(0).path("status").asText()).isEqualTo("FILLED");
        assertThat(view.path("orders").get(0).path("cum_qty").decimalValue()).isEqualByComparingTo(qty);
        assertThat(h.position("AAPL").path("quantity").decimalValue()).isEqualByComparingTo(qty);
        assertThat(h.reportsOf("race-1")).extracting(r -> r.path("status").asText()).containsExactly("filled");
        // The venue learned from the order once.
        assertThat(opsLog.linesWith("venue " + VENUE + " learned from " + clOrdId)).hasSize(1);
    }
}
