package io.tradergateway.store;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Migration 2: databases made before fills were keyed by (venue, ClOrdID, ExecID) had (venue, ExecID), so a venue that
 * restarts its ExecIDs would have the fill of a new order refused as a duplicate. Moves such a table to the new key;
 * on a database made by V1 it changes nothing. In Java because the old key is dropped by the name the database gave
 * it, which differs between H2 and PostgreSQL. (It was {@code Database.widenFillsKey}, run at every start-up.)
 */
final class V2__WidenFillsKey extends BaseJavaMigration {
    private static final Logger log = LoggerFactory.getLogger(V2__WidenFillsKey.class);

    @Override
    public void migrate(Context context) throws SQLException {
        widen(context.getConnection());
    }

    static void widen(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String table = meta.storesUpperCaseIdentifiers() ? "FILLS" : "fills";
        List<String> columns = new ArrayList<>();
        String keyName = null;
        try (ResultSet rs = meta.getPrimaryKeys(null, c.getSchema(), table)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                keyName = rs.getString("PK_NAME");
            }
        }
        if (keyName == null || columns.contains("cl_ord_id")) return;
        try (Statement st = c.createStatement()) {
            // Quoted as the database reported it: H2 with DATABASE_TO_LOWER names it CONSTRAINT_n, which unquoted means constraint_n.
            st.execute("ALTER TABLE fills DROP CONSTRAINT \"" + keyName.replace("\"", "\"\"") + "\"");
            st.execute("ALTER TABLE fills ADD PRIMARY KEY (venue, cl_ord_id, exec_id)");
        }
        log.info("fills are now keyed by (venue, cl_ord_id, exec_id) (was {})", columns);
    }
}
