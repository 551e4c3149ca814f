package io.tradergateway.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sessions an ops desk can run (issue 11 item 5) through the API and the simulated venue: logout and logon of one venue,
 * sequence numbers set only while it is logged out, and a clean stop that logs every session out and lists the orders
 * left working.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionOpsSystemTest {
    @TempDir
    Path dir;
    GatewayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    private String session(String venue) {
        return h.get("/health").body().path("sessions").path(venue).asText();
    }

    @Test
    void operatorsLogAVenueOutAndOnAndSetItsSequenceNumbersOnlyWhileItIsOut() {
        h = GatewayHarness.start(dir);
        OpsLogCapture ops = h.opsLog();

        assertThat(h.post("/v1/venues/SIM_FAST/sequence", "{\"next_sender_seq_num\": 500}").status()).as("logged on").isEqualTo(409);
        assertThat(h.post("/v1/venues/NOPE/logon", "").status()).isEqualTo(404);
        assertThat(h.post("/v1/venues/SIM_FAST/reboot", "").status()).isEqualTo(404);

        var out = h.post("/v1/venues/SIM_FAST/logout", "{\"reason\": \"end of day\\r\\nforged line\"}");
        assertThat(out.status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> session("SIM_FAST").equals("disconnected"));
        assertThat(ops.linesWith("venue=SIM_FAST", "logout requested by an operator", "end of day\\r\\nforged line")).hasSize(1);

        int[] seq = h.app.fix().sequenceNumbers("SIM_FAST");
        assertThat(h.post("/v1/venues/SIM_FAST/sequence", "{\"next_sender_seq_num\": 0}").status()).isEqualTo(400);
        assertThat(h.post("/v1/venues/SIM_FAST/sequence", "{\"next_sender\": 5}").status()).isEqualTo(400);
        var set = h.post("/v1/venues/SIM_FAST/sequence",
                "{\"next_sender_seq_num\": " + seq[0] + ", \"next_target_seq_num\": " + seq[1] + "}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.body().path("message").asText()).isEqualTo("next sender " + seq[0] + ", next target " + seq[1]);
        assertThat(ops.linesWith("venue=SIM_FAST", "sequence numbers set by an operator")).hasSize(1);

        assertThat(h.post("/v1/venues/SIM_FAST/logon", "").status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> session("SIM_FAST").equals("logged_on"));
    }

    @Test
    void aCleanStopLogsEverySessionOutAndListsTheOrdersLeftWorking() throws IOException {
        h = GatewayHarness.start(dir);
        BigDecimal mid = h.mid("AAPL");
        ObjectNode resting = Plans.market("stop-resting", "AAPL", "long");
        resting.put("execution_strategy", "limit");
        resting.put("entry_price", mid.multiply(new BigDecimal("0.90")).setScale(2, RoundingMode.DOWN));
        assertThat(h.post("/v1/plans", resting).status()).isEqualTo(202);
        await().atMost(GatewayHarness.WAIT).until(() -> "NEW".equals(h.firstOrderStatus("stop-resting")));
        String clOrdId = h.plan("stop-resting").path("orders").path(0).path("cl_ord_id").asText();
        OpsLogCapture ops = h.opsLog();

        h.app.close();
        h.app = null;

        assertThat(ops.linesWith("gateway stopping with 1 working order")).hasSize(1);
        assertThat(ops.linesWith("plan=stop-resting", "clOrdId=" + clOrdId, "working at stop", "AAPL")).hasSize(1);
        // Every venue's own message log shows the gateway's Logout.
        for (String venue : h.sim.venues()) {
            assertThat(simMessageLog(venue)).as(venue).anyMatch(line -> line.contains("\u000135=5\u0001")
                    && line.contains("\u000149=GATEWAY\u0001") && line.contains("58=gateway stopping"));
        }
    }

    private List<String> simMessageLog(String venue) throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("sim").resolve("log"))) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().contains(venue) && p.toString().endsWith("messages.log")).toList();
            assertThat(logs).as("message log of " + venue).isNotEmpty();
            return logs.stream().flatMap(p -> {
                try {
                    return Files.readAllLines(p, StandardCharsets.ISO_8859_1).stream();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }
}
