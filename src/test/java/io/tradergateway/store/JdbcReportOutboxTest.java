package io.tradergateway.store;

import io.tradergateway.execution.JournalWrite;
import io.tradergateway.report.delivery.OutboxEntry;
import io.tradergateway.store.TestDatabase.OnEachDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox and the consumer cursors on each {@link TestDatabase}: reports come back in sequence order after a
 * cursor, at most {@code limit} of them and verbatim; a report the writer has not committed is not visible to the
 * readers; cursors are created, moved and kept per consumer across a reopen.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdbcReportOutboxTest {

    private static final Instant AT = Instant.parse("2026-11-25T10:00:00.250Z");

    @TempDir
    Path dir;
    private TestDatabase.Fresh fresh;
    private Database db;
    private JdbcTradeJournal journal;
    private JdbcReportOutbox outbox;

    private void open(TestDatabase database) {
        fresh = database.fresh(dir);
        reopen();
    }

    private void reopen() {
        if (db != null) db.close();
        db = fresh.open();
        journal = new JdbcTradeJournal(db);
        outbox = new JdbcReportOutbox(db, Clock.fixed(AT, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
        if (fresh != null) fresh.close();
    }

    private static JournalWrite.PutReport report(long sequence, String planId, String json) {
        return new JournalWrite.PutReport(sequence, "R-" + sequence, planId, null, "filled", AT, json);
    }

    @OnEachDatabase
    void readsAfterACursorInSequenceOrderUpToTheLimit(TestDatabase database) {
        open(database);
        assertThat(outbox.lastSequence()).isZero();
        assertThat(outbox.readAfter(0, 10)).isEmpty();

        // Committed out of key order within one transaction: reads still come back by sequence.
        journal.commit(List.of(report(2, "P-1", "{\"sequence\":2}"), report(1, "P-1", "{\"sequence\":1}"),
                report(3, "P-2", "{\"sequence\":3}")));
        journal.commit(IntStream.rangeClosed(4, 7).<JournalWrite>mapToObj(i -> report(i, "P-2", "{\"sequence\":" + i + "}")).toList());

        assertThat(outbox.lastSequence()).isEqualTo(7);
        assertThat(outbox.readAfter(0, 3)).containsExactly(new OutboxEntry(1, "R-1", "{\"sequence\":1}"),
                new OutboxEntry(2, "R-2", "{\"sequence\":2}"), new OutboxEntry(3, "R-3", "{\"sequence\":3}"));
        assertThat(outbox.readAfter(3, 100)).extracting(OutboxEntry::sequence).containsExactly(4L, 5L, 6L, 7L);
        assertThat(outbox.readAfter(7, 100)).isEmpty();
        assertThat(outbox.reportsOfPlan("P-1")).containsExactly("{\"sequence\":1}", "{\"sequence\":2}");
        assertThat(outbox.reportsOfPlan("P-404")).isEmpty();
    }

    @OnEachDatabase
    void aReportIsReadBackVerbatimWhateverItsSizeAndCharacters(TestDatabase database) {
        open(database);
        // Well beyond the 64 KB some drivers treat specially, with characters outside Latin-1.
        String json = "{\"text\":\"" + "Zürich € 東京 ".repeat(10_000) + "\"}";
        journal.commit(List.of(report(1, "P-1", json)));

        assertThat(outbox.readAfter(0, 1)).singleElement().extracting(OutboxEntry::json).isEqualTo(json);
    }

    @OnEachDatabase
    void aReportTheWriterHasNotCommittedIsNotVisibleToReaders(TestDatabase database) throws SQLException {
        open(database);
        journal.commit(List.of(report(1, "P-1", "{}")));
        try (PreparedStatement ps = db.writer().prepareStatement("INSERT INTO exec_reports(sequence, report_id, plan_id, "
                + "status, created_at, report_json) VALUES (2, 'R-2', 'P-1', 'filled', ?, '{}')")) {
            ps.setObject(1, JdbcTradeJournal.ts(AT));
            ps.executeUpdate();
        }

        assertThat(outbox.lastSequence()).isEqualTo(1);
        assertThat(outbox.readAfter(0, 10)).extracting(OutboxEntry::sequence).containsExactly(1L);

        db.writer().commit();
        assertThat(outbox.readAfter(1, 10)).extracting(OutboxEntry::sequence).containsExactly(2L);
    }

    @OnEachDatabase
    void cursorsAreCreatedMovedAndKeptPerConsumer(TestDatabase database) {
        open(database);
        assertThat(outbox.load("alpha_detector")).as("never delivered").isZero();

        outbox.save("alpha_detector", 5);
        outbox.save("decision_maker", 2);
        outbox.save("alpha_detector", 9);

        assertThat(outbox.load("alpha_detector")).isEqualTo(9);
        assertThat(outbox.load("decision_maker")).isEqualTo(2);
        assertThat(outbox.load("learning_systems")).isZero();

        reopen();
        assertThat(outbox.load("alpha_detector")).as("after a restart").isEqualTo(9);
        assertThat(outbox.load("decision_maker")).isEqualTo(2);
    }
}
