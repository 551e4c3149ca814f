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
import java.math.MathContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4 §3–4: limit entries (resting as LIMIT GTD until valid_until, filled when the market crosses, expired
 * otherwise) and TWAP entries (child orders over the duration, residual of a partial slice carried forward).
 * <p>
 * Plans name {@code SIM_DEEP} (no random rejects, no sliced fills) so that what the venue does is what the test
 * scripts; each test owns one symbol of the frozen simulated market.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LimitAndTwapSystemTest {
    private static final String VENUE = "SIM_DEEP";

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

    private static ObjectNode plan(String planId, String symbol, String strategy) {
        ObjectNode plan = Plans.market(planId, symbol, "long");
        plan.put("execution_strategy", strategy);
        plan.putArray("venue_preferences").add(VENUE);
        return plan;
    }

    // ---------------------------------------------------------------- limit

    @Test
    void buyLimitBelowTheMarketRestsThenFillsWhenTheMarketComesDownThroughIt() {
        h.sim.setMid("AAPL", new BigDecimal("190.00"));
        ObjectNode plan = plan("lim-fill", "AAPL", "limit");
        plan.put("entry_price", 188.00);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);

        // Acked and resting at the venue, nothing filled while the market stays above the limit.
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus("lim-fill").equals("NEW"));
        await().during(Duration.ofSeconds(1)).atMost(GatewayHarness.WAIT).until(() ->
                h.plan("lim-fill").path("state").asText().equals("working") && h.firstOrderStatus("lim-fill").equals("NEW"));
        assertThat(h.reportsOf("lim-fill")).isEmpty();
        JsonNode order = h.plan("lim-fill").path("orders").get(0);
        assertThat(order.path("type").asText()).isEqualTo("limit");
        assertThat(order.path("time_in_force").asText()).isEqualTo("GTD");
        assertThat(order.path("limit_price").decimalValue()).isEqualByComparingTo("188.00");
        // Sized at the limit price: floor(1 % × 1,000,000 / 188) = 53.
        assertThat(order.path("quantity").decimalValue()).isEqualByComparingTo("53");
        assertThat(order.path("venue").asText()).isEqualTo(VENUE);

        h.sim.setMid("AAPL", new BigDecimal("187.00"));

        JsonNode filled = h.awaitReport("lim-fill", r -> r.path("status").asText().equals("filled"));
        assertThat(filled.path("cumulative_quantity").decimalValue()).isEqualByComparingTo("53");
        assertThat(filled.path("avg_price").decimalValue()).isLessThanOrEqualTo(new BigDecimal("188.00"));
        assertThat(filled.path("expected_price").decimalValue()).isEqualByComparingTo("188.00");
        assertThat(h.plan("lim-fill").path("state").asText()).isEqualTo("filled");
        assertThat(h.firstOrderStatus("lim-fill")).isEqualTo("FILLED");
    }

    @Test
    void limitNotReachedBeforeValidUntilExpiresAndCancelsThePlan() {
        Instant now = restingMsftLimit("lim-expire", 400.00, 3);

        JsonNode cancelled = h.awaitReport("lim-expire", r -> r.path("status").asText().equals("cancelled"));
        assertThat(cancelled.path("error_message").asText()).containsIgnoringCase("expired");
        assertThat(cancelled.path("cumulative_quantity").decimalValue()).isZero();
        assertThat(cancelled.path("cl_ord_id").asText()).startsWith("TG-");
        assertThat(Instant.parse(cancelled.path("created_at").asText())).isAfterOrEqualTo(now.plusSeconds(3));
        JsonNode view = h.plan("lim-expire");
        assertThat(view.path("state").asText()).isEqualTo("cancelled");
        assertThat(view.path("orders").get(0).path("status").asText()).isIn("EXPIRED", "CANCELED");
        assertThat(h.reportsOf("lim-expire")).hasSize(1);
    }

    @Test
    void limitLeftWorkingPastValidUntilByTheVenueIsCancelledByTheGateway() {
        // The venue keeps GTD orders past their ExpireTime: the gateway's own backstop must end the order.
        h.sim.setHonourExpireTime(VENUE, false);
        try {
            Instant now = restingMsftLimit("lim-backstop", 390.00, 2);

            JsonNode cancelled = h.awaitReport("lim-backstop", r -> r.path("status").asText().equals("cancelled"));
            assertThat(cancelled.path("error_message").asText()).contains("not filled before valid_until");
            assertThat(cancelled.path("cumulative_quantity").decimalValue()).isZero();
            // Sent after valid_until plus the 2 s grace the venue gets to expire the order itself.
            assertThat(Instant.parse(cancelled.path("created_at").asText())).isAfterOrEqualTo(now.plusSeconds(4));
            JsonNode view = h.plan("lim-backstop");
            assertThat(view.path("state").asText()).isEqualTo("cancelled");
            String clOrdId = view.path("orders").get(0).path("cl_ord_id").asText();
            assertThat(view.path("orders").get(0).path("status").asText()).isEqualTo("CANCELED");
            assertThat(h.sim.received(VENUE)).anyMatch(e -> e.msgType().equals("F") && clOrdId.equals(e.origClOrdId()));
            assertThat(h.sim.workingOrders(VENUE)).doesNotContain(clOrdId);
            assertThat(h.reportsOf("lim-backstop")).hasSize(1);
        } finally {
            h.sim.setHonourExpireTime(VENUE, true);
        }
    }

    /** Posts a MSFT buy limit far below the market, valid for {@code validSeconds}, and waits until it rests. */
    private static Instant restingMsftLimit(String planId, double entryPrice, int validSeconds) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode plan = plan(planId, "MSFT", "limit");
        plan.put("entry_price", entryPrice);
        plan.put("created_at", now.minusSeconds(5).toString());
        plan.put("valid_until", now.plusSeconds(validSeconds).toString());
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus(planId).equals("NEW"));
        return now;
    }

    // ---------------------------------------------------------------- TWAP

    @Test
    void twapSendsOneChildPerSliceOverTheDurationAndReportsTheParentFill() {
        ObjectNode plan = plan("twap-4", "TSLA", "twap");
        plan.putObject("execution_params").put("duration_s", 4).put("slices", 4);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);

        JsonNode filled = h.awaitReport("twap-4", r -> r.path("status").asText().equals("filled"));
        JsonNode view = h.plan("twap-4");
        assertThat(view.path("state").asText()).isEqualTo("filled");
        // floor(1 % × 1,000,000 / 245.00) = 40 shares: 4 slices of 10.
        BigDecimal target = view.path("progress").path("target_qty").decimalValue();
        assertThat(target).isEqualByComparingTo("40");
        assertThat(view.path("progress").path("fill_ratio").decimalValue()).isEqualByComparingTo("1");
        List<JsonNode> children = list(view.path("orders"));
        assertThat(children).hasSize(4);
        for (int i = 0; i < 4; i++) {
            JsonNode child = children.get(i);
            assertThat(child.path("slice").asInt()).isEqualTo(i + 1);
            assertThat(child.path("quantity").decimalValue()).isEqualByComparingTo("10");
            assertThat(child.path("type").asText()).isEqualTo("limit");
            assertThat(child.path("time_in_force").asText()).isEqualTo("IOC");
            assertThat(child.path("status").asText()).isEqualTo("FILLED");
        }
        assertSlicesSpreadOverTheDuration("twap-4");

        // Parent-level reports: one per fill, cumulative against the parent's quantity, the last one "filled".
        List<JsonNode> reports = h.reportsOf("twap-4");
        assertThat(reports).hasSize(4);
        assertThat(reports.subList(0, 3)).allMatch(r -> r.path("status").asText().equals("partial"));
        BigDecimal cum = BigDecimal.ZERO;
        for (JsonNode r : reports) {
            cum = cum.add(r.path("executed_quantity").decimalValue());
            assertThat(r.path("cumulative_quantity").decimalValue()).isEqualByComparingTo(cum);
            assertThat(r.path("order_quantity").decimalValue()).isEqualByComparingTo(target);
        }
        assertThat(filled.path("cumulative_quantity").decimalValue()).isEqualByComparingTo(target);
        assertThat(filled.path("avg_price").decimalValue()).isCloseTo(parentAverage(children), within(new BigDecimal("0.0001")));
        assertThat(filled.path("position_after").path("quantity").decimalValue()).isEqualByComparingTo(target);
    }

    @Test
    void aPartiallyFilledSliceCarriesItsResidualIntoTheNextSlice() {
        h.sim.scriptNext(VENUE, ScriptedOutcome.partial(new BigDecimal("3")));
        ObjectNode plan = plan("twap-partial", "SPY", "twap");
        plan.put("position_size", 2.0);
        plan.putObject("execution_params").put("duration_s", 4).put("slices", 4);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);

        JsonNode filled = h.awaitReport("twap-partial", r -> r.path("status").asText().equals("filled"));
        JsonNode view = h.plan("twap-partial");
        // floor(2 % × 1,000,000 / 520.00) = 38; planned cumulative 9, 19, 28, 38.
        assertThat(view.path("progress").path("target_qty").decimalValue()).isEqualByComparingTo("38");
        List<JsonNode> children = list(view.path("orders"));
        assertThat(children).hasSize(4);
        // Slice 1: 9 sent, 3 filled, the IOC remainder cancelled by the venue.
        assertThat(children.get(0).path("quantity").decimalValue()).isEqualByComparingTo("9");
        assertThat(children.get(0).path("cum_qty").decimalValue()).isEqualByComparingTo("3");
        assertThat(children.get(0).path("status").asText()).isEqualTo("CANCELED");
        // Slice 2 carries the 6 missing: 19 − 3 = 16; then 28 − 19 = 9 and 38 − 28 = 10.
        assertThat(children.get(1).path("quantity").decimalValue()).isEqualByComparingTo("16");
        assertThat(children.get(2).path("quantity").decimalValue()).isEqualByComparingTo("9");
        assertThat(children.get(3).path("quantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(children.subList(1, 4)).allMatch(c -> c.path("status").asText().equals("FILLED"));

        assertThat(filled.path("cumulative_quantity").decimalValue()).isEqualByComparingTo("38");
        assertThat(filled.path("avg_price").decimalValue()).isCloseTo(parentAverage(children), within(new BigDecimal("0.0001")));
        assertThat(h.position("SPY").path("quantity").decimalValue()).isEqualByComparingTo("38");
        assertThat(view.path("state").asText()).isEqualTo("filled");
        List<JsonNode> reports = h.reportsOf("twap-partial");
        assertThat(reports.get(0).path("status").asText()).isEqualTo("partial");
        assertThat(reports.get(0).path("executed_quantity").decimalValue()).isEqualByComparingTo("3");
        assertThat(reports).filteredOn(r -> r.path("status").asText().equals("filled")).hasSize(1);
    }

    @Test
    void aShortLastSliceEndsTheEntryWithWhatFilled() {
        // Slices 1-3 fill in full, the last one only 5 of its 12: nothing is left in the schedule to carry it to.
        for (int i = 0; i < 3; i++) h.sim.scriptNext(VENUE, ScriptedOutcome.fillAll());
        h.sim.scriptNext(VENUE, ScriptedOutcome.partial(new BigDecimal("5")));
        ObjectNode plan = plan("twap-short-end", "NVDA", "twap");
        plan.put("position_size", 4.0);
        plan.putObject("execution_params").put("duration_s", 4).put("slices", 4);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);

        JsonNode ended = h.awaitReport("twap-short-end", r -> r.path("status").asText().equals("cancelled"));
        JsonNode view = h.plan("twap-short-end");
        // floor(4 % × 1,000,000 / 880.00) = 45; planned cumulative 11, 22, 33, 45: slices of 11, 11, 11, 12.
        assertThat(view.path("progress").path("target_qty").decimalValue()).isEqualByComparingTo("45");
        List<JsonNode> children = list(view.path("orders"));
        assertThat(children).extracting(c -> c.path("quantity").decimalValue().intValueExact()).containsExactly(11, 11, 11, 12);
        assertThat(children.get(3).path("cum_qty").decimalValue()).isEqualByComparingTo("5");
        // 33 + 5 = 38 of 45: the plan ends with exactly what filled, said so in a cancelled report.
        assertThat(ended.path("cumulative_quantity").decimalValue()).isEqualByComparingTo("38");
        assertThat(ended.path("error_message").asText()).contains("38 of 45");
        assertThat(h.position("NVDA").path("quantity").decimalValue()).isEqualByComparingTo("38");
        // "filled" here means the entry is over with something filled, not all of it: the parent's fill ratio says how much.
        assertThat(view.path("state").asText()).isEqualTo("filled");
        assertThat(view.path("progress").path("fill_ratio").decimalValue()).isEqualByComparingTo("0.8444"); // 38 / 45
        assertThat(h.reportsOf("twap-short-end")).extracting(r -> r.path("status").asText())
                .containsExactly("partial", "partial", "partial", "partial", "cancelled");
    }

    @Test
    void entriesArePricedOffTheCurrentBookNotAnOldTrade() {
        // The last MSFT trade is our own fill at about 415; then the market moves to 430 without trading.
        assertThat(h.post("/v1/plans", plan("twap-moved-seed", "MSFT", "market")).status()).isEqualTo(202);
        h.awaitReport("twap-moved-seed", r -> r.path("status").asText().equals("filled"));
        h.sim.setMid("MSFT", new BigDecimal("430.00"));
        BigDecimal marketNow = new BigDecimal("430.00");
        // Every venue's new book has reached the gateway (a venue still at 415 would pull the consolidated mid down).
        await().atMost(GatewayHarness.WAIT).until(() -> {
            JsonNode position = h.position("MSFT");
            return position != null && !position.path("mark_price").isNull()
                    && position.path("mark_price").decimalValue().subtract(marketNow).abs().compareTo(new BigDecimal("0.05")) <= 0;
        });
        ObjectNode plan = plan("twap-moved", "MSFT", "twap");
        plan.putObject("execution_params").put("duration_s", 2).put("slices", 2);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);

        // Children capped at max_slippage (1 %) from 415 could never reach the 430 offers: nothing would fill.
        JsonNode filled = h.awaitReport("twap-moved", r -> r.path("status").asText().equals("filled"));
        assertThat(filled.path("expected_price").decimalValue()).isCloseTo(marketNow, within(new BigDecimal("0.5")));
        // Sized at the current price: floor(10,000 / 430) = 23.
        assertThat(filled.path("cumulative_quantity").decimalValue()).isEqualByComparingTo("23");
        assertThat(filled.path("slippage").decimalValue().abs()).isLessThan(new BigDecimal("0.001"));
        for (JsonNode child : list(h.plan("twap-moved").path("orders"))) {
            assertThat(child.path("limit_price").decimalValue()).isGreaterThan(marketNow);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        out.sort((a, b) -> Integer.compare(a.path("slice").asInt(), b.path("slice").asInt()));
        return out;
    }

    /** Quantity-weighted average of the children's own averages. */
    private static BigDecimal parentAverage(List<JsonNode> children) {
        BigDecimal qty = BigDecimal.ZERO;
        BigDecimal notional = BigDecimal.ZERO;
        for (JsonNode c : children) {
            qty = qty.add(c.path("cum_qty").decimalValue());
            notional = notional.add(c.path("cum_qty").decimalValue().multiply(c.path("avg_px").decimalValue()));
        }
        return notional.divide(qty, MathContext.DECIMAL64);
    }

    /** Children arrive at the venue about one interval (duration / slices = 1 s) apart, on the engine's 250 ms tick. */
    private static void assertSlicesSpreadOverTheDuration(String planId) {
        List<String> ids = list(h.plan(planId).path("orders")).stream().map(o -> o.path("cl_ord_id").asText()).toList();
        List<Instant> arrivals = h.sim.received(VENUE).stream().filter(SimOrderEvent::isNewOrder)
                .filter(e -> ids.contains(e.clOrdId())).map(SimOrderEvent::receivedAt).toList();
        assertThat(arrivals).hasSize(ids.size());
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat(Duration.between(arrivals.get(i - 1), arrivals.get(i))).isBetween(Duration.ofMillis(700),
                    Duration.ofMillis(2000));
        }
    }
}
