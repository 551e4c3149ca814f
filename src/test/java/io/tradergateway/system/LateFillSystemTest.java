package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A venue reporting a fill after the order and its plan have ended (a correction of an execution it failed to report):
 * the fill is never dropped. It is booked in the position, stored once per ExecID, and reported with the plan's
 * figures and a review saying nobody watches the position it changed, whether the order is still in memory or only in
 * the journal (after a restart the orders of ended plans are not loaded).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LateFillSystemTest {
    private static final String VENUE = "SIM_DEEP";

    @TempDir
    Path dir;
    GatewayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    @Test
    void aFillReportedAfterThePlanEndedIsBookedAndReportedBeforeAndAfterARestart() {
        h = GatewayHarness.start(dir);
        // A buy limit far below the market rests untouched, then the plan is cancelled with nothing filled.
        ObjectNode plan = Plans.limit("late-1", "MSFT", "long", 400.00, VENUE);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus("late-1").equals("NEW"));
        String clOrdId = h.plan("late-1").path("orders").get(0).path("cl_ord_id").asText();
        assertThat(h.post("/v1/plans/late-1/cancel", "").status()).isEqualTo(202);
        JsonNode cancelled = h.awaitReport("late-1", r -> r.path("status").asText().equals("cancelled"));
        assertThat(cancelled.path("cumulative_quantity").decimalValue()).isZero();
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus("late-1").equals("CANCELED"));
        assertThat(h.position("MSFT")).isNull();

        // The venue now says 5 had traded: the order is still in memory, its plan is not.
        h.sim.sendLateFill(VENUE, clOrdId, new BigDecimal("5"), new BigDecimal("400.00"));
        JsonNode first = h.awaitReport("late-1", r -> r.path("status").asText().equals("partial"));
        assertThat(first.path("cl_ord_id").asText()).isEqualTo(clOrdId);
        assertThat(first.path("executed_quantity").decimalValue()).isEqualByComparingTo("5");
        assertThat(first.path("executed_price").decimalValue()).isEqualByComparingTo("400.00");
        assertThat(first.path("cumulative_quantity").decimalValue()).isEqualByComparingTo("5");
        assertThat(first.path("error_message").asText()).contains("late fill").contains("after the plan had ended cancelled");
        assertThat(texts(first, "what_didnt_work").get(0)).startsWith("Filled after the plan had ended");
        assertThat(texts(first, "lessons_learned").get(0)).contains("Reconcile the MSFT position");
        assertThat(first.path("position_after").path("quantity").decimalValue()).isEqualByComparingTo("5");
        assertThat(h.position("MSFT").path("quantity").decimalValue()).isEqualByComparingTo("5");

        // After a restart the order is only in the journal; a second late fill is still booked and reported.
        h.restartGateway();
        h.sim.sendLateFill(VENUE, clOrdId, new BigDecimal("3"), new BigDecimal("399.50"));
        JsonNode second = h.awaitReport("late-1", r -> r.path("status").asText().equals("partial")
                && r.path("cumulative_quantity").decimalValue().compareTo(new BigDecimal("8")) == 0);
        assertThat(second.path("executed_quantity").decimalValue()).isEqualByComparingTo("3");
        assertThat(second.path("sequence").asLong()).isGreaterThan(first.path("sequence").asLong());
        // (5 × 400 + 3 × 399.50) / 8
        assertThat(second.path("avg_price").decimalValue()).isEqualByComparingTo("399.8125");
        JsonNode position = h.position("MSFT");
        assertThat(position.path("quantity").decimalValue()).isEqualByComparingTo("8");
        assertThat(position.path("avg_price").decimalValue()).isEqualByComparingTo("399.8125");

        // The plan stays ended; its order and its progress carry the late quantity.
        JsonNode view = h.plan("late-1");
        assertThat(view.path("state").asText()).isEqualTo("cancelled");
        assertThat(view.path("orders").get(0).path("status").asText()).isEqualTo("CANCELED");
        assertThat(view.path("orders").get(0).path("cum_qty").decimalValue()).isEqualByComparingTo("8");
        assertThat(view.path("progress").path("filled_qty").decimalValue()).isEqualByComparingTo("8");
        assertThat(h.reportsOf("late-1")).hasSize(3);
    }

    private static List<String> texts(JsonNode report, String field) {
        return StreamSupport.stream(report.path(field).spliterator(), false).map(JsonNode::asText).toList();
    }
}
