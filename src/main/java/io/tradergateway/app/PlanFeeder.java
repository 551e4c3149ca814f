package io.tradergateway.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.report.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

/**
 * Demo helper behind {@code --feed-plans DIR}: once every FIX session is logged on, posts each sample plan
 * through the public API, as a Decision Maker would. Samples are templates: each run gets fresh
 * {@code created_at}/{@code valid_until} and a run suffix on {@code plan_id}, so they are never stale nor
 * mistaken for re-sends of an earlier run.
 */
final class PlanFeeder {
    private static final Logger log = LoggerFactory.getLogger(PlanFeeder.class);

    private final GatewayConfig config;
    private final int port;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    PlanFeeder(GatewayConfig config, int port, Path dir) {
        this.config = config;
        this.port = port;
        this.dir = dir;
    }

    void feedWhenReady() {
        Thread t = new Thread(this::feed, "plan-feeder");
        t.setDaemon(true);
        t.start();
    }

    private void feed() {
        try {
            waitForSessions();
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            String run = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
            for (Path file : files) {
                ObjectNode plan = (ObjectNode) Json.MAPPER.readTree(Files.readString(file));
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                plan.put("plan_id", plan.path("plan_id").asText() + "-" + run);
                plan.put("created_at", now.toString());
                plan.put("valid_until", now.plus(Duration.ofMinutes(10)).toString());
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(api("/v1/plans"))
                                .header("Authorization", "Bearer " + config.apiToken())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(plan))).build(),
                        HttpResponse.BodyHandlers.ofString());
                log.info("fed sample plan {} as {}: HTTP {} {}", file.getFileName(), plan.get("plan_id").asText(),
                        response.statusCode(), response.body().replaceAll("\\s+", " "));
            }
        } catch (IOException e) {
            log.error("feeding sample plans from {} failed: {}", dir, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitForSessions() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(api("/ready")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (ready.statusCode() == 200) {
                Thread.sleep(1_000); // let the venues' market data snapshots arrive
                return;
            }
            Thread.sleep(250);
        }
        log.warn("the gateway was not ready (GET /ready) within 60 s; feeding the sample plans anyway");
    }

    private URI api(String path) {
        String host = config.httpBind();
        if (host.equals("0.0.0.0") || host.equals("::")) host = "127.0.0.1";
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + port + path);
    }
}
