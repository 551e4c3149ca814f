package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4 §2: a plan with entry conditions waits in {@code pending_entry} until ALL hold on live market data (FIX
 * market data from the simulated venue), then executes; if valid_until passes first it is cancelled.
 * <p>
 * One gateway for the class; each test owns one symbol so that the prices, trades and rolling windows it builds
 * are not disturbed by the others. The simulated market is frozen: only the test moves it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EntryConditionsSystemTest {
    /** How long a plan must be seen to stay waiting for a "does not fire" check. */
    private static final Duration STAYS = Duration.ofMillis(1200);

    @TempDir
    static Path dir;
    static GatewayHarness h;

    @BeforeAll
    static void start() {
        h = GatewayHarness.start(dir);
    }


    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    @Test
    void priceAboveWaitsUntilTheMarketRisesThroughIt() {
        h.sim.setMid("MSFT", new BigDecimal("415.00"));
        ObjectNode plan = Plans.market("ec-above", "MSFT", "long");
        plan.putObject("entry_conditions").put("price_above", 420.00);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        assertStaysPending("ec-above", "MSFT", priceNear("415.00"));

        h.sim.setMid("MSFT", new BigDecimal("419.50"));
        // The gateway has seen the rise (its price is the new mid) and it is still not above 420.
        JsonNode seen = assertStaysPending("ec-above", "MSFT", priceNear("419.50"));
        assertThat(seen.path("price").decimalValue()).isLessThan(new BigDecimal("420"));

        h.sim.setMid("MSFT", new BigDecimal("425.00"));
        JsonNode filled = h.awaitReport("ec-above", r -> r.path("status").asText().equals("filled"));
        assertThat(filled.path("side").asText()).isEqualTo("buy");
        // Priced and sized at the price that met the condition, not at the one the plan arrived at.
        assertThat(filled.path("expected_price").decimalValue()).isGreaterThan(new BigDecimal("420"));
        assertThat(filled.path("avg_price").decimalValue()).isGreaterThan(new BigDecimal("420"));
        JsonNode view = h.plan("ec-above");
        assertThat(view.path("state").asText()).isEqualTo("filled");
        assertThat(view.path("progress").path("trigger_detail").asText()).startsWith("entry conditions met");
    }

    @Test
    void priceBelowWaitsUntilTheMarketFallsThroughIt() {
        h.sim.setMid("TSLA", new BigDecimal("245.00"));
        ObjectNode plan = Plans.market("ec-below", "TSLA", "short");
        plan.putObject("entry_conditions").put("price_below", 240.00);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        assertStaysPending("ec-below", "TSLA", priceNear("245.00"));

        h.sim.setMid("TSLA", new BigDecimal("240.50"));
        JsonNode seen = assertStaysPending("ec-below", "TSLA", priceNear("240.50"));
        assertThat(seen.path("price").decimalValue()).isGreaterThan(new BigDecimal("240"));

        h.sim.setMid("TSLA", new BigDecimal("236.00"));
        JsonNode filled = h.awaitReport("ec-below", r -> r.path("status").asText().equals("filled"));
        assertThat(filled.path("side").asText()).isEqualTo("sell");
        assertThat(filled.path("expected_price").decimalValue()).isLessThan(new BigDecimal("240"));
        assertThat(filled.path("position_after").path("quantity").decimalValue()).isNegative();
        assertThat(h.plan("ec-below").path("state").asText()).isEqualTo("filled");
    }

    @Test
    void volumeSpikeWaitsForEnoughVolumeAndEveryConditionMustHold() {
        ObjectNode plan = Plans.market("ec-volume", "SPY", "long");
        plan.putObject("entry_conditions").put("volume_spike", 1000).put("price_above", 521.00);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        JsonNode quiet = assertStaysPending("ec-volume", "SPY", v -> v.path("price").isNumber());

        // Price condition met, volume (100 per venue listing SPY, 300 at most in the window) is not.
        int trades = quiet.path("trades_in_window").asInt();
        int venues = quiet.path("venues").size();
        h.sim.printTrade("SPY", new BigDecimal("525.00"), new BigDecimal("100"));
        JsonNode seen = assertStaysPending("ec-volume", "SPY",
                v -> v.path("trades_in_window").asInt() == trades + venues);
        assertThat(seen.path("price").decimalValue()).isEqualByComparingTo("525.00");
        assertThat(seen.path("volume").decimalValue()).isLessThan(new BigDecimal("1000"));

        h.sim.printTrade("SPY", new BigDecimal("525.00"), new BigDecimal("1000"));
        JsonNode filled = h.awaitReport("ec-volume", r -> r.path("status").asText().equals("filled"));
        assertThat(filled.path("cumulative_quantity").decimalValue()).isPositive();
        String trigger = h.plan("ec-volume").path("progress").path("trigger_detail").asText();
        assertThat(trigger).contains("volume=");
        assertThat(volumeIn(trigger)).isGreaterThanOrEqualTo(new BigDecimal("1000"));
    }

    @Test
    void volatilityThresholdWaitsForAVolatileTape() {
        ObjectNode plan = Plans.market("ec-vol", "NVDA", "long");
        plan.putObject("entry_conditions").put("volatility_threshold", 0.002);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        JsonNode before = assertStaysPending("ec-vol", "NVDA", v -> v.path("price").isNumber());

        // A quiet tape: log returns of about 1e-4 at most, far under 0.002 (20 bps).
        int trades = before.path("trades_in_window").asInt();
        int venues = before.path("venues").size();
        String[] quietTape = {"880.00", "880.10", "880.00", "880.10"};
        for (String px : quietTape) {
            h.sim.printTrade("NVDA", new BigDecimal(px), BigDecimal.TEN);
        }
        JsonNode seen = assertStaysPending("ec-vol", "NVDA",
                v -> v.path("trades_in_window").asInt() == trades + quietTape.length * venues);
        assertThat(seen.path("volatility").isNumber()).as("volatility measurable: %s", seen).isTrue();
        assertThat(seen.path("volatility").asDouble()).isLessThan(0.002);

        // A volatile tape: returns of about ±2.3 %, whatever the order the venues' prints arrive in.
        for (String px : new String[]{"900.00", "880.00", "900.00", "880.00"}) {
            h.sim.printTrade("NVDA", new BigDecimal(px), BigDecimal.TEN);
        }
        h.awaitReport("ec-vol", r -> r.path("status").asText().equals("filled"));
        String trigger = h.plan("ec-vol").path("progress").path("trigger_detail").asText();
        assertThat(trigger).contains("volatility=");
        assertThat(h.plan("ec-vol").path("state").asText()).isEqualTo("filled");
    }

    @Test
    void conditionsAlreadyMetEnterAtOnce() {
        ObjectNode plan = Plans.market("ec-met", "AAPL", "long");
        plan.putObject("entry_conditions").put("price_below", 1000.00).put("price_above", 10.00);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        h.awaitReport("ec-met", r -> r.path("status").asText().equals("filled"));
        assertThat(h.plan("ec-met").path("state").asText()).isEqualTo("filled");
    }

    @Test
    void validUntilPassingWhileWaitingCancelsThePlan() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode plan = Plans.market("ec-expire", "AAPL", "long");
        plan.putObject("entry_conditions").put("price_above", 1000.00);
        plan.put("created_at", now.minusSeconds(5).toString());
        plan.put("valid_until", now.plusSeconds(3).toString());
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        assertThat(h.plan("ec-expire").path("state").asText()).isEqualTo("pending_entry");

        JsonNode cancelled = h.awaitReport("ec-expire", r -> r.path("status").asText().equals("cancelled"));
        assertThat(cancelled.path("error_message").asText()).contains("valid_until").contains("passed");
        assertThat(cancelled.path("executed_quantity").decimalValue()).isZero();
        assertThat(Instant.parse(cancelled.path("created_at").asText())).isAfterOrEqualTo(now.plusSeconds(3));
        JsonNode view = h.plan("ec-expire");
        assertThat(view.path("state").asText()).isEqualTo("cancelled");
        assertThat(view.path("orders")).isEmpty();
        assertThat(h.reportsOf("ec-expire")).hasSize(1);
    }

    /**
     * Once the gateway's view of {@code symbol}'s market ({@code GET /v1/market/{symbol}}) shows it has received what
     * the test just moved ({@code seen}), the plan is seen waiting (no order) for {@link #STAYS} without interruption:
     * the condition was evaluated against the new market and did not fire. Returns that market view.
     */
    private static JsonNode assertStaysPending(String planId, String symbol, Predicate<JsonNode> seen) {
        JsonNode market = h.awaitMarket(symbol, seen);
        await().during(STAYS).atMost(STAYS.plus(GatewayHarness.WAIT)).until(() -> {
            JsonNode view = h.plan(planId);
            return view.path("state").asText().equals("pending_entry") && view.path("orders").isEmpty();
        });
        return market;
    }

    /** The gateway's condition price is within a cent or so of {@code mid} (books rounded to the tick). */
    private static Predicate<JsonNode> priceNear(String mid) {
        return v -> v.path("price").isNumber()
                && v.path("price").decimalValue().subtract(new BigDecimal(mid)).abs().compareTo(new BigDecimal("0.05")) <= 0;
    }

    /** The {@code volume=} figure of a trigger detail ("entry conditions met {price=.., volume=.., ...}"). */
    private static BigDecimal volumeIn(String trigger) {
        int at = trigger.indexOf("volume=") + "volume=".length();
        int end = trigger.indexOf(',', at);
        return new BigDecimal(trigger.substring(at, end < 0 ? trigger.indexOf('}', at) : end).trim());
    }
}
