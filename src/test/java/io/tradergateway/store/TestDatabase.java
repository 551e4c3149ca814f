package io.tradergateway.store;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The databases the store tests run on, so that the "the JDBC URL is configuration" promise is tested and not
 * assumed: H2 in file mode (the default), H2 in PostgreSQL compatibility mode (a cheap proxy that runs
 * everywhere) and a real PostgreSQL server: the one the test JVM starts itself ({@link PostgresTestServer}), or
 * the one {@value #PG_URL} names ({@value #PG_USER} and {@value #PG_PASSWORD} for its credentials).
 */
enum TestDatabase {
    H2_FILE {
        @Override
        Fresh fresh(Path dir) {
            return new Fresh("jdbc:h2:file:" + dir.resolve("db"), "sa", "", () -> { });
        }
    },
    H2_POSTGRESQL_MODE {
        @Override
        Fresh fresh(Path dir) {
            return new Fresh("jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                    "sa", "", () -> { });
        }
    },
    POSTGRESQL {
        /** Each test gets a schema of its own (dropped afterwards), so runs and tests never see each other's rows. */
        @Override
        Fresh fresh(Path dir) {
            String url = System.getenv(PG_URL);
            String user;
            String password;
            if (url != null && !url.isBlank()) {
                user = System.getenv().getOrDefault(PG_USER, "");
                password = System.getenv().getOrDefault(PG_PASSWORD, "");
            } else {
                PostgresTestServer server = PostgresTestServer.shared();
                url = server.url();
                user = server.user();
                password = server.password();
            }
            String schema = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
            String serverUrl = url;
            execute(serverUrl, user, password, "CREATE SCHEMA " + schema);
            return new Fresh(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password,
                    () -> execute(serverUrl, user, password, "DROP SCHEMA " + schema + " CASCADE"));
        }
    };

    static final String PG_URL = "TRADER_TEST_PG_URL";
    static final String PG_USER = "TRADER_TEST_PG_USER";
    static final String PG_PASSWORD = "TRADER_TEST_PG_PASSWORD";

    /** A parameterized test run once per {@link TestDatabase}; the test method takes it as its parameter. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tradergateway.store.TestDatabase#all")
    @interface OnEachDatabase {
    }

    static Stream<TestDatabase> all() {
        return Stream.of(values());
    }

    /** An empty database for one test, in {@code dir} where it is a file. */
    abstract Fresh fresh(Path dir);

    /** Connection settings of an empty database; {@link #close()} drops what the test left there. */
    record Fresh(String url, String user, String password, Runnable cleanup) implements AutoCloseable {
        Database open() {
            return Database.open(url, user, password);
        }

        @Override
        public void close() {
            cleanup.run();
        }
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + url + ": " + e.getMessage(), e);
        }
    }
}
