package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.risk.RiskLimits;
import io.tradergateway.simvenue.SimOrderEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pre-trade risk gate (SPEC 7) end to end over real FIX to the simulated venue: each limit refuses a plan up front
 * with a 422 and a {@code risk_*} code (and its failed report), an exit is never refused for size or open orders, and the
 * order rate delays orders without a burst.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RiskGateSystemTest {
    @TempDir
    Path dir;
    GatewayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    private void start(RiskLimits limits) {
        h = GatewayHarness.start(dir, sim -> sim, gw -> gw.withRisk(limits));
    }

    private static RiskLimits limits(String orderNotional, String quantity, String position, String gross, String collar,
                                     int perSecond, int openOrders) {
        return new RiskLimits(new BigDecimal(orderNotional), new BigDecimal(quantity), new BigDecimal(position),
                new BigDecimal(gross), new BigDecimal(collar), perSecond, openOrders, 5000);
    }

    private ObjectNode market(String planId, String symbol, double percent) {
        ObjectNode p = Plans.market(planId, symbol, "long");
        p.put("position_size", percent);
        p.put("max_position_size", Math.max(5.0, percent));
        return p;
    }

    /** Posts the plan and returns the risk code of its 422 (and checks its failed report carries it). */
    private String refusedWith(ObjectNode plan) {
        GatewayHarness.Response r = h.post("/v1/plans", plan);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(422);
        JsonNode failed = h.awaitReport(plan.path("plan_id").asText(), rep -> rep.path("status").asText().equals("failed"));
        assertThat(failed.path("error_message").asText()).startsWith("risk_");
        return failed.path("error_message").asText().substring(0, failed.path("error_message").asText().indexOf(':'));
    }

    @Test
    void eachSizeLimitRefusesAPlanUpFront() {
        start(limits("30000", "150", "45000", "100000", "0.02", 0, 0));
        // TSLA at 245: 5 % of 1,000,000 = 204 shares > 150
        assertThat(refusedWith(market("rk-qty", "TSLA", 5.0))).isEqualTo("risk_max_order_quantity");
        // NVDA at 880: 4 % = 45 shares, 39,600 > 30,000
        assertThat(refusedWith(market("rk-notional", "NVDA", 4.0))).isEqualTo("risk_max_order_notional");
        // AAPL at 190: 2.5 % = 131 shares, 24,890; twice is 49,780 > 45,000
        assertThat(h.post("/v1/plans", market("rk-pos-1", "AAPL", 2.5)).status()).isEqualTo(202);
        h.awaitReport("rk-pos-1", r -> r.path("status").asText().equals("filled"));
        assertThat(refusedWith(market("rk-pos-2", "AAPL", 2.5))).isEqualTo("risk_max_position_notional");
        // gross: AAPL ~25,000 + MSFT ~25,000 + SPY ~25,000, then NVDA 3 % ~29,920: over 100,000
        for (String symbol : List.of("MSFT", "SPY")) {
            assertThat(h.post("/v1/plans", market("rk-gross-" + symbol, symbol, 2.5)).status()).isEqualTo(202);
            h.awaitReport("rk-gross-" + symbol, r -> r.path("status").asText().equals("filled"));
        }
        assertThat(refusedWith(market("rk-gross", "NVDA", 3.0))).isEqualTo("risk_max_gross_notional");
        // a buy limit 3 % above the market: further through it than the 2 % collar
        BigDecimal through = h.mid("TSLA").multiply(new BigDecimal("1.03")).setScale(2, RoundingMode.DOWN);
        ObjectNode collar = Plans.limit("rk-collar", "TSLA", "long", through.doubleValue(), "SIM_DEEP");
        collar.put("position_size", 0.5);
        assertThat(refusedWith(collar)).isEqualTo("risk_price_collar");

        assertThat(h.metrics()).contains("trader_risk_denials_total{code=\"risk_max_order_quantity\"} 1.0")
                .contains("trader_risk_denials_total{code=\"risk_price_collar\"} 1.0")
                .contains("trader_risk_denials_total{code=\"risk_max_orders_per_second\"} 0.0");
    }

    @Test
    void anExitIsNeverRefusedForOpenOrdersOrSize() {
        start(limits("0", "0", "0", "0", "0", 0, 2));
        BigDecimal mid = h.mid("AAPL");
        ObjectNode stop = market("rk-exit", "AAPL", 1.0);
        stop.put("stop_loss", mid.multiply(new BigDecimal("0.97")).setScale(2, RoundingMode.DOWN).doubleValue());
        assertThat(h.post("/v1/plans", stop).status()).isEqualTo(202);
        h.awaitPlanState("rk-exit", "open");
        // Two resting limits fill the open-order limit: a third entry is refused...
        for (String symbol : List.of("MSFT", "SPY")) {
            BigDecimal below = h.mid(symbol).multiply(new BigDecimal("0.98")).setScale(2, RoundingMode.DOWN);
            assertThat(h.post("/v1/plans", Plans.limit("rk-rest-" + symbol, symbol, "long", below.doubleValue(), "SIM_DEEP"))
                    .status()).isEqualTo(202);
            h.awaitPlanState("rk-rest-" + symbol, "working");
        }
        assertThat(refusedWith(market("rk-third", "TSLA", 1.0))).isEqualTo("risk_max_open_orders");
        // ... but the stop's exit goes.
        h.moveMarket("AAPL", mid.multiply(new BigDecimal("0.95")).setScale(2, RoundingMode.DOWN).toPlainString());
        h.awaitPlanState("rk-exit", "closed");
    }

    @Test
    void theOrderRateDelaysOrdersWithoutABurst() {
        start(limits("0", "0", "0", "0", "0", 2, 0));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = "rk-rate-" + i;
            ObjectNode plan = market(id, "AAPL", 0.5);
            plan.putArray("venue_preferences").add("SIM_DEEP");
            assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
            ids.add(id);
        }
        for (String id : ids) h.awaitReport(id, r -> r.path("status").asText().equals("filled"));
        List<Instant> sent = h.sim.received("SIM_DEEP").stream()
                .filter(e -> e.msgType().equals(SimOrderEvent.NEW_ORDER_SINGLE)).map(SimOrderEvent::receivedAt).sorted().toList();
        assertThat(sent).hasSize(6);
        for (int i = 0; i + 2 < sent.size(); i++) {
            assertThat(Duration.between(sent.get(i), sent.get(i + 2)))
                    .as("no more than 2 orders in any second").isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }
}
