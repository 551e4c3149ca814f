package io.tradergateway.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.report.Json;
import io.tradergateway.report.ReportsLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 7: the reports log misses a committed report after a crash (appended after the commit); at start-up it
 * is back-filled from the outbox. Real H2 in a temp folder; the "crash" is a file whose tail is missing or torn.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReportsLogRecoveryTest {
    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    /** More than one page of the back-fill query (500). */
    private static final int MORE_THAN_A_PAGE = 1201;

    @TempDir
    Path dir;
    private Database db;
    private JdbcTradeJournal journal;
    private JdbcReportOutbox outbox;
    private Path file;

    @BeforeEach
    void open() {
        db = Database.open("jdbc:h2:file:" + dir.resolve("db"), "sa", "");
        journal = new JdbcTradeJournal(db);
        outbox = new JdbcReportOutbox(db, Clock.fixed(AT, ZoneOffset.UTC));
        file = dir.resolve("reports").resolve("exec-reports.jsonl");
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static String json(long sequence) {
        return "{\"event_type\":\"exec-report-1.0\",\"report_id\":\"R-" + sequence + "\",\"sequence\":" + sequence + "}";
    }

    private void commitReports(long from, long to) {
        journal.commit(LongStream.rangeClosed(from, to).<JournalWrite>mapToObj(i ->
                new JournalWrite.PutReport(i, "R-" + i, "P-1", null, "filled", AT, json(i))).toList());
    }

    private List<Long> sequencesInFile() throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(l -> {
            try {
                JsonNode node = Json.MAPPER.readTree(l);
                return node.path("sequence").asLong();
            } catch (IOException e) {
                return -1L;
            }
        }).toList();
    }

    @Test
    void reportsCommittedButNeverAppendedAreBackFilledAtStartUp() throws IOException {
        commitReports(1, 5);
        try (ReportsLog log = new ReportsLog(file)) {
            for (long i = 1; i <= 3; i++) log.append(json(i)); // the process died after committing 4 and 5
        }

        try (ReportsLog log = new ReportsLog(file)) { // start-up
            assertThat(log.backfill(outbox)).isEqualTo(2);
            log.append(json(6));
        }

        assertThat(sequencesInFile()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aTornLastLineIsEndedAndItsReportWrittenAgain() throws IOException {
        commitReports(1, 3);
        try (ReportsLog log = new ReportsLog(file)) {
            log.append(json(1));
            log.append(json(2));
        }
        String third = json(3);
        Files.writeString(file, third.substring(0, third.length() / 2), StandardOpenOption.APPEND);

        try (ReportsLog log = new ReportsLog(file)) {
            assertThat(log.backfill(outbox)).isEqualTo(1);
            assertThat(log.backfill(outbox)).as("a second start-up has nothing to add").isZero();
        }

        assertThat(sequencesInFile()).containsExactly(1L, 2L, -1L, 3L);
    }

    @Test
    void anEmptyOrMissingLogGetsEveryCommittedReport() throws IOException {
        commitReports(1, MORE_THAN_A_PAGE);
        try (ReportsLog log = new ReportsLog(file)) {
            assertThat(log.backfill(outbox)).isEqualTo(MORE_THAN_A_PAGE);
        }
        assertThat(sequencesInFile()).hasSize(MORE_THAN_A_PAGE)
                .endsWith((long) MORE_THAN_A_PAGE);
    }

    /** Issue 10 item 6: a report stored with an unpaired surrogate (before intake refused them) poisons nothing. */
    @Test
    void aStoredReportWithAnUnpairedSurrogateIsReadBackEncodable() throws IOException {
        String poisoned = "{\"sequence\":1,\"signal_id\":\"bad\ud800\"}";
        journal.commit(List.of(new JournalWrite.PutReport(1, "R-1", "P-1", null, "failed", AT, poisoned)));
        commitReports(2, 2);

        String read = outbox.readAfter(0, 10).get(0).json();
        assertThat(read).isEqualTo("{\"sequence\":1,\"signal_id\":\"bad\uFFFD\"}");
        assertThat(outbox.reportsOfPlan("P-1").get(0)).isEqualTo(read);

        try (ReportsLog log = new ReportsLog(file)) {
            assertThat(log.backfill(outbox)).isEqualTo(2);
        }
        assertThat(sequencesInFile()).containsExactly(1L, 2L);
    }
}
