package io.tradergateway.process;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradergateway.report.Json;
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
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway in a child JVM: a trading state set through the API is still in force after a SIGKILL and a restart on the
 * same data folder. No venue is needed (the sessions point at closed ports and never log on).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class TradingStateProcessTest {
    private static final String TOKEN = "state-token";
    @TempDir
    Path dir;
    private Process gateway;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int httpPort;

    @AfterEach
    void stop() {
        if (gateway != null) gateway.destroyForcibly();
    }

    @Test
    void aHaltedGatewayComesBackHaltedAfterAKill() throws Exception {
        String fixCfg = Files.readString(Path.of("fix-config/gateway.cfg"))
                .replaceAll("(SocketConnectPort=)\\d+", "$1" + closedPort());
        Path cfgFile = Files.writeString(dir.resolve("gateway.cfg"), fixCfg);
        Path settings = Files.writeString(dir.resolve("test.properties"), "fix.config=" + cfgFile.toAbsolutePath() + "\n");
        httpPort = closedPort();

        gateway = startGateway(settings);
        awaitUp();
        assertThat(call("GET", "/v1/trading-state", null).path("state").asText()).isEqualTo("active");
        assertThat(call("POST", "/v1/trading-state", "{\"state\": \"halted\"}").path("state").asText()).isEqualTo("halted");

        gateway.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs

        gateway = startGateway(settings);
        awaitUp();
        assertThat(call("GET", "/v1/trading-state", null).path("state").asText()).isEqualTo("halted");
        assertThat(call("GET", "/health", null).path("trading_state").asText()).isEqualTo("halted");
        assertThat(Files.readString(dir.resolve("gateway-process.log"))).contains("trading state halted (stored)");
    }

    @Test
    void aSigtermStopsInOrderWithTheDatabaseClosedLast() throws Exception {
        String fixCfg = Files.readString(Path.of("fix-config/gateway.cfg"))
                .replaceAll("(SocketConnectPort=)\\d+", "$1" + closedPort());
        Path cfgFile = Files.writeString(dir.resolve("gateway.cfg"), fixCfg);
        Path settings = Files.writeString(dir.resolve("test.properties"), "fix.config=" + cfgFile.toAbsolutePath() + "\n");
        httpPort = closedPort();
        gateway = startGateway(settings);
        awaitUp();

        gateway.destroy(); // SIGTERM: the shutdown hook stops the gateway
        assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(dir.resolve("gateway-process.log"));
        // The engine's last commit and the listing of working orders happen before the database closes, not after
        // H2's own shutdown hook closed it under them.
        assertThat(log).contains("gateway stopping: no working orders", "gateway stopped").doesNotContain("already closed");
    }

    private Process startGateway(Path settings) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.tradergateway.app.Main", "gateway",
                "--config", settings.toAbsolutePath().toString());
        pb.environment().put("TRADER_HTTP_PORT", String.valueOf(httpPort));
        pb.environment().put("TRADER_API_TOKEN", TOKEN);
        pb.environment().put("TRADER_DATA_DIR", dir.resolve("gateway").toAbsolutePath().toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("gateway-process.log").toFile()));
        return pb.start();
    }

    private void awaitUp() {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> call("GET", "/health", null).has("status"));
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(20));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return Json.MAPPER.readTree(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
