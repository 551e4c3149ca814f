package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.report.Json;
import io.tradergateway.simvenue.ScriptedOutcome;
import io.tradergateway.simvenue.VenueProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Venue choice and venue learning end to end over FIX: eligibility (session, listing, preferences), failover after a
 * venue reject, the chosen venue's score in the reports, learned stats that move the flow away from a bad venue and
 * survive a restart, and a report whose review is derived from a measured (slow) latency.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VenueLearningSystemTest {
    /** A venue nothing is known about, with full depth: 0.3·1 + 0.2·0.5 + 0.2·0.5 + 0.3·0.8 (routing priors). */
    private static final double FRESH_VENUE_SCORE = 0.74;

    @TempDir
    Path dir;
    GatewayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    private void startPredictable() {
        h = GatewayHarness.start(dir, sim -> sim.withEveryProfile(VenueProfile::predictable), gw -> gw);
    }

    @Test
    void routingSkipsVenuesThatCannotTradeAndFollowsPreferences() {
        startPredictable();

        // SIM_FAST does not list NVDA: the first preference is skipped for the second.
        JsonNode nvda = fill("route-nvda", "NVDA", List.of("SIM_FAST", "SIM_DEEP"));
        assertThat(nvda.path("venue").asText()).isEqualTo("SIM_DEEP");
        assertThat(nvda.path("venue_score").asDouble()).isCloseTo(FRESH_VENUE_SCORE, within(1e-9));
        assertThat(newOrders("SIM_FAST")).isZero();

        // Preferences order the candidates: SIM_FAST first although SIM_CHEAP wins an unpreferred tie by name, and
        // SIM_DEEP (now the best scored, proven venue) is not allowed by this plan.
        JsonNode preferred = fill("route-pref", "AAPL", List.of("SIM_FAST", "SIM_CHEAP"));
        assertThat(preferred.path("venue").asText()).isEqualTo("SIM_FAST");
        assertThat(preferred.path("venue_score").asDouble()).isCloseTo(FRESH_VENUE_SCORE, within(1e-9));
        JsonNode order = h.plan("route-pref").path("orders").get(0);
        assertThat(order.path("venue_score").asDouble()).isEqualTo(preferred.path("venue_score").asDouble());

        // GET /v1/venues scores each venue for a nominal order (100 shares, 50 bps, 1000 ms): SIM_CHEAP is still
        // fresh (0.74, ranked last behind the two venues that have filled), SIM_FAST lists no NVDA so has no score.
        JsonNode cheapAapl = score(venue("SIM_CHEAP"), "AAPL");
        assertThat(cheapAapl.path("total").asDouble()).isCloseTo(FRESH_VENUE_SCORE, within(1e-9));
        assertThat(cheapAapl.path("rank").asInt()).isEqualTo(3);
        assertThat(venue("SIM_FAST").path("scores").findValuesAsText("symbol")).doesNotContain("NVDA");
        assertThat(venue("SIM_DEEP").path("learned").path("sample_count").asLong()).isEqualTo(1);

        // No preference: the ranking decides, and a proven venue beats the fresh one that would win a tie by name.
        JsonNode free = fill("route-free", "AAPL", List.of());
        assertThat(free.path("venue").asText()).isIn("SIM_DEEP", "SIM_FAST");
        assertThat(free.path("venue_score").asDouble()).isGreaterThan(FRESH_VENUE_SCORE);

        // Only preferred venues that cannot trade the symbol: the plan fails with the reason, nothing is sent.
        ObjectNode nowhere = Plans.market("route-none", "NVDA", "long");
        nowhere.putArray("venue_preferences").add("SIM_FAST");
        assertThat(h.post("/v1/plans", nowhere).status()).isIn(202, 422);
        JsonNode failed = h.awaitReport("route-none", r -> r.path("status").asText().equals("failed"));
        assertThat(failed.path("error_message").asText()).contains("SIM_FAST").contains("does not list");
        assertThat(h.plan("route-none").path("orders")).isEmpty();

        // A venue whose session is down is skipped (and GET /v1/venues says why).
        h.sim.dropSession("SIM_CHEAP");
        await().atMost(GatewayHarness.WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> !h.app.sessionStates().get("SIM_CHEAP"));
        JsonNode cheapDown = venue("SIM_CHEAP");
        assertThat(cheapDown.path("session").asText()).isEqualTo("disconnected");
        assertThat(score(cheapDown, "AAPL").path("excluded").asText()).isEqualTo("FIX session is down");
        ObjectNode plan = Plans.market("route-down", "AAPL", "long");
        plan.putArray("venue_preferences").add("SIM_CHEAP").add("SIM_FAST");
        int cheapOrdersBefore = newOrders("SIM_CHEAP");
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        JsonNode down = h.awaitReport("route-down", r -> r.path("status").asText().equals("filled"));
        assertThat(down.path("venue").asText()).isEqualTo("SIM_FAST");
        assertThat(newOrders("SIM_CHEAP")).isEqualTo(cheapOrdersBefore);
        // The initiator logs on again by itself.
        h.awaitReady();
    }

    @Test
    void aVenueRejectFailsOverOnceToTheNextVenue() {
        startPredictable();
        h.sim.setRejectRate("SIM_FAST", 1.0);

        JsonNode filled = fill("fo-1", "AAPL", List.of("SIM_FAST", "SIM_DEEP"));
        assertThat(filled.path("venue").asText()).isEqualTo("SIM_DEEP");
        JsonNode orders = h.plan("fo-1").path("orders");
        assertThat(orders).hasSize(2);
        assertThat(orders.get(0).path("venue").asText()).isEqualTo("SIM_FAST");
        assertThat(orders.get(0).path("status").asText()).isEqualTo("REJECTED");
        assertThat(orders.get(1).path("venue").asText()).isEqualTo("SIM_DEEP");
        assertThat(orders.get(1).path("status").asText()).isEqualTo("FILLED");
        assertThat(h.reportsOf("fo-1")).noneMatch(r -> r.path("status").asText().equals("failed"));

        // Both allowed venues reject: one failover only, then a failed report naming the reject.
        h.sim.setRejectRate("SIM_DEEP", 1.0);
        ObjectNode plan = Plans.market("fo-2", "AAPL", "long");
        plan.putArray("venue_preferences").add("SIM_DEEP").add("SIM_FAST");
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        JsonNode failed = h.awaitReport("fo-2", r -> r.path("status").asText().equals("failed"));
        assertThat(failed.path("error_message").asText()).contains("rejected");
        h.awaitPlanState("fo-2", "failed");
        JsonNode tried = h.plan("fo-2").path("orders");
        assertThat(tried).hasSize(2);
        assertThat(List.of(tried.get(0).path("venue").asText(), tried.get(1).path("venue").asText()))
                .containsExactlyInAnyOrder("SIM_DEEP", "SIM_FAST");
        assertThat(h.position("AAPL").path("quantity").decimalValue())
                .isEqualByComparingTo(filled.path("cumulative_quantity").decimalValue());
    }

    @Test
    void aVenueThatRejectsLosesTheFlowAndTheLessonSurvivesARestart() throws Exception {
        startPredictable();
        h.sim.setRejectRate("SIM_CHEAP", 1.0);

        List<String> venues = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            venues.add(fill("learn-" + i, "AAPL", List.of()).path("venue").asText());
        }
        // Plan 1 went to SIM_CHEAP (every venue fresh: the tie goes by name), was rejected and failed over; from then
        // on SIM_CHEAP's learned success rate keeps it last.
        assertThat(newOrders("SIM_CHEAP")).isEqualTo(1);
        assertThat(venues).doesNotContain("SIM_CHEAP");
        assertThat(venues.subList(4, 8)).allMatch(v -> v.equals("SIM_DEEP") || v.equals("SIM_FAST"));

        JsonNode cheap = venue("SIM_CHEAP");
        assertThat(cheap.path("learned").path("sample_count").asLong()).isEqualTo(1);
        assertThat(cheap.path("learned").path("success_rate").asDouble()).isZero();
        JsonNode cheapAapl = score(cheap, "AAPL");
        // The score's success component is the learned 0 faded towards the 0.8 prior by the few seconds since the
        // reject (half-life 30 minutes): still all but 0.
        assertThat(cheapAapl.path("success").asDouble()).isCloseTo(0.0, within(0.01));
        assertThat(cheapAapl.path("evidence_weight").asDouble()).isGreaterThan(0.99);
        assertThat(cheapAapl.path("rank").asInt()).isEqualTo(3);
        Map<String, Long> samplesBefore = sampleCounts();
        assertThat(samplesBefore.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(9);

        // The stats are rows in H2 (one per venue), read here with the gateway stopped.
        h.app.close();
        Map<String, String> stored = new HashMap<>();
        try (Connection c = DriverManager.getConnection(h.config.dbUrl(), h.config.dbUser(), h.config.dbPassword());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT venue, stats_json FROM venue_stats")) {
            while (rs.next()) stored.put(rs.getString("venue"), rs.getString("stats_json"));
        }
        assertThat(stored).containsKeys("SIM_CHEAP", "SIM_DEEP");
        JsonNode cheapRow = Json.MAPPER.readTree(stored.get("SIM_CHEAP"));
        assertThat(cheapRow.path("sampleCount").asLong()).isEqualTo(1);
        assertThat(cheapRow.path("successRate").asDouble()).isZero();
        h.startGateway();

        assertThat(sampleCounts()).isEqualTo(samplesBefore);
        assertThat(venue("SIM_CHEAP").path("learned").path("success_rate").asDouble()).isZero();
        // A gateway that had forgotten would send plan 9 to SIM_CHEAP first (tie by name, as plan 1); this one does not.
        JsonNode ninth = fill("learn-9", "AAPL", List.of());
        assertThat(ninth.path("venue").asText()).isNotEqualTo("SIM_CHEAP");
        assertThat(newOrders("SIM_CHEAP")).isEqualTo(1);
        assertThat(h.plan("learn-9").path("orders")).hasSize(1);
    }

    @Test
    void aVenueThatRejectedIsTriedAgainOnceItsBadRecordHasFaded() {
        // Learned stats lose half their weight every second without a new observation (30 minutes by default).
        h = GatewayHarness.start(dir, sim -> sim.withEveryProfile(VenueProfile::predictable),
                gw -> gw.withVenueStatsHalfLife(Duration.ofSeconds(1)));
        h.sim.setRejectRate("SIM_CHEAP", 1.0);
        // Preferred venues within 0.1 of the best score keep the plan's order, so SIM_CHEAP goes first whenever its
        // score is close to SIM_DEEP's, and second while its record is clearly worse.
        List<String> cheapFirst = List.of("SIM_CHEAP", "SIM_DEEP");

        // Both fresh: SIM_CHEAP first; it rejects, the plan fails over to SIM_DEEP and fills there.
        JsonNode first = fill("fade-1", "AAPL", cheapFirst);
        assertThat(first.path("status").asText()).isEqualTo("filled");
        assertThat(first.path("venue").asText()).isEqualTo("SIM_DEEP");
        assertThat(newOrders("SIM_CHEAP")).isEqualTo(1);

        // Right after, the reject still weighs: SIM_CHEAP (success 0) is far below SIM_DEEP and is skipped.
        JsonNode second = fill("fade-2", "AAPL", cheapFirst);
        assertThat(second.path("venue").asText()).isEqualTo("SIM_DEEP");
        assertThat(newOrders("SIM_CHEAP")).isEqualTo(1);

        // The venue has recovered; without flow its bad record fades towards the priors (the stored averages stay).
        h.sim.setRejectRate("SIM_CHEAP", 0.0);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> score(venue("SIM_CHEAP"), "AAPL").path("evidence_weight").asDouble() < 0.05);
        assertThat(venue("SIM_CHEAP").path("learned").path("success_rate").asDouble()).isZero();

        // Both records have faded close to the priors: the plan's preference decides again, and SIM_CHEAP fills.
        JsonNode third = fill("fade-3", "AAPL", cheapFirst);
        assertThat(third.path("status").asText()).isEqualTo("filled");
        assertThat(third.path("venue").asText()).isEqualTo("SIM_CHEAP");
        assertThat(newOrders("SIM_CHEAP")).isEqualTo(2);
        JsonNode learned = venue("SIM_CHEAP").path("learned");
        assertThat(learned.path("sample_count").asLong()).isEqualTo(2);
        assertThat(learned.path("success_rate").asDouble()).isCloseTo(0.2, within(1e-9)); // 0.2·1 + 0.8·0
    }

    @Test
    void aVenueThatSlipsMoreLosesTheFlowOnceEveryVenueWasTried() {
        // SIM_FAST quotes an 80 bps spread: every buy there pays about 40 bps over the mid.
        h = GatewayHarness.start(dir, sim -> sim.withEveryProfile(VenueProfile::predictable)
                .withProfile("SIM_FAST", p -> p.withSpreadBps(new BigDecimal("80"))), gw -> gw);

        // Exploration: one plan restricted to each venue, so that each has a record.
        for (String venue : List.of("SIM_CHEAP", "SIM_DEEP", "SIM_FAST")) {
            JsonNode r = fill("slip-try-" + venue, "AAPL", List.of(venue));
            assertThat(r.path("venue").asText()).isEqualTo(venue);
        }
        double fastSlippage = venue("SIM_FAST").path("learned").path("avg_slippage").asDouble();
        assertThat(fastSlippage).isGreaterThan(0.003);
        assertThat(venue("SIM_DEEP").path("learned").path("avg_slippage").asDouble()).isLessThan(fastSlippage);
        assertThat(venue("SIM_CHEAP").path("learned").path("avg_slippage").asDouble()).isLessThan(fastSlippage);
        assertThat(score(venue("SIM_FAST"), "AAPL").path("rank").asInt()).isEqualTo(3);

        // Exploitation: free choice goes to the venues that slipped less.
        for (int i = 1; i <= 5; i++) {
            JsonNode r = fill("slip-free-" + i, "AAPL", List.of());
            assertThat(r.path("venue").asText()).as("plan %d", i).isNotEqualTo("SIM_FAST");
        }
        assertThat(newOrders("SIM_FAST")).isEqualTo(1);
    }

    @Test
    void aVenueThatRejectsNowAndThenLosesItsShareOfTheFlowAsItsSuccessRateIsLearned() {
        // SIM_CHEAP rejects 40 % of orders at random (seeded), the others never do. Every plan prefers SIM_CHEAP:
        // preferred venues within 0.1 of the best score keep the plan's order, so SIM_CHEAP gets the flow while its
        // learned success rate (weight 0.3) keeps it within 0.1 of the clean venues, and loses it once it does not.
        // Its first order is scripted to fill, so that it starts with a good record (the first sample sets the
        // average: a first reject would shut it out at once, which the deterministic tests above already cover).
        h = GatewayHarness.start(dir, sim -> sim.withEveryProfile(VenueProfile::predictable)
                .withProfile("SIM_CHEAP", p -> p.withRejectRate(0.4)), gw -> gw);
        // (With seed 42 it takes plans 1-9, rejecting 3 of them, then SIM_DEEP takes the flow; the checks below
        // only rely on the flow moving away, and derive the expected rate from the outcomes SIM_CHEAP really had.)
        h.sim.scriptNext("SIM_CHEAP", ScriptedOutcome.fillAll());
        List<String> cheapFirst = List.of("SIM_CHEAP", "SIM_DEEP", "SIM_FAST");
        int plans = 24;

        List<List<String>> venuesTried = new ArrayList<>();
        List<Double> cheapOutcomes = new ArrayList<>();
        for (int i = 1; i <= plans; i++) {
            String planId = "stat-" + i;
            JsonNode r = fill(planId, "AAPL", cheapFirst);
            assertThat(r.path("status").asText()).as("plan %d (a reject fails over once)", i).isEqualTo("filled");
            List<String> tried = new ArrayList<>();
            for (JsonNode o : h.plan(planId).path("orders")) {
                tried.add(o.path("venue").asText());
                if (o.path("venue").asText().equals("SIM_CHEAP")) {
                    assertThat(o.path("status").asText()).isIn("FILLED", "REJECTED");
                    cheapOutcomes.add(o.path("status").asText().equals("FILLED") ? 1.0 : 0.0);
                }
            }
            venuesTried.add(tried);
        }
        assertThat(cheapOutcomes).as("SIM_CHEAP got some flow and rejected some of it").contains(0.0);

        double firstHalf = share("SIM_CHEAP", venuesTried.subList(0, plans / 2));
        double secondHalf = share("SIM_CHEAP", venuesTried.subList(plans / 2, plans));
        assertThat(firstHalf).isPositive();
        assertThat(secondHalf).as("share of orders in plans 13-24 vs 1-12 (%s)", venuesTried).isLessThan(firstHalf);

        // GET /v1/venues: the learned success rate is the running average (weight venue.stats.alpha, the first sample
        // sets it) of exactly the outcomes SIM_CHEAP had, and the clean venues that got flow never failed.
        JsonNode cheap = venue("SIM_CHEAP").path("learned");
        assertThat(cheap.path("sample_count").asLong()).isEqualTo(cheapOutcomes.size());
        assertThat(cheap.path("success_rate").asDouble())
                .isCloseTo(ewma(cheapOutcomes, h.config.venueStatsAlpha()), within(1e-9))
                .isLessThan(0.8); // below the prior of a venue nobody knows
        for (String clean : List.of("SIM_DEEP", "SIM_FAST")) {
            JsonNode learned = venue(clean).path("learned");
            if (learned.path("sample_count").asLong() > 0) {
                assertThat(learned.path("success_rate").asDouble()).as(clean).isEqualTo(1.0);
            }
        }
        // Its score for the nominal order: the success part is what puts it behind SIM_DEEP, which took its flow.
        JsonNode cheapScore = score(venue("SIM_CHEAP"), "AAPL");
        JsonNode deepScore = score(venue("SIM_DEEP"), "AAPL");
        assertThat(cheapScore.path("success").asDouble()).isLessThan(deepScore.path("success").asDouble());
        assertThat(cheapScore.path("rank").asInt()).isGreaterThan(deepScore.path("rank").asInt());
    }

    @Test
    void aLargeOrderGoesToTheDeepVenueWhileASmallOneStillGoesToTheThinFastOne() {
        // SIM_FAST shows only 2 levels of 20 shares: fast and tight, but thin. SIM_DEEP is deep but slow (150 ms).
        h = GatewayHarness.start(dir, sim -> sim.withEveryProfile(VenueProfile::predictable)
                .withProfile("SIM_FAST", p -> p.withDepthLevels(2).withLevelSize(new BigDecimal("20"))
                        .withLevelSizeGrowth(BigDecimal.ZERO))
                .withProfile("SIM_DEEP", p -> p.withAckLatency(Duration.ofMillis(150))), gw -> gw);
        BigDecimal fastDepth = new BigDecimal("40");

        // Each venue gets a record with a small order (SIM_CHEAP stays fresh, scored on priors, far behind). SIM_DEEP
        // goes first: the very first order of a run is slower end to end (cold code paths) and would blur the latencies.
        for (String v : List.of("SIM_DEEP", "SIM_FAST")) {
            JsonNode r = fill(nominal(Plans.market("depth-try-" + v, "AAPL", "long"), 0.25, List.of(v)));
            assertThat(r.path("venue").asText()).isEqualTo(v);
        }
        JsonNode market = replenishAapl(fastDepth);
        assertThat(offerDepth(market, "SIM_DEEP")).isGreaterThan(new BigDecimal("1000"));

        // GET /v1/venues scores the nominal order (100 shares, 50 bps, 1000 ms): SIM_FAST's 40 shares cover 0.4 of it.
        JsonNode fastScore = score(venue("SIM_FAST"), "AAPL");
        JsonNode deepScore = score(venue("SIM_DEEP"), "AAPL");
        assertThat(fastScore.path("liquidity").asDouble()).isCloseTo(
                fastDepth.doubleValue() / ApiNominal.QUANTITY, within(1e-9));
        assertThat(deepScore.path("liquidity").asDouble()).isEqualTo(1.0);
        // Depth aside, SIM_FAST is the better venue (faster, less slippage).
        double fastWithoutDepth = withoutLiquidity(fastScore);
        double deepWithoutDepth = withoutLiquidity(deepScore);
        assertThat(fastWithoutDepth).isGreaterThan(deepWithoutDepth);

        // A large order (5 % of equity: about 260 shares): SIM_FAST's liquidity is 40 / quantity, and that is what
        // sends it to SIM_DEEP.
        JsonNode large = fill(nominal(Plans.market("depth-large", "AAPL", "long"), 5.0, List.of()));
        BigDecimal largeQty = large.path("cumulative_quantity").decimalValue();
        assertThat(largeQty).isGreaterThan(fastDepth.multiply(BigDecimal.valueOf(5)));
        assertThat(large.path("status").asText()).isEqualTo("filled");
        assertThat(large.path("venue").asText()).isEqualTo("SIM_DEEP");
        double fastForLarge = fastWithoutDepth + 0.3 * Math.min(1, fastDepth.doubleValue() / largeQty.doubleValue());
        double deepForLarge = deepWithoutDepth + 0.3;
        assertThat(large.path("venue_score").asDouble()).isCloseTo(deepForLarge, within(0.005))
                .isGreaterThan(fastForLarge);

        // A small order (0.25 %: about 13 shares) fits in SIM_FAST's book: full liquidity, and the faster venue wins.
        replenishAapl(fastDepth);
        JsonNode small = fill(nominal(Plans.market("depth-small", "AAPL", "long"), 0.25, List.of()));
        assertThat(small.path("cumulative_quantity").decimalValue()).isLessThanOrEqualTo(fastDepth);
        assertThat(small.path("venue").asText()).isEqualTo("SIM_FAST");
        assertThat(small.path("venue_score").asDouble()).isCloseTo(fastWithoutDepth + 0.3, within(0.005));
    }

    @Test
    void slowVenueReportSaysLatencyWasTheProblem() {
        startPredictable();
        h.sim.setAckDelay("SIM_DEEP", Duration.ofMillis(600), Duration.ZERO);

        ObjectNode slowPlan = Plans.market("lat-slow", "AAPL", "long");
        slowPlan.put("max_latency_ms", 200);
        slowPlan.putArray("venue_preferences").add("SIM_DEEP");
        assertThat(h.post("/v1/plans", slowPlan).status()).isEqualTo(202);
        JsonNode slow = h.awaitReport("lat-slow", r -> r.path("status").asText().equals("filled"));

        ObjectNode fastPlan = Plans.market("lat-fast", "AAPL", "long");
        fastPlan.put("max_latency_ms", 200);
        fastPlan.putArray("venue_preferences").add("SIM_FAST");
        assertThat(h.post("/v1/plans", fastPlan).status()).isEqualTo(202);
        JsonNode fast = h.awaitReport("lat-fast", r -> r.path("status").asText().equals("filled"));

        long slowLatency = slow.path("latency_ms").asLong();
        assertThat(slowLatency).isGreaterThanOrEqualTo(600);
        assertThat(texts(slow, "what_didnt_work")).contains("Latency " + slowLatency + " ms exceeded the 200 ms limit");
        assertThat(texts(slow, "lessons_learned")).anyMatch(s -> s.startsWith("SIM_DEEP answered in " + slowLatency + " ms"));
        assertThat(texts(slow, "what_worked")).noneMatch(s -> s.startsWith("Latency"));

        long fastLatency = fast.path("latency_ms").asLong();
        assertThat(fastLatency).isLessThan(200);
        assertThat(texts(fast, "what_worked")).contains("Latency " + fastLatency + " ms within the 200 ms limit");
        assertThat(texts(fast, "what_didnt_work")).noneMatch(s -> s.startsWith("Latency"));

        // 600 ms against 200 ms is past 1.5× the limit: the latency part (weight 0.15) scores 0, so at most 0.85;
        // the fast fill keeps at least half of it (under the limit) and loses nothing else the slow one kept.
        assertThat(slow.path("adherence_score").asDouble()).isLessThanOrEqualTo(0.85);
        assertThat(fast.path("adherence_score").asDouble()).isGreaterThan(slow.path("adherence_score").asDouble() + 0.07);

        // And routing learned it: SIM_DEEP's learned latency is the slow one, and the nominal order (1000 ms) scores it
        // below the fast venue on latency.
        JsonNode deep = venue("SIM_DEEP");
        assertThat(deep.path("learned").path("avg_latency_ms").asDouble()).isGreaterThanOrEqualTo(600);
        assertThat(score(deep, "AAPL").path("latency").asDouble())
                .isLessThan(score(venue("SIM_FAST"), "AAPL").path("latency").asDouble());
    }

    // ---------------------------------------------------------------- helpers

    /** Submits a 1 % long market plan with the given preferences and returns its filled report. */
    private JsonNode fill(String planId, String symbol, List<String> preferences) {
        ObjectNode plan = Plans.market(planId, symbol, "long");
        var prefs = plan.putArray("venue_preferences");
        preferences.forEach(prefs::add);
        return fill(plan);
    }

    /** Submits the plan and returns its filled (or failed) report. */
    private JsonNode fill(ObjectNode plan) {
        String planId = plan.path("plan_id").asText();
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        return h.awaitReport(planId, r -> r.path("status").asText().equals("filled")
                || r.path("status").asText().equals("failed"));
    }

    /**
     * The plan with {@code GET /v1/venues}' nominal limits (max_slippage, max_latency_ms), so that the latency, slippage
     * and success components shown there are the ones routing computes for it; sized at {@code percent} of equity.
     */
    private static ObjectNode nominal(ObjectNode plan, double percent, List<String> preferences) {
        plan.put("position_size", percent).put("max_slippage", ApiNominal.MAX_SLIPPAGE)
                .put("max_latency_ms", ApiNominal.MAX_LATENCY_MS);
        var prefs = plan.putArray("venue_preferences");
        preferences.forEach(prefs::add);
        return plan;
    }

    /** Regenerates every AAPL book (fills ate into them) and waits until the gateway sees SIM_FAST's full depth. */
    private JsonNode replenishAapl(BigDecimal fastDepth) {
        h.sim.setMid("AAPL", h.mid("AAPL"));
        return h.awaitMarket("AAPL", m -> offerDepth(m, "SIM_FAST").compareTo(fastDepth) == 0
                && offerDepth(m, "SIM_DEEP").signum() > 0);
    }

    private static BigDecimal offerDepth(JsonNode market, String venue) {
        for (JsonNode v : market.path("venues")) {
            if (v.path("venue").asText().equals(venue)) return v.path("offer_depth").decimalValue();
        }
        return BigDecimal.ZERO;
    }

    /** A venue's score without its liquidity part (weight 0.3): what it scores for an order its book covers fully. */
    private static double withoutLiquidity(JsonNode score) {
        return score.path("total").asDouble() - 0.3 * score.path("liquidity").asDouble();
    }

    /** The nominal order of {@code GET /v1/venues} (see the response's {@code nominal_order}). */
    private static final class ApiNominal {
        static final double QUANTITY = 100;
        static final double MAX_SLIPPAGE = 0.005;
        static final long MAX_LATENCY_MS = 1000;
    }

    /** The fraction of the orders of these plans that went to {@code venue}. */
    private static double share(String venue, List<List<String>> venuesTried) {
        long total = venuesTried.stream().mapToLong(List::size).sum();
        long at = venuesTried.stream().flatMap(List::stream).filter(venue::equals).count();
        return (double) at / total;
    }

    /** Exponentially weighted average of {@code xs} in order, the first value setting it. */
    private static double ewma(List<Double> xs, double alpha) {
        double avg = xs.get(0);
        for (double x : xs.subList(1, xs.size())) avg = alpha * x + (1 - alpha) * avg;
        return avg;
    }

    private int newOrders(String venue) {
        return (int) h.sim.received(venue).stream().filter(e -> e.isNewOrder()).count();
    }

    private JsonNode venue(String name) {
        for (JsonNode v : h.get("/v1/venues").body().path("venues")) {
            if (v.path("venue").asText().equals(name)) return v;
        }
        throw new AssertionError("no venue " + name + " in GET /v1/venues");
    }

    private static JsonNode score(JsonNode venue, String symbol) {
        for (JsonNode s : venue.path("scores")) {
            if (s.path("symbol").asText().equals(symbol)) return s;
        }
        throw new AssertionError("no score for " + symbol + " in " + venue);
    }

    private Map<String, Long> sampleCounts() {
        Map<String, Long> out = new HashMap<>();
        for (JsonNode v : h.get("/v1/venues").body().path("venues")) {
            out.put(v.path("venue").asText(), v.path("learned").path("sample_count").asLong());
        }
        return out;
    }

    private static List<String> texts(JsonNode report, String field) {
        List<String> out = new ArrayList<>();
        report.path(field).forEach(n -> out.add(n.asText()));
        return out;
    }
}
