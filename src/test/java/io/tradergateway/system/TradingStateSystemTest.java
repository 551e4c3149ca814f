package io.tradergateway.system;

import io.tradergateway.report.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §3 trading states: stored, so a restart comes back in the same state; the kill switch is a shortcut to halted. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TradingStateSystemTest {
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
    void theKillSwitchIsStoredAsHaltedAndSurvivesARestart() {
        assertThat(h.get("/v1/trading-state").body().path("state").asText()).isEqualTo("active");
        assertThat(h.post("/v1/kill-switch", Json.MAPPER.createObjectNode().put("engaged", true)).status()).isEqualTo(200);
        assertThat(h.get("/v1/trading-state").body().path("state").asText()).isEqualTo("halted");

        h.restartGateway();

        assertThat(h.get("/v1/trading-state").body().path("state").asText()).isEqualTo("halted");
        assertThat(h.get("/health").body().path("trading_state").asText()).isEqualTo("halted");
        assertThat(h.metrics()).contains("trader_trading_state{state=\"halted\"} 1.0", "trader_trading_state{state=\"active\"} 0.0");
        assertThat(h.post("/v1/plans", Plans.market("ts-refused", "AAPL", "long")).status()).isEqualTo(503);

        var active = h.post("/v1/trading-state", "{\"state\": \"active\"}");
        assertThat(active.status()).isEqualTo(200);
        assertThat(active.body().path("state").asText()).isEqualTo("active");
        assertThat(h.post("/v1/plans", Plans.market("ts-after", "AAPL", "long")).status()).isEqualTo(202);

        var bad = h.post("/v1/trading-state", "{\"state\": \"paused\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("errors").path(0).path("field").asText()).isEqualTo("state");
    }

    @Test
    void reducingAcceptsOnlyPlansThatReduceThePositionAndIsStoredToo() {
        assertThat(h.post("/v1/plans", Plans.market("ts-long", "AAPL", "long")).status()).isEqualTo(202);
        h.awaitReport("ts-long", r -> r.path("status").asText().equals("filled"));

        assertThat(h.post("/v1/trading-state", "{\"state\": \"reducing\"}").status()).isEqualTo(200);
        h.restartGateway();
        assertThat(h.get("/v1/trading-state").body().path("state").asText()).isEqualTo("reducing");

        var adding = h.post("/v1/plans", Plans.market("ts-more-long", "AAPL", "long"));
        assertThat(adding.status()).isEqualTo(503);
        assertThat(adding.body().path("detail").asText()).contains("reducing");
        var reducing = Plans.market("ts-short", "AAPL", "short");
        reducing.put("position_size", 0.5);
        assertThat(h.post("/v1/plans", reducing).status()).isEqualTo(202);
    }
}
