package io.tradergateway.store;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Migration 4: {@code exec_reports.report_id} loses its unique constraint (and with it its index). Report ids are
 * random UUIDs made by the gateway, and nothing looks a report up by one: the outbox is read by {@code sequence} (its
 * key) and by plan. The index only cost: every report inserted a random key into a B-tree that grows with the table,
 * so once it outgrew H2's page cache each insert read index pages back from the file (a third of the time the tables
 * took per report in the side-by-side benchmark). In Java because the constraint is dropped by the name the database
 * gave it, which differs between H2 and PostgreSQL.
 */
final class V4__ReportIdNotUnique extends BaseJavaMigration {
    private static final Logger log = LoggerFactory.getLogger(V4__ReportIdNotUnique.class);

    @Override
    public void migrate(Context context) throws SQLException {
        drop(context.getConnection());
    }

    static void drop(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tc.constraint_name FROM information_schema.table_constraints tc "
                + "JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema "
                + "AND k.constraint_name = tc.constraint_name "
                + "WHERE tc.constraint_type = 'UNIQUE' AND LOWER(tc.table_name) = 'exec_reports' "
                + "AND LOWER(tc.table_schema) = LOWER(?) AND LOWER(k.column_name) = 'report_id'")) {
            ps.setString(1, c.getSchema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.add(rs.getString(1));
            }
        }
        try (Statement st = c.createStatement()) {
            for (String name : names) {
                // Quoted as the database reported it (H2 with DATABASE_TO_LOWER names it constraint_n).
                st.execute("ALTER TABLE exec_reports DROP CONSTRAINT \"" + name.replace("\"", "\"\"") + "\"");
            }
        }
        if (!names.isEmpty()) log.info("exec_reports.report_id is no longer unique-indexed (dropped {})", names);
    }
}
