package io.tradergateway.system;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.simvenue.VenueProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ops log lets a developer follow a plan and each of its orders: every step of the plan's life is one line that
 * starts {@code plan=<plan_id> clOrdId=<ClOrdID>} (the order it is about, or the plan's current one; {@code -} before
 * the plan has one). Captured from the {@code io.tradergateway.ops} logger during a market and a TWAP plan.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpsLogSystemTest {
    @TempDir
    static Path dir;
    static GatewayHarness h;

    @BeforeAll
    static void startGatewayAndCaptureItsOpsLog() {
        h = GatewayHarness.start(dir, sim -> sim.withEveryProfile(VenueProfile::predictable), gw -> gw);
        h.opsLog(); // captured from here on; each test reads only its own plan's lines
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    @Test
    void everyStepOfAMarketPlanIsOneLineWithThePlanIdAndTheClOrdId() {
        assertThat(h.post("/v1/plans", Plans.market("ops-mkt", "AAPL", "long")).status()).isEqualTo(202);
        h.awaitReport("ops-mkt", r -> r.path("status").asText().equals("filled"));
        String id = orderIds("ops-mkt").get(0);
        awaitStep("ops-mkt", id, "entry filled");

        // Pairs of (the ClOrdID the line names, what the line says). The routing line already names the order it routes.
        assertSteps("ops-mkt",
                "-", "validated: long AAPL",
                "-", "triggered (no entry conditions)",
                id, "routed to ",
                id, "new entry order: buy",
                id, "sent NewOrderSingle to ",
                id, "acked by ",
                id, "fill buy ",
                id, "learned from " + id,
                id, "entry complete: ",
                id, "done: filled",
                id, "entry filled");

        // What the shipped configuration writes (INFO and up): one line per step that matters, in order; the rest
        // (the trigger of a plan without conditions, the routing scores, the send, the ack, what the venue learned) is DEBUG.
        String ids = "plan=ops-mkt clOrdId=" + id + " ";
        assertThat(h.opsLog().lines(Level.INFO).stream().filter(line -> line.startsWith("plan=ops-mkt ")).toList())
                .satisfiesExactly(
                        line -> assertThat(line).startsWith("plan=ops-mkt clOrdId=- validated: long AAPL"),
                        line -> assertThat(line).startsWith(ids + "new entry order: buy ").contains(" market tif IOC to SIM_"),
                        line -> assertThat(line).startsWith(ids + "fill buy ").contains("; position AAPL "),
                        line -> assertThat(line).startsWith(ids + "done: filled: entry complete: ").endsWith("no exit rules to watch"),
                        line -> assertThat(line).startsWith(ids + "exec-report #").contains(" entry filled "));
    }

    @Test
    void everyStepOfATwapPlanIsOneLineWithThePlanIdAndTheClOrdIdOfItsCurrentChild() {
        ObjectNode plan = Plans.market("ops-twap", "TSLA", "long");
        plan.put("execution_strategy", "twap");
        plan.putArray("venue_preferences").add("SIM_DEEP");
        plan.putObject("execution_params").put("duration_s", 2).put("slices", 2);
        assertThat(h.post("/v1/plans", plan).status()).isEqualTo(202);
        h.awaitReport("ops-twap", r -> r.path("status").asText().equals("filled"));
        List<String> ids = orderIds("ops-twap");
        assertThat(ids).hasSize(2);
        String first = ids.get(0);
        String second = ids.get(1);
        awaitStep("ops-twap", second, "entry filled");

        // The second slice is decided while the first child is the plan's current order, then gets its own.
        assertSteps("ops-twap",
                "-", "validated: long TSLA",
                "-", "triggered (no entry conditions)",
                "-", "TWAP: 2 slices over 2 s",
                "-", "TWAP slice 1/2: ",
                first, "routed to SIM_DEEP",
                first, "new entry order (TWAP slice 1/2): buy",
                first, "sent NewOrderSingle to SIM_DEEP",
                first, "acked by SIM_DEEP",
                first, "fill buy ",
                first, "entry partial",
                first, "TWAP slice 2/2: ",
                second, "new entry order (TWAP slice 2/2): buy",
                second, "sent NewOrderSingle to SIM_DEEP",
                second, "acked by SIM_DEEP",
                second, "fill buy ",
                second, "entry complete: ",
                second, "done: filled",
                second, "entry filled");
    }

    // ---------------------------------------------------------------- helpers

    private List<String> orderIds(String planId) {
        List<String> ids = new ArrayList<>();
        h.plan(planId).path("orders").forEach(o -> ids.add(o.path("cl_ord_id").asText()));
        return ids;
    }

    private List<String> stepLines(String planId, String clOrdId, String... parts) {
        String prefix = "plan=" + planId + " clOrdId=" + clOrdId + " ";
        return h.opsLog().linesWith(parts).stream().filter(line -> line.startsWith(prefix)).toList();
    }

    private void awaitStep(String planId, String clOrdId, String... parts) {
        await().atMost(GatewayHarness.WAIT).until(() -> !stepLines(planId, clOrdId, parts).isEmpty());
    }

    /**
     * For each pair (ClOrdID, text), a line {@code plan=<planId> clOrdId=<ClOrdID> ...<text>...} is there; and every line
     * of the plan starts with both ids.
     */
    private void assertSteps(String planId, String... clOrdIdAndText) {
        for (int i = 0; i < clOrdIdAndText.length; i += 2) {
            assertThat(stepLines(planId, clOrdIdAndText[i], clOrdIdAndText[i + 1]))
                    .as("a line 'plan=%s clOrdId=%s ...%s...' in%n%s", planId, clOrdIdAndText[i], clOrdIdAndText[i + 1],
                            String.join("\n", h.opsLog().lines()))
                    .isNotEmpty();
        }
        assertEveryLineStartsWithBothIds(planId);
    }

    private void assertEveryLineStartsWithBothIds(String planId) {
        List<String> ofPlan = h.opsLog().linesWith("plan=" + planId + " ");
        assertThat(ofPlan).hasSizeGreaterThanOrEqualTo(10); // DEBUG included: 10 for a market plan since the merged lines
        assertThat(ofPlan).allMatch(line -> line.matches("plan=" + planId + " clOrdId=(-|TG-\\S+) .*"));
    }
}
