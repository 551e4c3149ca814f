package io.tradergateway.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradergateway.report.Json;
import io.tradergateway.store.Database;
import io.tradergateway.store.PostgresTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** ha.standby settings, the standby API, and the wait for the writer lock (on the test PostgreSQL). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HotStandbyTest {
    private static final int PG_WRITER_LOCK = 0x54475744;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private String dbUrl;

    @AfterEach
    void drop() {
        if (dbUrl != null) PostgresTestServer.shared().dropDatabase(dbUrl);
    }

    @Test
    void settingsAreValidatedAndOffByDefault() {
        GatewayConfig defaults = GatewayConfig.load(null, Map.of());
        assertThat(defaults.haStandby()).isFalse();
        assertThat(defaults.haPoll()).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> GatewayConfig.load(null, Map.of("TRADER_HA_STANDBY", "yes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ha.standby (TRADER_HA_STANDBY) must be true or false");
        assertThatThrownBy(() -> GatewayConfig.load(null, Map.of("TRADER_HA_STANDBY", "true")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs a PostgreSQL db.url");
        assertThatThrownBy(() -> GatewayConfig.load(null, Map.of("TRADER_HA_POLL_MS", "5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ha.poll.ms");
        GatewayConfig on = GatewayConfig.load(null, Map.of("TRADER_HA_STANDBY", "TRUE", "TRADER_DB_URL", "jdbc:postgresql://db:5432/trader",
                "TRADER_HA_POLL_MS", "250"));
        assertThat(on.haStandby()).isTrue();
        assertThat(on.haPoll()).isEqualTo(Duration.ofMillis(250));
        assertThat(defaults.withHaStandby(true, Duration.ofMillis(100)).haStandby()).isTrue();
    }

    @Test
    void waitsAsStandbyUntilTheLockIsFreeAndWaitsAgainAfterLosingTheRace() throws Exception {
        PostgresTestServer pg = PostgresTestServer.shared();
        dbUrl = pg.createDatabase();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        env.put("TRADER_DB_URL", dbUrl);
        env.put("TRADER_DB_USER", pg.user());
        env.put("TRADER_HA_STANDBY", "true");
        env.put("TRADER_HA_POLL_MS", "50");
        env.put("TRADER_HTTP_PORT", Integer.toString(port));
        env.put("TRADER_API_TOKEN", "t0k");
        GatewayConfig config = GatewayConfig.load(null, env);
        AtomicInteger starts = new AtomicInteger();
        try (Connection holder = DriverManager.getConnection(dbUrl, pg.user(), pg.password()); Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + PG_WRITER_LOCK + ", hashtext(COALESCE(current_schema(), '')))");
            CompletableFuture<GatewayApp> active = CompletableFuture.supplyAsync(() -> HotStandby.startWhenActive(config,
                    Clock.systemUTC(), () -> {
                        if (starts.incrementAndGet() == 1) {
                            // A third gateway took the lock between the probe and the open.
                            throw new ConfigException("setting db.url (TRADER_DB_URL): cannot open database",
                                    new IllegalStateException("cannot open", new Database.WriterLockHeld("another gateway ...")));
                        }
                        return null;
                    }));
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> "standby".equals(get(port, "/health", null).path("role").asText()));
            HttpResponse<String> plan = send(port, "/v1/plans", "t0k", "{}");
            assertThat(plan.statusCode()).isEqualTo(503);
            assertThat(plan.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(plan.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = Json.MAPPER.readTree(plan.body());
            assertThat(problem.path("status").asInt()).isEqualTo(503);
            assertThat(problem.path("code").asText()).isEqualTo("standby");
            assertThat(problem.path("role").asText()).isEqualTo("standby");
            assertThat(send(port, "/v1/positions", "wrong", null).statusCode()).isEqualTo(401);
            assertThat(send(port, "/ready", null, null).statusCode()).isEqualTo(503);
            assertThat(send(port, "/metrics", null, null).body()).contains("trader_ha_role{role=\"standby\"} 1");
            assertThat(starts.get()).as("nothing started while the lock is held").isZero();

            st.execute("SELECT pg_advisory_unlock(" + PG_WRITER_LOCK + ", hashtext(COALESCE(current_schema(), '')))");
            assertThat(active.get(20, TimeUnit.SECONDS)).isNull();
            assertThat(starts.get()).as("lost the race once, then started").isEqualTo(2);
        }
        assertThatThrownBy(() -> send(port, "/health", null, null)).as("the standby API is closed once active")
                .isInstanceOf(IOException.class);
    }

    @Test
    void aDatabaseThatCannotBeOpenedOrAPortInUseStopsStartUpWithOneLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        GatewayConfig unreachable = GatewayConfig.load(null, Map.of("TRADER_HA_STANDBY", "true",
                "TRADER_DB_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/trader"));
        assertThatThrownBy(() -> HotStandby.startWhenActive(unreachable, Clock.systemUTC(), () -> null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("setting db.url (TRADER_DB_URL): cannot open database");

        PostgresTestServer pg = PostgresTestServer.shared();
        dbUrl = pg.createDatabase();
        try (ServerSocket taken = new ServerSocket(0);
             Connection holder = DriverManager.getConnection(dbUrl, pg.user(), pg.password()); Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(" + PG_WRITER_LOCK + ", hashtext(COALESCE(current_schema(), '')))");
            GatewayConfig config = GatewayConfig.load(null, Map.of("TRADER_HA_STANDBY", "true", "TRADER_DB_URL", dbUrl,
                    "TRADER_DB_USER", pg.user(), "TRADER_HTTP_PORT", Integer.toString(taken.getLocalPort()), "TRADER_HTTP_BIND", "0.0.0.0"));
            assertThatThrownBy(() -> HotStandby.startWhenActive(config, Clock.systemUTC(), () -> null))
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("setting http.port (TRADER_HTTP_PORT)");
        }
    }

    private JsonNode get(int port, String path, String token) throws Exception {
        return Json.MAPPER.readTree(send(port, path, token, null).body());
    }

    private HttpResponse<String> send(int port, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) b.POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
