package io.tradergateway.store;

import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Connections to the gateway's database: one dedicated writer connection for the engine thread (manual
 * commit) and pooled readers for the API. The JDBC URL is configuration: embedded H2 by default, any
 * database that runs {@code db/schema.sql} otherwise.
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
    private final Connection writer;
    private final String instanceId;

    private Database(String url, String user, String password) throws SQLException {
        this.url = url;
        this.user = user;
        this.password = password;
        this.h2Pool = url.startsWith("jdbc:h2:") ? JdbcConnectionPool.create(url, user, password) : null;
        this.writer = connect();
        writer.setAutoCommit(false);
        runSchema();
        this.instanceId = loadOrCreateInstanceId();
    }

    /** Opens the database, creating the schema where missing. */
    public static Database open(String url, String user, String password) {
        try {
            Database db = new Database(url, user, password);
            log.info("database open: {}", url);
            return db;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open database " + url + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        return h2Pool != null ? h2Pool.getConnection() : DriverManager.getConnection(url, user, password);
    }

    /** The engine's connection. Only the engine thread may use it. */
    public Connection writer() {
        return writer;
    }

    /** Runs a read on a pooled connection (any thread). */
    public <T> T read(SqlFunction<T> query) {
        try (Connection c = connect()) {
            return query.apply(c);
        } catch (SQLException e) {
            throw new IllegalStateException("database read failed: " + e.getMessage(), e);
        }
    }

    /** Runs a small write transaction on a pooled connection (consumer cursors; never trading state). */
    public void write(SqlFunction<Void> update) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                update.apply(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database write failed: " + e.getMessage(), e);
        }
    }

    public String instanceId() {
        return instanceId;
    }

    private void runSchema() throws SQLException {
        String script;
        try (InputStream in = Database.class.getResourceAsStream("/db/schema.sql")) {
            if (in == null) throw new IllegalStateException("db/schema.sql missing from the classpath");
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read db/schema.sql", e);
        }
        try (Statement st = writer.createStatement()) {
            for (String sql : script.split(";")) {
                String stmt = stripComments(sql);
                if (!stmt.isBlank()) st.execute(stmt);
            }
        }
        writer.commit();
    }

    private static String stripComments(String sql) {
        StringBuilder out = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.trim().startsWith("--")) out.append(line).append('\n');
        }
        return out.toString().trim();
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
        try {
            writer.close();
        } catch (SQLException e) {
            log.warn("closing writer connection: {}", e.getMessage());
        }
        if (h2Pool != null) h2Pool.dispose();
    }
}
