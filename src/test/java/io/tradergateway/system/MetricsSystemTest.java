package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.report.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /metrics} from Micrometer's Prometheus registry (issue 11 item 8): JVM, GC and process meters, and the
 * gateway's series, each present (at zero) before its first event.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsSystemTest {
    @TempDir
    Path dir;
    GatewayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    /** The value of one series in the Prometheus text, or fails when it is absent. */
    static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("series " + series + " in\n" + metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void everySeriesExistsBeforeItsFirstEventAndCountsWhatHappens() {
        h = GatewayHarness.start(dir);
        String before = h.metrics();

        // JVM and process meters (GC pause timers appear with the first collection after start, so not asserted).
        for (String series : new String[]{"process_uptime_seconds", "jvm_threads_live_threads", "system_cpu_count",
                "jvm_classes_loaded_classes", "jvm_gc_max_data_size_bytes"}) {
            assertThat(value(before, series)).as(series).isGreaterThan(0);
        }
        assertThat(before).contains("jvm_memory_used_bytes{area=\"heap\"", "jvm_gc_memory_allocated_bytes_total", "process_cpu_usage");
        for (String venue : new String[]{"SIM_DEEP", "SIM_FAST", "SIM_CHEAP"}) {
            assertThat(value(before, "trader_fix_session_up{venue=\"" + venue + "\"}")).isEqualTo(1);
            assertThat(value(before, "trader_venue_orders_sent_total{venue=\"" + venue + "\"}")).isZero();
            assertThat(value(before, "trader_venue_fills_total{venue=\"" + venue + "\"}")).isZero();
            assertThat(value(before, "trader_venue_rejects_total{venue=\"" + venue + "\"}")).isZero();
            assertThat(value(before, "trader_venue_order_ack_seconds_count{venue=\"" + venue + "\"}")).isZero();
            assertThat(value(before, "trader_venue_order_ack_seconds_bucket{venue=\"" + venue + "\",le=\"0.1\"}")).isZero();
        }
        for (String code : new String[]{"risk_max_order_notional", "risk_max_orders_per_second", "risk_trading_state"}) {
            assertThat(value(before, "trader_risk_denials_total{code=\"" + code + "\"}")).isZero();
        }
        for (String reason : new String[]{"unknown_order", "duplicate_exec_id", "already_covered", "quarantined"}) {
            assertThat(value(before, "trader_venue_reports_ignored_total{reason=\"" + reason + "\"}")).isZero();
        }
        for (String state : new String[]{"pending_entry", "working", "open", "exiting", "filled", "failed"}) {
            assertThat(value(before, "trader_plans{state=\"" + state + "\"}")).isZero();
        }
        assertThat(value(before, "trader_kill_switch_engaged")).isZero();
        assertThat(value(before, "trader_market_data_ignored_total")).as("the venue sends only what was asked for").isZero();
        assertThat(value(before, "trader_engine_backlog")).isGreaterThanOrEqualTo(0);
        assertThat(value(before, "trader_plan_flags")).isZero();
        assertThat(value(before, "trader_engine_stopped")).isZero();
        assertThat(value(before, "trader_journal_batches_behind")).isGreaterThanOrEqualTo(0);
        assertThat(value(before, "trader_exec_reports_last_sequence")).isZero();

        assertThat(h.post("/v1/plans", Plans.market("metrics-1", "AAPL", "long")).status()).isEqualTo(202);
        JsonNode filled = h.awaitReport("metrics-1", r -> r.path("status").asText().equals("filled"));
        String venue = filled.path("venue").asText();
        await().atMost(GatewayHarness.WAIT).until(() -> value(h.metrics(), "trader_venue_fills_total{venue=\"" + venue + "\"}") >= 1);
        String after = h.metrics();
        assertThat(value(after, "trader_venue_orders_sent_total{venue=\"" + venue + "\"}")).isEqualTo(1);
        assertThat(value(after, "trader_venue_order_ack_seconds_count{venue=\"" + venue + "\"}")).isEqualTo(1);
        assertThat(value(after, "trader_venue_order_ack_seconds_sum{venue=\"" + venue + "\"}")).isPositive().isLessThan(10);
        assertThat(value(after, "trader_exec_reports_last_sequence")).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "trader_journal_syncs_total")).as("one fsync may force many batches").isPositive()
                .isLessThanOrEqualTo(value(after, "trader_journal_batches_total"));
        // Every fsync timed: once the journal is idle, the histogram counts as many as the counter.
        await().atMost(GatewayHarness.WAIT).until(() -> {
            String now = h.metrics();
            return value(now, "trader_journal_fsync_seconds_count") == value(now, "trader_journal_syncs_total");
        });
        assertThat(value(h.metrics(), "trader_journal_fsync_seconds_count")).isPositive();
        assertThat(value(h.metrics(), "trader_journal_fsync_seconds_sum")).isPositive().isLessThan(10);
        assertThat(h.metrics()).contains("trader_journal_fsync_seconds_bucket{le=\"1.0E-4\"}");
        await().atMost(GatewayHarness.WAIT).until(() -> value(h.metrics(), "trader_journal_table_writes_total") >= 1);
        assertThat(value(h.metrics(), "trader_journal_table_writes_total")).as("one table write may hold many batches")
                .isLessThanOrEqualTo(value(h.metrics(), "trader_journal_batches_total"));

        ObjectNode resting = Plans.market("metrics-resting", "AAPL", "long");
        resting.put("execution_strategy", "limit");
        resting.put("entry_price", h.mid("AAPL").multiply(new BigDecimal("0.90")).setScale(2, RoundingMode.DOWN));
        assertThat(h.post("/v1/plans", resting).status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> "NEW".equals(h.firstOrderStatus("metrics-resting")));
        assertThat(value(h.metrics(), "trader_plans{state=\"working\"}")).isEqualTo(1);

        assertThat(h.post("/v1/kill-switch", Json.MAPPER.createObjectNode().put("engaged", true)).status()).isEqualTo(200);
        assertThat(value(h.metrics(), "trader_kill_switch_engaged")).isEqualTo(1);
        h.awaitPlanState("metrics-resting", "cancelled");
        assertThat(value(h.metrics(), "trader_plans{state=\"working\"}")).isZero();
        assertThat(h.post("/v1/plans", Plans.market("metrics-2", "AAPL", "long")).status()).isEqualTo(503);
    }
}
