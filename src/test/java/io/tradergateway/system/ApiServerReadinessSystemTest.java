package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradergateway.app.GatewayApp;
import io.tradergateway.app.GatewayConfig;
import io.tradergateway.report.Json;
import io.tradergateway.simvenue.SimVenue;
import io.tradergateway.simvenue.SimVenueConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The gateway starts before its venue (SPEC §3 readiness): plans wait with a 503 instead of failing for good. */
@Timeout(120)
class ApiServerReadinessSystemTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private GatewayApp app;
    private SimVenue sim;

    @AfterEach
    void stop() {
        if (app != null) app.close();
        if (sim != null) sim.close();
    }

    @Test
    void aVenueThatLogsOnLateGets503WithRetryAfterThenTheSamePlanIdIsAccepted() throws Exception {
        SimVenueConfig simConfig = SimVenueConfig.load(Path.of("sim-venue")).withSeed(42).withTickInterval(Duration.ZERO)
                .withDataDir(dir.resolve("sim"));
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String venue : simConfig.venues()) {
            int port = GatewayHarness.freePort();
            ports.put(venue, port);
            simConfig = simConfig.withPort(venue, port);
        }
        GatewayConfig config = GatewayConfig.load(null, Map.of("TRADER_API_TOKEN", GatewayHarness.TOKEN))
                .withDataDir(dir.resolve("gateway")).withHttpPort(0).withFixPorts(ports);
        app = GatewayApp.start(config, Clock.systemUTC());

        HttpResponse<String> notReady = call("GET", "/ready", null);
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.headers().firstValue("Retry-After")).isPresent();
        String plan = Plans.market("late+1/%x", "AAPL", "long").toString();
        HttpResponse<String> early = call("POST", "/v1/plans", plan);
        assertThat(early.statusCode()).isEqualTo(503);
        assertThat(early.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(early.headers().firstValue("Retry-After")).isPresent();
        assertThat(Json.MAPPER.readTree(early.body()).path("plan_id").asText()).isEqualTo("late+1/%x");

        sim = SimVenue.start(simConfig);
        await().atMost(GatewayHarness.WAIT).until(() -> call("GET", "/ready", null).statusCode() == 200);

        // Ready, but the first prices may still be on their way: a 503 again (never a 422) until they are in, as a client
        // that honours Retry-After sees.
        AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
        await().atMost(GatewayHarness.WAIT).until(() -> {
            answer.set(call("POST", "/v1/plans", plan));
            return answer.get().statusCode() != 503;
        });
        HttpResponse<String> accepted = answer.get();
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        // The id round-trips: + stays a plus, %2F is the slash, %25 the percent sign.
        HttpResponse<String> view = call("GET", "/v1/plans/late+1%2F%25x", null);
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(view.body()).path("plan_id").asText()).isEqualTo("late+1/%x");
        JsonNode listed = Json.MAPPER.readTree(call("GET", "/v1/plans?limit=10", null).body());
        assertThat(listed.path("plans").findValuesAsText("plan_id")).containsExactly("late+1/%x");
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .header("Authorization", "Bearer " + GatewayHarness.TOKEN).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
