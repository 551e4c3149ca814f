package io.tradergateway.store;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writer lock as the hot standby uses it, on a real PostgreSQL: the standby's probe, the active's check that its writer
 * session still holds the lock, and the fail-stop when the writer, reconnected, finds the lock taken by another gateway.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DatabaseWriterLockTest {
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

    @Test
    void theProbeSeesTheLockHeldAndThenFree() {
        try (Database.WriterLockProbe probe = new Database.WriterLockProbe(fresh.url(), fresh.user(), fresh.password())) {
            assertThat(probe.free()).as("held by the open gateway").isFalse();
            assertThat(db.writerHoldsLock()).isTrue();
            db.close();
            db = null;
            // The server lets go of a session's advisory locks when its backend ends, a moment after the client closed it.
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(probe::free);
            assertThat(probe.free()).as("the probe gave it back").isTrue();
        }
    }

    @Test
    void aProbeOfADatabaseThatCannotBeOpenedFailsAtOnce() {
        try (Database.WriterLockProbe probe = new Database.WriterLockProbe("jdbc:postgresql://127.0.0.1:1/none", "x", "")) {
            assertThatThrownBy(probe::free).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot open database");
        }
    }

    @Test
    void aWriterWhoseLockWasTakenFailStopsInsteadOfReconnecting() throws Exception {
        AtomicInteger lost = new AtomicInteger();
        db.onWriterLockLost(lost::incrementAndGet);
        int writer;
        try (Statement st = db.writer().createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            writer = rs.getInt(1);
        }
        db.writer().commit();
        try (Connection other = DriverManager.getConnection(fresh.url(), fresh.user(), fresh.password())) {
            try (PreparedStatement ps = other.prepareStatement("SELECT pg_terminate_backend(?)")) {
                ps.setInt(1, writer);
                ps.execute();
            }
            // Another gateway (a standby taking over) takes the lock once the server has released it.
            try (Statement st = other.createStatement()) {
                st.execute("SELECT pg_advisory_lock(" + Database.PG_WRITER_LOCK + ", hashtext(COALESCE(current_schema(), '')))");
            }
            assertThat(db.writerHoldsLock()).as("the writer's session is gone").isFalse();

            db.reopenWriterIfBroken();

            assertThat(lost.get()).as("fail-stop called once").isEqualTo(1);
            assertThat(db.writerHoldsLock()).isFalse();
        }
    }
}
