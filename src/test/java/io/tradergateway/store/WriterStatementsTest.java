package io.tradergateway.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WriterStatementsTest {
    private static final String INSERT = "INSERT INTO t(v) VALUES (?)";

    @Test
    void aStatementIsPreparedOnceAndRunsAgainWithNewParameters() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:")) {
            c.createStatement().execute("CREATE TABLE t(v INT)");
            WriterStatements statements = new WriterStatements().on(c);

            PreparedStatement first = statements.prepareStatement(INSERT);
            first.setInt(1, 1);
            first.executeUpdate();
            PreparedStatement again = statements.prepareStatement(INSERT);
            again.setInt(1, 2);
            again.executeUpdate();

            assertThat(again).isSameAs(first);
            var rs = c.createStatement().executeQuery("SELECT SUM(v) FROM t");
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void aNewWriterConnectionClosesTheOldStatementsAndPreparesAgain() throws SQLException {
        try (Connection old = DriverManager.getConnection("jdbc:h2:mem:shared;DB_CLOSE_DELAY=-1");
             Connection fresh = DriverManager.getConnection("jdbc:h2:mem:shared")) {
            old.createStatement().execute("CREATE TABLE t(v INT)");
            WriterStatements statements = new WriterStatements();
            PreparedStatement onOld = statements.on(old).prepareStatement(INSERT);

            PreparedStatement onFresh = statements.on(fresh).prepareStatement(INSERT);

            assertThat(onOld.isClosed()).isTrue();
            assertThat(onFresh).isNotSameAs(onOld);
            assertThat(onFresh.getConnection()).isSameAs(fresh);
            assertThat(statements.on(fresh).prepareStatement(INSERT)).isSameAs(onFresh);
            old.createStatement().execute("DROP TABLE t");
        }
    }
}
