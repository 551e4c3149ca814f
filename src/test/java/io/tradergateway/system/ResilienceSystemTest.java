package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.simvenue.SimExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Correct across restarts and disconnects, over real FIX against the simulated venue: an order that never reached its
 * venue, a TWAP, a pending entry and a resting order each interrupted by a gateway restart, and a cancel reject that
 * overtakes the fill it speaks of; and a journal kept in a folder of its own ({@code journal.dir}).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ResilienceSystemTest {
    private static final String DEEP = "SIM_DEEP";

    @TempDir
    Path dir;
    GatewayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    // ---------------------------------------------------------------- 1. committed, never reached the venue

    @Test
    void anOrderLostWithADroppedConnectionIsSettledByTheStatusRequestAndFailsOverToAnotherVenue() {
        JsonNode lost = postWithItsOrderLost(Plans.market("lost-drop", "AAPL", "long"));
        String venue = lost.path("venue").asText();

        h.sim.dropSession(venue);
        assertNeverPlacedThenFilledElsewhere("lost-drop", lost.path("cl_ord_id").asText(), venue);
    }

    @Test
    void anOrderCommittedBeforeACrashButNeverAtTheVenueIsSettledAfterTheRestartAndFailsOver() {
        JsonNode lost = postWithItsOrderLost(Plans.market("lost-crash", "AAPL", "long"));

        h.restartGateway();
        assertNeverPlacedThenFilledElsewhere("lost-crash", lost.path("cl_ord_id").asText(), lost.path("venue").asText());
    }

    @Test
    void anOrderNeverPlacedWithNoOtherVenueAllowedFailsThePlanWithAReason() {
        String clOrdId = postWithItsOrderLost(Plans.limit("lost-only", "MSFT", "long", 400.00, DEEP)).path("cl_ord_id").asText();

        h.restartGateway();
        JsonNode failed = h.awaitReport("lost-only", r -> r.path("status").asText().equals("failed"));
        assertThat(failed.path("cl_ord_id").asText()).isEqualTo(clOrdId);
        assertThat(failed.path("error_message").asText()).contains("never placed").contains("unknown order");
        assertThat(failed.path("executed_quantity").decimalValue()).isZero();
        assertThat(h.plan("lost-only").path("state").asText()).isEqualTo("failed");
        assertThat(h.plan("lost-only").path("orders")).singleElement()
                .satisfies(o -> assertThat(o.path("status").asText()).isEqualTo("REJECTED"));
        assertThat(h.reportsOf("lost-only")).extracting(r -> r.path("status").asText()).containsExactly("failed");
        assertFlat("MSFT");
    }

    @Test
    void anOrderNeverPlacedIsNotFailedOverOncePastValidUntil() {
        ObjectNode plan = Plans.market("lost-late", "AAPL", "long");
        Instant validUntil = Instant.now().plusSeconds(4);
        plan.put("valid_until", validUntil.toString());
        JsonNode lost = postWithItsOrderLost(plan);

        h.app.close();
        await().atMost(GatewayHarness.WAIT).until(() -> Instant.now().isAfter(validUntil));
        h.startGateway();
        JsonNode failed = h.awaitReport("lost-late", r -> r.path("status").asText().equals("failed"));
        assertThat(failed.path("error_message").asText()).contains("never placed");
        assertThat(h.plan("lost-late").path("orders")).singleElement()
                .satisfies(o -> assertThat(o.path("cl_ord_id").asText()).isEqualTo(lost.path("cl_ord_id").asText()));
        assertFlat("AAPL");
    }

    /** Starts the gateway, posts the plan with the venue set to lose the next NewOrderSingle, returns that order. */
    private JsonNode postWithItsOrderLost(ObjectNode plan) {
        h = GatewayHarness.start(dir);
        h.sim.loseNextNewOrder();
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        String planId = plan.path("plan_id").asText();
        await().atMost(GatewayHarness.WAIT).until(() -> !h.plan(planId).path("orders").isEmpty());
        JsonNode order = h.plan(planId).path("orders").get(0);
        assertThat(order.path("status").asText()).isEqualTo("PENDING_NEW");
        return order;
    }

    private void assertNeverPlacedThenFilledElsewhere(String planId, String lostId, String lostVenue) {
        JsonNode filled = h.awaitReport(planId, r -> r.path("status").asText().equals("filled"));
        JsonNode view = h.plan(planId);
        assertThat(view.path("state").asText()).isEqualTo("filled");
        List<JsonNode> orders = GatewayHarness.list(view.path("orders"));
        assertThat(orders).hasSize(2);
        assertThat(orders.get(0).path("cl_ord_id").asText()).isEqualTo(lostId);
        assertThat(orders.get(0).path("status").asText()).isEqualTo("REJECTED");
        assertThat(orders.get(0).path("text").asText()).contains("never placed").contains("unknown order");
        assertThat(orders.get(0).path("cum_qty").decimalValue()).isZero();
        assertThat(orders.get(1).path("venue").asText()).isNotEqualTo(lostVenue);
        assertThat(orders.get(1).path("status").asText()).isEqualTo("FILLED");
        // The venue never saw the order; the gateway asked about it and got the unknown-order answer.
        assertThat(h.sim.received(lostVenue)).noneMatch(e -> e.msgType().equals("D") && lostId.equals(e.clOrdId()));
        assertThat(h.sim.received(lostVenue)).anyMatch(e -> e.msgType().equals("H") && lostId.equals(e.clOrdId()));
        // Only the failover's fill counts.
        BigDecimal target = view.path("progress").path("target_qty").decimalValue();
        assertThat(filled.path("cumulative_quantity").decimalValue()).isEqualByComparingTo(target);
        assertThat(filled.path("cl_ord_id").asText()).isEqualTo(orders.get(1).path("cl_ord_id").asText());
        assertThat(h.position("AAPL").path("quantity").decimalValue()).isEqualByComparingTo(target);
        assertThat(h.reportsOf(planId)).extracting(r -> r.path("status").asText()).containsExactly("filled");
        // An order the venue never saw teaches nothing about the venue.
        assertThat(GatewayHarness.list(h.get("/v1/venues").body().path("venues")))
                .filteredOn(v -> v.path("venue").asText().equals(lostVenue)).singleElement()
                .satisfies(v -> assertThat(v.path("learned").path("sample_count").asLong()).isZero());
    }

    // ---------------------------------------------------------------- 2. TWAP across a restart

    @Test
    void aTwapInterruptedByARestartCatchesUpAndNeverExceedsTheParentQuantity() {
        h = GatewayHarness.start(dir);
        h.sim.venues().forEach(v -> h.sim.setRejectRate(v, 0)); // a seeded random reject would add a failover child
        ObjectNode plan = Plans.market("twap-restart", "TSLA", "long");
        plan.put("execution_strategy", "twap");
        plan.putObject("execution_params").put("duration_s", 8).put("slices", 4);
        Instant posted = Instant.now();
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        // floor(1 % × 1,000,000 / 245.00) = 40: slices of 10 due every 2 s.
        await().atMost(GatewayHarness.WAIT).until(() -> h.plan("twap-restart").path("progress").path("filled_qty").decimalValue().signum() > 0);

        h.app.close();
        // Down past the third slice's due time (4 s after the start): slices 2 and 3 are overdue at the restart.
        await().atMost(GatewayHarness.WAIT).until(() -> Instant.now().isAfter(posted.plusSeconds(5)));
        h.startGateway();

        JsonNode filled = h.awaitReport("twap-restart", r -> r.path("status").asText().equals("filled"));
        JsonNode view = h.plan("twap-restart");
        assertThat(view.path("state").asText()).isEqualTo("filled");
        BigDecimal target = view.path("progress").path("target_qty").decimalValue();
        assertThat(target).isEqualByComparingTo("40");
        assertThat(filled.path("cumulative_quantity").decimalValue()).isEqualByComparingTo(target);

        List<JsonNode> children = GatewayHarness.list(view.path("orders"));
        // Slice 1 before the restart, then one child for everything due by the time the gateway was back (and, if the
        // restart was quick, the last slice on schedule): never one child per overdue slice.
        assertThat(children.size()).isBetween(2, 3);
        assertThat(children.stream().map(c -> c.path("slice").asInt())).doesNotHaveDuplicates();
        assertThat(children).allSatisfy(c -> assertThat(c.path("status").asText()).isEqualTo("FILLED"));
        // The overdue slices went as one catch-up child, not as a burst.
        assertThat(children).anySatisfy(c -> assertThat(c.path("quantity").decimalValue()).isGreaterThanOrEqualTo(new BigDecimal("20")));
        BigDecimal sentToVenues = BigDecimal.ZERO;
        BigDecimal bookedHere = BigDecimal.ZERO;
        BigDecimal executedAtVenues = BigDecimal.ZERO;
        for (JsonNode child : children) {
            sentToVenues = sentToVenues.add(child.path("quantity").decimalValue());
            bookedHere = bookedHere.add(child.path("cum_qty").decimalValue());
            executedAtVenues = executedAtVenues.add(venueExecuted(child.path("venue").asText(), child.path("cl_ord_id").asText()));
        }
        assertThat(sentToVenues).isEqualByComparingTo(target);
        assertThat(bookedHere).isEqualByComparingTo(target);
        assertThat(executedAtVenues).isEqualByComparingTo(target);
        assertThat(h.position("TSLA").path("quantity").decimalValue()).isEqualByComparingTo(target);
        BigDecimal reported = h.reportsOf("twap-restart").stream().map(r -> r.path("executed_quantity").decimalValue())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(reported).isEqualByComparingTo(target);
    }

    // ---------------------------------------------------------------- 3. pending entry across a restart

    @Test
    void aPendingEntrySurvivesARestartAndStillTriggers() {
        h = GatewayHarness.start(dir);
        ObjectNode plan = Plans.market("pending-restart", "MSFT", "long");
        plan.putObject("entry_conditions").put("price_above", 420.00);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        assertThat(h.plan("pending-restart").path("state").asText()).isEqualTo("pending_entry");

        h.restartGateway();
        assertThat(h.plan("pending-restart").path("state").asText()).isEqualTo("pending_entry");
        assertThat(h.plan("pending-restart").path("orders")).isEmpty();
        h.moveMarket("MSFT", "421.00");
        JsonNode filled = h.awaitReport("pending-restart", r -> r.path("status").asText().equals("filled"));
        assertThat(h.plan("pending-restart").path("state").asText()).isEqualTo("filled");
        assertThat(h.plan("pending-restart").path("orders")).hasSize(1);
        assertThat(h.position("MSFT").path("quantity").decimalValue()).isEqualByComparingTo(filled.path("cumulative_quantity").decimalValue());
    }

    @Test
    void aPendingEntryWhoseValidUntilPassesDuringTheRestartExpiresAfterIt() {
        h = GatewayHarness.start(dir);
        ObjectNode plan = Plans.market("pending-expire", "MSFT", "long");
        plan.putObject("entry_conditions").put("price_above", 420.00);
        Instant validUntil = Instant.now().plusSeconds(4);
        plan.put("valid_until", validUntil.toString());
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);

        h.app.close();
        await().atMost(GatewayHarness.WAIT).until(() -> Instant.now().isAfter(validUntil));
        h.startGateway();
        JsonNode cancelled = h.awaitReport("pending-expire", r -> r.path("status").asText().equals("cancelled"));
        assertThat(cancelled.path("error_message").asText()).contains("valid_until");
        assertThat(h.plan("pending-expire").path("state").asText()).isEqualTo("cancelled");
        // A price that would have met the condition no longer enters it.
        h.moveMarket("MSFT", "421.00");
        await().atMost(GatewayHarness.WAIT).until(() -> h.market("MSFT").path("last_trade_price").decimalValue().compareTo(new BigDecimal("421")) == 0);
        assertThat(h.plan("pending-expire").path("orders")).isEmpty();
        assertThat(h.reportsOf("pending-expire")).hasSize(1);
    }

    // ---------------------------------------------------------------- 4. resting order filled while down, then exits

    @Test
    void aRestingLimitFilledWhileDownIsBookedOnceAndItsStopLossFiresAfterTheRestart() {
        h = GatewayHarness.start(dir);
        ObjectNode plan = Plans.limit("rest-stop", "MSFT", "long", 400.00, DEEP);
        plan.put("stop_loss", 390.00);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus("rest-stop").equals("NEW"));
        String clOrdId = h.plan("rest-stop").path("orders").get(0).path("cl_ord_id").asText();

        h.app.close();
        await().atMost(GatewayHarness.WAIT).until(() -> !h.sim.isLoggedOn(DEEP));
        h.sim.setMid("MSFT", new BigDecimal("395.00"));
        await().atMost(GatewayHarness.WAIT).until(() -> venueExecuted(DEEP, clOrdId).compareTo(new BigDecimal("25")) == 0);
        h.startGateway();

        h.awaitPlanState("rest-stop", "open");
        List<JsonNode> entryFills = h.reportsOf("rest-stop").stream().filter(r -> r.path("leg").asText().equals("entry")).toList();
        assertThat(entryFills).extracting(r -> r.path("status").asText()).containsExactly("filled");
        assertThat(h.position("MSFT").path("quantity").decimalValue()).isEqualByComparingTo("25");

        h.moveMarket("MSFT", "389.00");
        JsonNode exit = h.awaitReport("rest-stop", r -> r.path("leg").asText().equals("exit") && r.path("status").asText().equals("filled"));
        assertThat(exit.path("exit_reason").asText()).isEqualTo("stop_loss");
        assertThat(exit.path("executed_quantity").decimalValue()).isEqualByComparingTo("25");
        h.awaitPlanState("rest-stop", "closed");
        assertFlat("MSFT");
        assertThat(h.reportsOf("rest-stop").stream().filter(r -> r.path("leg").asText().equals("entry"))).hasSize(1);
    }

    // ---------------------------------------------------------------- 5. a cancel reject that overtakes the fill

    @Test
    void aCancelRejectSayingFilledBeforeTheFillReportWaitsForTheFillAndBooksItNormally() {
        String clOrdId = restingOrderFilledWithItsReportHeldThenCancelled("cxl-first");
        JsonNode order = h.plan("cxl-first").path("orders").get(0);
        assertThat(order.path("status").asText()).isEqualTo("NEW");
        assertThat(order.path("cum_qty").decimalValue()).isZero();
        assertThat(h.plan("cxl-first").path("state").asText()).isEqualTo("working");
        assertThat(h.reportsOf("cxl-first")).isEmpty();

        assertThat(h.sim.releaseHeldFillReports(DEEP)).isEqualTo(1);
        JsonNode filled = h.awaitReport("cxl-first", r -> r.path("status").asText().equals("filled"));
        assertThat(filled.path("error_message").isNull() || filled.path("error_message").asText().isEmpty()).isTrue();
        assertThat(filled.path("executed_quantity").decimalValue()).isEqualByComparingTo("25");
        h.awaitPlanState("cxl-first", "filled");
        JsonNode booked = h.plan("cxl-first").path("orders").get(0);
        assertThat(booked.path("status").asText()).isEqualTo("FILLED");
        assertThat(booked.path("fills")).singleElement().satisfies(f ->
                assertThat(f.path("exec_id").asText()).isEqualTo(h.sim.executions(DEEP).stream()
                        .filter(e -> e.clOrdId().equals(clOrdId)).findFirst().orElseThrow().execId()));
        assertThat(h.reportsOf("cxl-first")).extracting(r -> r.path("status").asText()).containsExactly("filled");
        assertThat(h.position("MSFT").path("quantity").decimalValue()).isEqualByComparingTo("25");
    }

    @Test
    void aCancelRejectSayingFilledWhoseFillReportNeverComesIsSettledByAStatusRequest() {
        String clOrdId = restingOrderFilledWithItsReportHeldThenCancelled("cxl-nofill");
        // The fill report stays held: after 10 s the gateway asks, and books the venue's CumQty once.
        JsonNode filled = h.awaitReport("cxl-nofill", r -> r.path("status").asText().equals("filled"));
        assertThat(filled.path("executed_quantity").decimalValue()).isEqualByComparingTo("25");
        assertThat(h.sim.received(DEEP)).anyMatch(e -> e.msgType().equals("H") && clOrdId.equals(e.clOrdId()));
        h.awaitPlanState("cxl-nofill", "filled");
        assertThat(h.plan("cxl-nofill").path("orders").get(0).path("fills")).singleElement()
                .satisfies(f -> assertThat(f.path("exec_id").asText()).startsWith("RECON-"));
        assertThat(h.reportsOf("cxl-nofill")).extracting(r -> r.path("status").asText()).containsExactly("filled");
        assertThat(h.position("MSFT").path("quantity").decimalValue()).isEqualByComparingTo("25");
    }

    /**
     * A buy limit at 400 rests at SIM_DEEP; the market falls through it with the venue's fill reports held back; the
     * plan is cancelled and the venue answers 35=9 "too late", order filled (39=2), before any fill report.
     */
    private String restingOrderFilledWithItsReportHeldThenCancelled(String planId) {
        h = GatewayHarness.start(dir);
        assertThat(h.post("/v1/plans", Plans.limit(planId, "MSFT", "long", 400.00, DEEP)).status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> h.firstOrderStatus(planId).equals("NEW"));
        String clOrdId = h.plan(planId).path("orders").get(0).path("cl_ord_id").asText();

        h.sim.holdFillReports(DEEP, true);
        h.sim.setMid("MSFT", new BigDecimal("395.00"));
        await().atMost(GatewayHarness.WAIT).until(() -> venueExecuted(DEEP, clOrdId).compareTo(new BigDecimal("25")) == 0);
        assertThat(h.post("/v1/plans/" + planId + "/cancel", "").status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> h.plan(planId).path("orders").get(0).path("text").asText().contains("too late"));
        return clOrdId;
    }

    // ---------------------------------------------------------------- helpers

    private BigDecimal venueExecuted(String venue, String clOrdId) {
        return h.sim.executions(venue).stream().filter(e -> e.clOrdId().equals(clOrdId)).map(SimExecution::quantity)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    // ---------------------------------------------------------------- 6. the journal in a folder of its own

    @Test
    void theJournalIsWrittenWhereJournalDirSaysAndARestartGoesOnThere() throws IOException {
        Path wal = dir.resolve("wal-device").resolve("trader");
        h = GatewayHarness.start(dir, c -> c, c -> c.withJournalDir(wal));

        assertThat(h.post("/v1/plans", Plans.market("wal-1", "AAPL", "long")).status()).isEqualTo(202);
        h.awaitReport("wal-1", r -> r.path("status").asText().equals("filled"));
        assertThat(journalFiles(wal)).isNotEmpty().allSatisfy(f -> assertThat(Files.size(f)).isPositive());
        assertThat(h.config.dataDir().resolve("journal")).doesNotExist();
        List<Path> beforeRestart = journalFiles(wal);

        h.restartGateway();
        assertThat(h.post("/v1/plans", Plans.market("wal-2", "AAPL", "short")).status()).isEqualTo(202);
        h.awaitReport("wal-2", r -> r.path("status").asText().equals("filled"));
        assertThat(h.config.dataDir().resolve("journal")).as("still nothing in the data folder").doesNotExist();
        // A start begins a new file after the last batch it found there.
        assertThat(journalFiles(wal)).anySatisfy(f -> assertThat(beforeRestart).doesNotContain(f));
    }

    private static List<Path> journalFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".wal")).toList();
        }
    }

    private void assertFlat(String symbol) {
        JsonNode position = h.position(symbol);
        if (position != null) assertThat(position.path("quantity").decimalValue()).isZero();
    }
}
