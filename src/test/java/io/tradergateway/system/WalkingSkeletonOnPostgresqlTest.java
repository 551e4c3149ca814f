package io.tradergateway.system;

import io.tradergateway.store.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@link WalkingSkeletonTest} with the whole gateway on PostgreSQL (the test JVM's own server, a new database
 * per test) instead of the embedded H2: HTTP in, FIX out and back, exec-reports, and a restart that recovers from the
 * database and takes the writer lock again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WalkingSkeletonOnPostgresqlTest extends WalkingSkeletonTest {
    private String dbUrl;

    @Override
    GatewayHarness startGateway(Path dir) {
        PostgresTestServer server = PostgresTestServer.shared();
        dbUrl = server.createDatabase();
        GatewayHarness harness = GatewayHarness.start(dir, UnaryOperator.identity(),
                config -> config.withDb(dbUrl, server.user(), server.password()));
        assertThat(harness.config.dbUrl()).as("the gateway runs on PostgreSQL").isEqualTo(dbUrl);
        return harness;
    }

    @Override
    @AfterEach
    void stop() {
        try {
            super.stop();
        } finally {
            if (dbUrl != null) PostgresTestServer.shared().dropDatabase(dbUrl);
        }
    }
}
