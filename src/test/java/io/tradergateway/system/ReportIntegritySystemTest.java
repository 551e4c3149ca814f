package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.report.Json;
import io.tradergateway.store.Database;
import io.tradergateway.store.JdbcTradeJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10 items 6 and 7 through the real gateway (simulated venue, H2, HTTP): a plan whose text cannot be encoded is
 * a 400 naming the field; a report already stored with such text (from before that rule) neither breaks
 * {@code GET /v1/exec-reports} nor the reports log; and the reports log, missing its tail after a crash, is back-filled
 * from the outbox when the gateway starts.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReportIntegritySystemTest {
    @TempDir
    Path dir;
    private GatewayHarness h;

    @BeforeEach
    void start() {
        h = GatewayHarness.start(dir);
    }

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    @Test
    void anUnpairedSurrogateInAPlanIsA400NamingTheField() {
        String body = Plans.market("bad-text", "AAPL", "long").put("signal_id", "SIGNAL").toString()
                .replace("\"SIGNAL\"", "\"sig\\ud800\"");

        GatewayHarness.Response response = h.post("/v1/plans", body);

        assertThat(response.status()).as(String.valueOf(response.body())).isEqualTo(400);
        assertThat(response.body().path("errors").findValuesAsText("field")).containsExactly("signal_id");
        assertThat(h.reportsOf("bad-text")).isEmpty();
    }

    @Test
    void aPoisonedStoredReportAndALostLogTailAreRepairedAtStartUp() throws IOException {
        for (String id : List.of("integrity-1", "integrity-2")) {
            assertThat(h.post("/v1/plans", Plans.market(id, "AAPL", "long")).status()).isEqualTo(202);
            h.awaitReport(id, r -> r.path("status").asText().equals("filled"));
        }
        long last = h.reports().get(h.reports().size() - 1).path("sequence").asLong();
        Path log = h.config.reportsLog();
        await().atMost(GatewayHarness.WAIT).until(() -> lines(log).size() == last);

        // A crash: the gateway stops, the last line of the log is lost, and (written before intake refused such text)
        // a committed report carries an unpaired surrogate.
        h.app.close();
        List<String> kept = lines(log).subList(0, (int) last - 1);
        Files.write(log, kept, StandardCharsets.UTF_8);
        try (Database db = Database.open(h.config.dbUrl(), h.config.dbUser(), h.config.dbPassword())) {
            new JdbcTradeJournal(db).commit(List.of(new JournalWrite.PutReport(last + 1, "R-poisoned", "old-plan", null,
                    "failed", Instant.now(), "{\"event_type\":\"exec-report-1.0\",\"sequence\":" + (last + 1)
                    + ",\"plan_id\":\"old-plan\",\"signal_id\":\"sig\ud800\"}")));
        }
        h.startGateway();

        List<JsonNode> reports = h.reports(); // every page, the poisoned report's included
        assertThat(reports).extracting(r -> r.path("sequence").asLong()).endsWith(last, last + 1);
        assertThat(reports.get(reports.size() - 1).path("signal_id").asText()).isEqualTo("sig\uFFFD");
        List<String> lines = lines(log); // strict UTF-8 read
        assertThat(lines).hasSize((int) last + 1);
        assertThat(lines.stream().map(l -> Json.read(l, JsonNode.class).path("sequence").asLong()).toList())
                .as("one line per committed report, in order")
                .isEqualTo(reports.stream().map(r -> r.path("sequence").asLong()).toList());

        // ... and the log keeps growing.
        assertThat(h.post("/v1/plans", Plans.market("integrity-3", "AAPL", "long")).status()).isEqualTo(202);
        h.awaitReport("integrity-3", r -> r.path("status").asText().equals("filled"));
        await().atMost(GatewayHarness.WAIT).until(() -> lines(log).size() == h.reports().size());
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }
}
