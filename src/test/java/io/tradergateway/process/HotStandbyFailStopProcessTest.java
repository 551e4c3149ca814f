package io.tradergateway.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradergateway.report.Json;
import io.tradergateway.store.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Split brain is impossible by construction: an active gateway (ha.standby) whose database writer session is cut, and
 * whose writer lock another session then takes (as a standby would), stops at once: FIX sessions closed, exit status 3.
 * No venue is needed (the sessions point at closed ports).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class HotStandbyFailStopProcessTest {
    private static final String TOKEN = "failstop-token";
    /** Database.PG_WRITER_LOCK. */
    private static final int PG_WRITER_LOCK = 0x54475744;
    @TempDir
    Path dir;
    private Process gateway;
    private String dbUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) gateway.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        if (dbUrl != null) PostgresTestServer.shared().dropDatabase(dbUrl);
    }

    @Test
    void activeWhoseWriterLockIsTakenStopsAtOnce() throws Exception {
        PostgresTestServer pg = PostgresTestServer.shared();
        dbUrl = pg.createDatabase();
        String fixCfg = Files.readString(Path.of("fix-config/gateway.cfg")).replaceAll("(SocketConnectPort=)\\d+", "$1" + freePort());
        Path cfgFile = Files.writeString(dir.resolve("gateway.cfg"), fixCfg);
        Path settings = Files.writeString(dir.resolve("test.properties"), "fix.config=" + cfgFile.toAbsolutePath() + "\n");
        int httpPort = freePort();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.tradergateway.app.Main", "gateway",
                "--config", settings.toAbsolutePath().toString());
        pb.environment().put("TRADER_HTTP_PORT", String.valueOf(httpPort));
        pb.environment().put("TRADER_API_TOKEN", TOKEN);
        pb.environment().put("TRADER_DATA_DIR", dir.resolve("gateway").toAbsolutePath().toString());
        pb.environment().put("TRADER_DB_URL", dbUrl);
        pb.environment().put("TRADER_DB_USER", pg.user());
        pb.environment().put("TRADER_DB_PASSWORD", pg.password());
        pb.environment().put("TRADER_HA_STANDBY", "true");
        pb.environment().put("TRADER_HA_POLL_MS", "200");
        pb.redirectErrorStream(true);
        Path log = dir.resolve("gateway.log");
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        gateway = pb.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> "active".equals(
                health(httpPort).path("role").asText()));

        try (Connection c = DriverManager.getConnection(dbUrl, pg.user(), pg.password()); Statement st = c.createStatement()) {
            int writer;
            try (ResultSet rs = st.executeQuery("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = "
                    + PG_WRITER_LOCK + " AND objsubid = 2 AND granted")) {
                assertThat(rs.next()).as("the active holds the writer lock").isTrue();
                writer = rs.getInt(1);
            }
            st.execute("SELECT pg_terminate_backend(" + writer + ")");
            // Take the lock as a standby would (waits until the server has released it with the cut session).
            st.execute("SELECT pg_advisory_lock(" + PG_WRITER_LOCK + ", hashtext(COALESCE(current_schema(), '')))");

            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("the gateway stopped").isTrue();
            assertThat(gateway.exitValue()).isEqualTo(3);
        }
        assertThat(Files.readString(log)).contains("FAIL-STOP", "gateway stopped");
    }

    private JsonNode health(int port) throws Exception {
        return Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
