package io.tradergateway.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.report.Json;
import io.tradergateway.store.Database;
import io.tradergateway.store.JdbcReportOutbox;
import io.tradergateway.store.JdbcTradeJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 6: a report stored with an unpaired surrogate (a plan's {@code signal_id} {@code "\ud800"}, accepted
 * before intake refused it) made every {@code GET /v1/exec-reports} page holding it fail: the UTF-8 writer threw.
 * The page is built and encoded exactly as the API does, from a real H2 outbox.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExecReportsPageTest {
    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aPageHoldingAPoisonedStoredReportIsStillServed() throws IOException {
        try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("db"), "sa", "")) {
            new JdbcTradeJournal(db).commit(List.of(
                    new JournalWrite.PutReport(1, "R-1", "P-1", null, "failed", AT, "{\"sequence\":1,\"signal_id\":\"s\ud800\"}"),
                    new JournalWrite.PutReport(2, "R-2", "P-2", null, "failed", AT, "{\"sequence\":2,\"signal_id\":\"ok\"}")));
            JdbcReportOutbox outbox = new JdbcReportOutbox(db, Clock.fixed(AT, ZoneOffset.UTC));

            byte[] body = ApiServer.bytesOf(ApiServer.reportsPage(outbox.readAfter(0, 100), 0));

            JsonNode page = Json.MAPPER.readTree(body);
            assertThat(page.path("last_sequence").asLong()).isEqualTo(2);
            assertThat(page.path("reports").get(0).path("signal_id").asText()).isEqualTo("s\uFFFD");
            assertThat(page.path("reports").get(1).path("signal_id").asText()).isEqualTo("ok");
        }
    }
}
