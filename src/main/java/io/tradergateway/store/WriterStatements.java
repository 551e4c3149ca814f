package io.tradergateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Prepared statements of the writer connection, kept open and reused by SQL text: the journal's writes are the same
 * dozen statements over and over. Bound to one connection: when the writer is replaced (a broken connection reopened),
 * the next {@link #on} closes the old statements and starts again. Not thread-safe: its owner serialises commits.
 */
final class WriterStatements {
    private final Map<String, PreparedStatement> bySql = new HashMap<>();
    private Connection connection;

    /** This cache for {@code writer}, emptied first if it held another connection's statements. */
    WriterStatements on(Connection writer) {
        if (writer != connection) {
            closeAll();
            connection = writer;
        }
        return this;
    }

    /** The statement for {@code sql}, prepared on first use; the caller sets every parameter before it runs it. */
    PreparedStatement prepareStatement(String sql) throws SQLException {
        PreparedStatement statement = bySql.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = connection.prepareStatement(sql);
            bySql.put(sql, statement);
        }
        return statement;
    }

    private void closeAll() {
        for (PreparedStatement statement : bySql.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // the connection it belonged to is gone or going: nothing to release
            }
        }
        bySql.clear();
    }
}
