package io.tradergateway.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.report.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The kill switch cancels resting orders and pending entries at once and refuses plans until released. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KillSwitchSystemTest {
    @TempDir
    Path dir;
    GatewayHarness h;

    @BeforeEach
    void start() {
        h = GatewayHarness.start(dir);
    }

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    @Test
    void engagedSwitchCancelsEverythingWorkingAndRefusesPlansUntilReleased() {
        BigDecimal mid = h.mid("AAPL");
        ObjectNode resting = Plans.market("kill-limit", "AAPL", "long");
        resting.put("execution_strategy", "limit");
        resting.put("entry_price", mid.multiply(new BigDecimal("0.90")).setScale(2, RoundingMode.DOWN));
        assertThat(h.post("/v1/plans", resting).status()).isEqualTo(202);
        ObjectNode waiting = Plans.market("kill-pending", "AAPL", "long");
        waiting.putObject("entry_conditions").put("price_above", mid.multiply(new BigDecimal("1.5")).setScale(2, RoundingMode.DOWN));
        assertThat(h.post("/v1/plans", waiting).status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() ->
                "NEW".equals(h.plan("kill-limit").path("orders").path(0).path("status").asText()));
        assertThat(h.plan("kill-pending").path("state").asText()).isEqualTo("pending_entry");

        var engaged = h.post("/v1/kill-switch", Json.MAPPER.createObjectNode().put("engaged", true));
        assertThat(engaged.status()).isEqualTo(200);
        assertThat(engaged.body().path("engaged").asBoolean()).isTrue();

        h.awaitPlanState("kill-limit", "cancelled");
        h.awaitPlanState("kill-pending", "cancelled");
        assertThat(h.plan("kill-limit").path("orders").path(0).path("status").asText()).isEqualTo("CANCELED");
        assertThat(h.awaitReport("kill-limit", r -> r.path("status").asText().equals("cancelled"))
                .path("error_message").asText()).contains("kill switch");
        assertThat(h.awaitReport("kill-pending", r -> r.path("status").asText().equals("cancelled"))
                .path("error_message").asText()).contains("kill switch");
        assertThat(h.sim.received("SIM_DEEP").stream().anyMatch(e -> e.msgType().equals("F"))
                || h.sim.received("SIM_FAST").stream().anyMatch(e -> e.msgType().equals("F"))
                || h.sim.received("SIM_CHEAP").stream().anyMatch(e -> e.msgType().equals("F"))).isTrue();

        var refused = h.post("/v1/plans", Plans.market("kill-refused", "AAPL", "long"));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(h.get("/v1/venues").body().path("kill_switch_engaged").asBoolean()).isTrue();

        assertThat(h.post("/v1/kill-switch", Json.MAPPER.createObjectNode().put("engaged", false)).status()).isEqualTo(200);
        assertThat(h.post("/v1/plans", Plans.market("kill-after", "AAPL", "long")).status()).isEqualTo(202);
        h.awaitReport("kill-after", r -> r.path("status").asText().equals("filled"));

        var bad = h.post("/v1/kill-switch", "{\"engaged\": \"yes\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("errors").path(0).path("field").asText()).isEqualTo("engaged");
    }
}
