package io.tradergateway.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a database server needs beyond H2 in file mode, on a real PostgreSQL (skipped unless
 * {@value TestDatabase#PG_URL} is set): readers are reused rather than opened per read, a reader the server
 * dropped is replaced, and a second gateway on the same schema is refused as H2's file lock refuses it.
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
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void readsReuseAnOpenConnection() {
        int first = readerBackend();

        assertThat(readerBackend()).isEqualTo(first);
        new JdbcReportOutbox(db, Clock.systemUTC()).save("alpha_detector", 3);
        assertThat(readerBackend()).as("a cursor write hands its connection back too").isEqualTo(first);
    }

    @Test
    void aReaderTheServerDroppedIsReplaced() throws Exception {
        int dropped = readerBackend();
        try (PreparedStatement ps = db.writer().prepareStatement("SELECT pg_terminate_backend(?)")) {
            ps.setInt(1, dropped);
            ps.execute();
        }
        db.writer().commit();
        JdbcReportOutbox outbox = new JdbcReportOutbox(db, Clock.systemUTC());

        assertThatThrownBy(outbox::lastSequence).as("the idle reader is dead").isInstanceOf(IllegalStateException.class);
        assertThat(outbox.lastSequence()).as("the next read opens a new one").isZero();
        assertThat(readerBackend()).isNotEqualTo(dropped);
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
