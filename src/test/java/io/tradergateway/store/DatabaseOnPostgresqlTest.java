package io.tradergateway.store;

import io.tradergateway.execution.JournalWrite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a database server needs beyond H2 in file mode, on a real PostgreSQL (the test JVM's own, see
 * {@link PostgresTestServer}, or the one {@value TestDatabase#PG_URL} names): readers are reused rather than opened per read, a reader the server
 * dropped is replaced, so is the writer after one failed commit, and a second gateway on the same schema is refused as H2's file lock refuses it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatabaseOnPostgresqlTest {

    @TempDir
    Path dir;
    private TestDatabase.Fresh fresh;
    private Database db;

    @BeforeEach
    void open() {
        fresh = TestDatabase.POSTGRESQL.fresh(dir);
        db = fresh.open();
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
        if (fresh != null) fresh.close();
    }

    private int readerBackend() {
        return db.read(DatabaseOnPostgresqlTest::backend);
    }

    private static int backend(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void readsReuseAnOpenConnection() {
        int first = readerBackend();

        assertThat(readerBackend()).isEqualTo(first);
        new JdbcReportOutbox(db, Clock.systemUTC()).save("alpha_detector", 3);
        assertThat(readerBackend()).as("a cursor write hands its connection back too").isEqualTo(first);
    }

    @Test
    void readersTheServerDroppedCostOneFailedRead() throws Exception {
        // Two idle readers: one read holds the first while another runs.
        List<Integer> idle = db.read(outer -> List.of(readerBackend(), backend(outer)));
        try (PreparedStatement ps = db.writer().prepareStatement("SELECT pg_terminate_backend(?), pg_terminate_backend(?)")) {
            ps.setInt(1, idle.get(0));
            ps.setInt(2, idle.get(1));
            ps.execute();
        }
        db.writer().commit();
        JdbcReportOutbox outbox = new JdbcReportOutbox(db, Clock.systemUTC());

        // The pool may find the dead reader itself (it checks one idle for a while before lending it); if it does not,
        // the read fails, and that is the only one: the other dead reader goes with it.
        try {
            outbox.lastSequence();
        } catch (IllegalStateException deadReader) {
            assertThat(deadReader).hasMessageContaining("database read failed");
        }
        assertThat(outbox.lastSequence()).as("the next read is on a live connection, not the other dead one").isZero();
        assertThat(readerBackend()).isNotIn(idle);
    }

    @Test
    void aWriterTheServerDroppedFailsOneCommitAndIsReplaced() throws Exception {
        JdbcTradeJournal journal = new JdbcTradeJournal(db);
        int writerBackend = backend(db.writer());
        db.writer().commit();
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                ps.setInt(1, writerBackend);
                return ps.execute();
            }
        });
        Instant at = Instant.parse("2026-11-25T10:00:00Z");

        assertThatThrownBy(() -> journal.commit(List.of(new JournalWrite.PutReport(1, "R-1", "P-1", null, "filled", at, "{}"))))
                .isInstanceOf(IllegalStateException.class);
        journal.commit(List.of(new JournalWrite.PutReport(1, "R-1", "P-1", null, "filled", at, "{}")));

        assertThat(journal.recover().lastReportSequence()).isEqualTo(1);
        assertThatThrownBy(fresh::open).as("the new writer holds the lock again")
                .hasMessageContaining("another gateway is already writing schema");
    }

    @Test
    void aSecondGatewayOnTheSameSchemaIsRefusedUntilTheFirstCloses() {
        assertThatThrownBy(fresh::open)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another gateway is already writing schema");

        db.close();
        db = fresh.open();
        assertThat(db.instanceId()).isNotBlank();
    }
}
