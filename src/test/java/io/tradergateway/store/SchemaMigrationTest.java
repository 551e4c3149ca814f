package io.tradergateway.store;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Fill;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.store.TestDatabase.OnEachDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema is Flyway's migrations on each {@link TestDatabase}: a new database gets V1 (the baseline: the schema of
 * the last db/schema.sql) and V2, once; a database the oldest db/schema.sql made, without Flyway's history, is
 * baselined and brought to the same schema with its rows kept.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchemaMigrationTest {
    private static final Instant AT = Instant.parse("2026-11-25T14:30:00Z");

    @TempDir
    Path dir;
    private TestDatabase.Fresh fresh;
    private Database db;

    @AfterEach
    void close() {
        if (db != null) db.close();
        if (fresh != null) fresh.close();
    }

    @OnEachDatabase
    void aNewDatabaseGetsEveryMigrationOnceAndReopeningAppliesNone(TestDatabase database) throws SQLException {
        fresh = database.fresh(dir);
        db = fresh.open();
        db.close();
        db = fresh.open();

        assertThat(history()).containsExactly("1 SQL baseline", "2 JDBC WidenFillsKey", "3 SQL quickfixj store",
                "4 JDBC ReportIdNotUnique",
                "5 SQL drop unused orders status index");
        assertThat(fillKey()).containsExactlyInAnyOrder("venue", "cl_ord_id", "exec_id");
        assertThat(uniqueIndexes("exec_reports")).as("only the sequence is unique").containsExactly(List.of("sequence"));
        assertThat(indexes("orders", false)).as("no index on the order status").doesNotContain(List.of("status"));
    }

    @OnEachDatabase
    void aDatabaseMadeByTheFirstSchemaSqlIsBaselinedAndMigratedKeepingItsRows(TestDatabase database) throws Exception {
        fresh = database.fresh(dir);
        try (Connection c = DriverManager.getConnection(fresh.url(), fresh.user(), fresh.password()); Statement st = c.createStatement()) {
            for (String sql : statements("/db/pre-flyway-schema.sql")) st.execute(sql);
            st.execute("INSERT INTO gateway_meta(meta_key, meta_value) VALUES ('instance_id', 'OLD1')");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fills(venue, exec_id, cl_ord_id, plan_id, symbol, side,"
                    + " quantity, price, fee, exec_time) VALUES ('VENUE_A', 'E-1', 'GWOLD-000001', 'P-1', 'AAPL', 'BUY', 10, 189.5, 0.1, ?)")) {
                ps.setObject(1, AT.atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
        }

        db = fresh.open();
        JdbcTradeJournal journal = new JdbcTradeJournal(db);

        assertThat(history()).containsExactly("0 BASELINE db/schema.sql before Flyway", "1 SQL baseline", "2 JDBC WidenFillsKey",
                "3 SQL quickfixj store", "4 JDBC ReportIdNotUnique",
                "5 SQL drop unused orders status index");
        assertThat(uniqueIndexes("exec_reports")).as("only the sequence is unique").containsExactly(List.of("sequence"));
        assertThat(indexes("orders", false)).as("no index on the order status").doesNotContain(List.of("status"));
        assertThat(db.instanceId()).as("rows of the old database are kept").isEqualTo("OLD1");
        assertThat(journal.fillExists("VENUE_A", new ClOrdId("GWOLD-000001"), new ExecId("E-1"))).isTrue();
        assertThat(fillKey()).containsExactlyInAnyOrder("venue", "cl_ord_id", "exec_id");
        // A venue that numbers its ExecIDs from 1 again: the new order's fill E-1 is booked, not refused as a duplicate.
        Fill again = new Fill("VENUE_A", new ExecId("E-1"), new ClOrdId("GWNEW-000001"), "AAPL", Side.BUY,
                new BigDecimal("5"), new BigDecimal("190"), BigDecimal.ZERO, AT.plusSeconds(60));
        journal.commit(List.of(new JournalWrite.PutFill(again, "P-2")));
        assertThat(journal.fillExists("VENUE_A", again.clOrdId(), new ExecId("E-1"))).isTrue();
        int quarantined = db.read(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM quarantined_reports")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(quarantined).as("the table the first schema.sql lacked is there").isZero();
    }

    /** Flyway's history: version, type and description of each applied migration (or baseline), in order. */
    private List<String> history() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(fresh.url(), fresh.user(), fresh.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"version\", \"type\", \"description\", \"success\" FROM \"flyway_schema_history\""
                     + " WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                assertThat(rs.getBoolean(4)).isTrue();
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return rows;
    }

    private List<String> fillKey() throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(fresh.url(), fresh.user(), fresh.password())) {
            var meta = c.getMetaData();
            String table = meta.storesUpperCaseIdentifiers() ? "FILLS" : "fills";
            try (ResultSet rs = meta.getPrimaryKeys(null, c.getSchema(), table)) {
                while (rs.next()) columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return columns;
    }

    /** The columns of each unique index of {@code table} (its primary key's included). */
    private List<List<String>> uniqueIndexes(String table) throws SQLException {
        return indexes(table, true);
    }

    /** The columns of each index of {@code table} ({@code unique}: only its unique ones). */
    private List<List<String>> indexes(String table, boolean unique) throws SQLException {
        Map<String, List<String>> byIndex = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(fresh.url(), fresh.user(), fresh.password())) {
            var meta = c.getMetaData();
            String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
            try (ResultSet rs = meta.getIndexInfo(null, c.getSchema(), name, unique, false)) {
                while (rs.next()) {
                    if (rs.getString("COLUMN_NAME") == null) continue;
                    byIndex.computeIfAbsent(rs.getString("INDEX_NAME"), k -> new ArrayList<>())
                            .add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return new ArrayList<>(byIndex.values());
    }

    private static List<String> statements(String resource) throws IOException {
        String script;
        try (InputStream in = SchemaMigrationTest.class.getResourceAsStream(resource)) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> out = new ArrayList<>();
        for (String sql : script.split(";")) {
            StringBuilder kept = new StringBuilder();
            for (String line : sql.split("\n")) if (!line.trim().startsWith("--")) kept.append(line).append('\n');
            if (!kept.toString().isBlank()) out.add(kept.toString().trim());
        }
        return out;
    }
}
