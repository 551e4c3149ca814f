package io.tradergateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Connections to the gateway's database: one dedicated writer connection for the engine thread (manual
 * commit) and pooled readers for the API. The JDBC URL is configuration: embedded H2 by default (H2's own pool), a
 * database server otherwise (verified on PostgreSQL), whose readers are pooled by HikariCP. The schema is Flyway's
 * migrations in {@code db/migration}, applied at open.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    @FunctionalInterface
    public interface SqlFunction<T> {
        T apply(Connection connection) throws SQLException;
    }

    private final String url;
    private final String user;
    private final String password;
    private final JdbcConnectionPool h2Pool;
    /**
     * Readers of a database other than H2. Opening a connection costs tens of milliseconds on a server (PostgreSQL
     * with SCRAM authentication: ~45 ms here), and the engine thread reads too ({@code fillExists} on every fill), so
     * readers are kept open and reused. The writer is not one of them: it holds the writer lock for as long as it lives.
     */
    private final HikariDataSource serverReaders;
    /** Replaced only by {@link #reopenWriterIfBroken()}, on the engine thread. */
    private volatile Connection writer;
    private final String instanceId;
    private final String startEpoch;
    /** PostgreSQL backend of the writer connection (the holder of the writer lock). */
    private volatile int writerPid;
    private volatile Runnable writerLockLost = () -> { };

    private Database(String url, String user, String password) throws SQLException {
        this.url = url;
        this.user = user;
        this.password = password;
        this.h2Pool = url.startsWith("jdbc:h2:") ? JdbcConnectionPool.create(url, user, password) : null;
        HikariDataSource readers = null;
        try {
            this.writer = connect();
            writer.setAutoCommit(false);
            if (url.startsWith("jdbc:postgresql:")) {
                lockOutASecondWriter(writer);
                writerPid = backendPid(writer);
            }
            if (h2Pool == null) readers = serverReaders(url, user, password);
            this.serverReaders = readers;
            migrate();
            this.instanceId = loadOrCreateInstanceId();
            this.startEpoch = advanceStartEpoch();
        } catch (SQLException | RuntimeException e) {
            if (readers != null) readers.close();
            closeWriterAndH2();
            throw e;
        }
    }

    /**
     * Most reader connections open at once; more concurrent reads wait (at most {@link #READER_WAIT_MS}) for one. That
     * wait is also how long a read takes to fail while the server is unreachable (the engine thread reads too): short.
     */
    static final int MAX_READERS = 8;
    static final long READER_WAIT_MS = 2_000;

    private static HikariDataSource serverReaders(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("gateway-readers");
        config.setJdbcUrl(url);
        if (user != null && !user.isEmpty()) config.setUsername(user);
        if (password != null && !password.isEmpty()) config.setPassword(password);
        config.setMaximumPoolSize(MAX_READERS);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(READER_WAIT_MS);
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }

    /** First key of the PostgreSQL advisory lock that marks the gateway writing a schema (the second is the schema). */
    static final int PG_WRITER_LOCK = 0x54475744;

    /**
     * H2 in file mode refuses a second process on its files; a database server lets anyone in, and two gateways
     * writing one schema would hand out the same ClOrdIDs and report sequences. On PostgreSQL the writer's session
     * takes an advisory lock on (gateway, schema) that it holds until it disconnects; a second gateway is refused.
     */
    private static void lockOutASecondWriter(Connection writer) throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement(
                "SELECT pg_try_advisory_lock(?, hashtext(COALESCE(current_schema(), ''))), current_schema()")) {
            ps.setInt(1, PG_WRITER_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new WriterLockHeld("another gateway is already writing schema " + rs.getString(2)
                            + " of this database (PostgreSQL advisory lock " + PG_WRITER_LOCK + " held)");
                }
            }
        }
        writer.commit();
    }

    private static void releaseWriterLock(Connection writer) {
        try (Statement st = writer.createStatement()) {
            st.execute("SELECT pg_advisory_unlock_all()");
            writer.commit();
        } catch (SQLException e) {
            log.debug("releasing the writer lock at close: {}", e.getMessage());
        }
    }

    /** The writer lock is held by another session: another gateway writes this schema. */
    public static final class WriterLockHeld extends SQLException {
        public WriterLockHeld(String message) {
            super(message);
        }
    }

    /**
     * A hot standby's probe of the writer lock of a PostgreSQL schema, on one connection of its own kept between tries
     * (opened again after a failure). {@link #free()} tries the lock and gives it back at once; {@link #open} then takes
     * it for good, or is refused if a third gateway was quicker.
     */
    public static final class WriterLockProbe implements AutoCloseable {
        private final String url;
        private final String user;
        private final String password;
        private Connection connection;
        private String lastProblem;
        private boolean everConnected;

        public WriterLockProbe(String url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }

        /**
         * Whether the lock is free now; false (and the reason logged once) when the database cannot be reached, except
         * on the first try: a database that cannot be opened at all is a start-up error ({@link IllegalStateException}).
         */
        public boolean free() {
            try {
                if (connection == null) connection = DriverManager.getConnection(url, user, password);
                everConnected = true;
                boolean got;
                try (PreparedStatement ps = connection.prepareStatement(
                        "SELECT pg_try_advisory_lock(?, hashtext(COALESCE(current_schema(), '')))")) {
                    ps.setInt(1, PG_WRITER_LOCK);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        got = rs.getBoolean(1);
                    }
                }
                if (got) {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "SELECT pg_advisory_unlock(?, hashtext(COALESCE(current_schema(), '')))")) {
                        ps.setInt(1, PG_WRITER_LOCK);
                        ps.execute();
                    }
                }
                if (lastProblem != null) log.info("writer lock probe: database {} reachable again", url);
                lastProblem = null;
                return got;
            } catch (SQLException e) {
                if (!everConnected) throw new IllegalStateException("cannot open database " + url + ": " + e.getMessage(), e);
                if (!String.valueOf(e.getMessage()).equals(lastProblem)) {
                    log.warn("writer lock probe: cannot ask database {}: {}", url, e.getMessage());
                }
                lastProblem = String.valueOf(e.getMessage());
                close();
                return false;
            }
        }

        @Override
        public void close() {
            if (connection != null) closeQuietly(connection);
            connection = null;
        }
    }

    /** Whether this is a database server whose writer lock fences other gateways off (PostgreSQL). */
    public boolean hasWriterLock() {
        return url.startsWith("jdbc:postgresql:");
    }

    /**
     * What to do when the writer connection broke and the writer lock, taken again, is held by another gateway: a hot
     * standby has taken over, so this one must stop at once (fail-stop) rather than go on trading beside it.
     */
    public void onWriterLockLost(Runnable action) {
        this.writerLockLost = action;
    }

    /**
     * Whether the writer's session still holds the writer lock, asked on a pooled connection (any thread; the active's
     * watchdog). False when the writer's session is gone; an {@link IllegalStateException} when the question cannot be
     * asked (the server is unreachable).
     */
    public boolean writerHoldsLock() {
        if (!hasWriterLock()) return true;
        int pid = writerPid;
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND classid = ?::oid AND objsubid = 2 AND pid = ? AND granted)")) {
                ps.setLong(1, PG_WRITER_LOCK);
                ps.setInt(2, pid);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            int pid = rs.getInt(1);
            c.commit();
            return pid;
        }
    }

    /** Opens the database, creating or migrating the schema to the latest version. */
    public static Database open(String url, String user, String password) {
        try {
            Database db = new Database(url, user, password);
            log.info("database open: {}", url);
            return db;
        } catch (SQLException | FlywayException e) {
            throw new IllegalStateException("cannot open database " + url + ": " + e.getMessage(), e);
        }
    }

    /** A new writer connection: from H2's pool, or a connection of its own to a server (outside the readers' pool). */
    private Connection connect() throws SQLException {
        return h2Pool != null ? h2Pool.getConnection() : DriverManager.getConnection(url, user, password);
    }

    private Connection borrowReader() throws SQLException {
        return h2Pool != null ? h2Pool.getConnection() : serverReaders.getConnection();
    }

    /**
     * A read that failed may have failed on a dead connection: after a server restart or a network cut the idle ones
     * may be dead too, so all of them are evicted with it (one failed read, not one per idle connection).
     */
    private void returnReader(Connection c, boolean failed) {
        if (failed && serverReaders != null) {
            var pool = serverReaders.getHikariPoolMXBean();
            if (pool != null) pool.softEvictConnections();
        }
        closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("closing a connection: {}", e.getMessage());
        }
    }

    /** The engine's connection. Only the engine thread may use it. */
    public Connection writer() {
        return writer;
    }

    /**
     * After a failed commit: when the writer connection itself is broken (a database server restarted, the network
     * dropped it), opens a new one (taking the writer lock again), so that the next commit can succeed. Until it
     * can, commits keep failing and nothing is sent. Engine thread only.
     */
    public void reopenWriterIfBroken() {
        Connection broken = writer;
        try {
            if (broken.isValid(2)) return;
        } catch (SQLException e) {
            log.debug("checking the writer connection: {}", e.getMessage());
        }
        closeQuietly(broken);
        Connection fresh = null;
        try {
            fresh = connect();
            fresh.setAutoCommit(false);
            if (url.startsWith("jdbc:postgresql:")) {
                lockOutASecondWriter(fresh);
                writerPid = backendPid(fresh);
            }
            writer = fresh;
            log.warn("database writer connection was broken; opened a new one");
        } catch (WriterLockHeld e) {
            closeQuietly(fresh);
            log.error("database writer connection was broken and another gateway now holds the writer lock ({}): stopping",
                    e.getMessage());
            writerLockLost.run();
        } catch (SQLException e) {
            if (fresh != null) closeQuietly(fresh);
            log.warn("database writer connection is broken and cannot be opened again yet: {}", e.getMessage());
        }
    }

    /** The pooled connections (autocommit): for QuickFIX/J's JDBC store. */
    public DataSource pooledDataSource() {
        return h2Pool != null ? h2Pool : serverReaders;
    }

    /** Runs a read on a pooled connection (any thread); fenced reads first wait for the journal (see fenceReads). */
    public <T> T read(SqlFunction<T> query) {
        if (UNFENCED.get()) return engineRead(query);
        Runnable fence = readFence;
        if (fence != null) fence.run();
        return pooled(query, "read");
    }

    /**
     * Runs a read on a pooled connection without the fence: the tables as they are, for a reader that gets what they do
     * not hold yet some other way (the journal's start-up scan of stored keys, which {@code commit} completes).
     */
    <T> T readAsItIs(SqlFunction<T> query) {
        return pooled(query, "read");
    }

    /** The engine's own read connection, kept open (no pool round trip, and H2 keeps its parsed statements). */
    private Connection engineReader;
    private final Object engineReaderLock = new Object();

    private <T> T engineRead(SqlFunction<T> query) {
        synchronized (engineReaderLock) {
            try {
                if (engineReader == null) engineReader = borrowReader();
                return query.apply(engineReader);
            } catch (SQLException e) {
                if (engineReader != null) returnReader(engineReader, true);
                engineReader = null;
                throw new IllegalStateException("database read failed: " + e.getMessage(), e);
            }
        }
    }

    private volatile Runnable readFence;
    private static final ThreadLocal<Boolean> UNFENCED = ThreadLocal.withInitial(() -> false);

    /**
     * Makes every {@link #read} first run {@code fence} (null: none): the write-ahead journal's wait until the tables
     * hold every batch journaled before the read began, so a reader never misses what the engine acknowledged.
     */
    public void fenceReads(Runnable fence) {
        this.readFence = fence;
    }

    /**
     * Runs {@code reads} without the fence, on a connection of their own: the engine thread, which knows what the tables
     * do not hold yet.
     */
    public <T> T unfenced(Supplier<T> reads) {
        boolean before = UNFENCED.get();
        UNFENCED.set(true);
        try {
            return reads.get();
        } finally {
            UNFENCED.set(before);
        }
    }

    /**
     * The write-ahead journal holds what the tables have not made durable yet, and replays it after a crash: H2 may then
     * write its commits to the file in the background (its default 500 ms delay) instead of at every commit, as the
     * shipped URL's {@code WRITE_DELAY=0} asks for the {@code journal.mode=sql} case. A server database is left as it is.
     */
    public void relaxWriteDelay() {
        setWriteDelay(500);
    }

    /**
     * The other way round, for {@code journal.mode=sql}, where the tables are the journal: every H2 commit is written to
     * the file before it returns. H2 keeps the setting in the database, so a database once run under the file journal
     * would otherwise keep its delay when the URL does not say {@code WRITE_DELAY=0}.
     */
    public void writeEachCommit() {
        setWriteDelay(0);
    }

    private void setWriteDelay(int millis) {
        if (h2Pool == null) return;
        try (Statement st = writer.createStatement()) {
            st.execute("SET WRITE_DELAY " + millis);
            writer.commit();
        } catch (SQLException e) {
            log.warn("cannot set H2's write delay to {} ms: {}", millis, e.getMessage());
        }
    }

    /**
     * Makes what is committed durable on the device before the journal deletes files the tables now hold: H2 commits
     * reach the file but are not forced ({@code CHECKPOINT SYNC} forces them); a PostgreSQL commit is durable already.
     */
    public void syncToDevice() {
        if (h2Pool == null) return;
        try (Statement st = writer.createStatement()) {
            st.execute("CHECKPOINT SYNC");
            writer.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("database sync failed: " + e.getMessage(), e);
        }
    }

    /** Runs a small write transaction on a pooled connection (consumer cursors; never trading state). */
    public void write(SqlFunction<Void> update) {
        pooled(c -> {
            c.setAutoCommit(false);
            try {
                update.apply(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return null;
        }, "write");
    }

    private <T> T pooled(SqlFunction<T> work, String what) {
        Connection c;
        try {
            c = borrowReader();
        } catch (SQLException e) {
            throw new IllegalStateException("database " + what + " failed: " + e.getMessage(), e);
        }
        boolean failed = true;
        try {
            T result = work.apply(c);
            failed = false;
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("database " + what + " failed: " + e.getMessage(), e);
        } finally {
            returnReader(c, failed);
        }
    }

    public String instanceId() {
        return instanceId;
    }

    /** Where the schema migrations are: {@code V1__baseline.sql} is the schema the gateway had before Flyway. */
    static final String MIGRATIONS = "classpath:db/migration";

    /**
     * Brings the schema to the latest version with Flyway, on connections of the pool (H2's or the readers'), after the
     * writer holds the writer lock (a second gateway is refused before it migrates anything). A database made before
     * Flyway, by the old {@code db/schema.sql} (tables but no {@code flyway_schema_history}), is baselined at version 0,
     * then runs V1 (idempotent: it adds the tables its older schema.sql lacked) and the later migrations.
     */
    private void migrate() {
        DataSource source = h2Pool != null ? h2Pool : serverReaders;
        Flyway.configure(Database.class.getClassLoader())
                .dataSource(source)
                .locations(MIGRATIONS)
                .javaMigrations(new V2__WidenFillsKey(), new V4__ReportIdNotUnique())
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("db/schema.sql before Flyway")
                .load()
                .migrate();
    }

    /** Digits of the random part of a {@link #startEpoch()}: 36^5, about 60 million. */
    static final int EPOCH_RANDOM_DIGITS = 5;

    /**
     * This start-up's epoch, part of every ClOrdID issued until the database is closed: the start-up count of this
     * database (base 36) followed by {@value #EPOCH_RANDOM_DIGITS} random base-36 digits, e.g. {@code 7K3Q0Z}. It is
     * stored and durably committed (fsync on H2) before any ClOrdID uses it. The count keeps epochs of one database
     * distinct; the random part keeps them distinct when the database is a restored older copy (after a power loss
     * that lost the last commits, or a copied data folder), whose count has gone back. The order counter inside a
     * ClOrdID ({@code MAX(seq_no)}) may then go back too without an id ever repeating.
     */
    public String startEpoch() {
        return startEpoch;
    }

    private String advanceStartEpoch() throws SQLException {
        long count = 0;
        try (PreparedStatement ps = writer.prepareStatement("SELECT meta_value FROM gateway_meta WHERE meta_key = 'start_count'");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) count = Long.parseLong(rs.getString(1));
        }
        count++;
        SecureRandom random = new SecureRandom();
        StringBuilder epoch = new StringBuilder(Long.toString(count, 36));
        for (int i = 0; i < EPOCH_RANDOM_DIGITS; i++) epoch.append(Character.forDigit(random.nextInt(36), 36));
        String value = epoch.toString().toUpperCase(Locale.ROOT);
        putMeta("start_count", Long.toString(count));
        putMeta("start_epoch", value);
        writer.commit();
        if (h2Pool != null) {
            // H2 commits without fsync; the epoch must survive a power loss before the first ClOrdID that carries it leaves.
            try (Statement st = writer.createStatement()) {
                st.execute("CHECKPOINT SYNC");
            }
        }
        return value;
    }

    private void putMeta(String key, String value) throws SQLException {
        int updated;
        try (PreparedStatement ps = writer.prepareStatement("UPDATE gateway_meta SET meta_value = ? WHERE meta_key = ?")) {
            ps.setString(1, value);
            ps.setString(2, key);
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            try (PreparedStatement ps = writer.prepareStatement("INSERT INTO gateway_meta(meta_key, meta_value) VALUES (?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            }
        }
    }

    private String loadOrCreateInstanceId() throws SQLException {
        try (PreparedStatement ps = writer.prepareStatement("SELECT meta_value FROM gateway_meta WHERE meta_key = 'instance_id'");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) return rs.getString(1);
        }
        String id = Long.toString(new SecureRandom().nextLong() & 0xFFFFFFL, 36).toUpperCase(Locale.ROOT);
        try (PreparedStatement ps = writer.prepareStatement("INSERT INTO gateway_meta(meta_key, meta_value) VALUES ('instance_id', ?)")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        writer.commit();
        return id;
    }

    @Override
    public void close() {
        synchronized (engineReaderLock) {
            if (engineReader != null) closeQuietly(engineReader);
            engineReader = null;
        }
        if (serverReaders != null) serverReaders.close();
        closeWriterAndH2();
    }

    private void closeWriterAndH2() {
        try {
            // The server drops a closed session's locks only when its backend process has ended, a moment after the
            // close: released here, the next gateway (a restart, a test reopening) never finds the lock still held.
            if (writer != null && hasWriterLock() && !writer.isClosed()) releaseWriterLock(writer);
            if (writer != null) writer.close();
        } catch (SQLException e) {
            log.warn("closing writer connection: {}", e.getMessage());
        }
        if (h2Pool != null) h2Pool.dispose();
    }
}
