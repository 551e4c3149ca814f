package io.tradergateway.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tradergateway.report.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The API of a hot standby (SPEC §8), on the port the full {@link ApiServer} takes once this gateway becomes active:
 * {@code GET /health} answers 200 with {@code role: standby}, {@code GET /metrics} says so too, and every other call
 * (after the bearer token check) is a 503 problem with {@code Retry-After}: the plan is not refused, it is to be sent
 * again, to whichever gateway is active by then. It knows nothing of trading state and holds no database connection.
 */
public final class StandbyApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandbyApi.class);

    private final HttpServer server;
    private final ExecutorService workers;
    private final byte[] token;
    private final Instant since;

    public StandbyApi(String bind, int port, String token, Clock clock) {
        this.token = ("Bearer " + token).getBytes(UTF_8);
        this.since = clock.instant();
        try {
            this.server = HttpServer.create(new InetSocketAddress(bind, port), 128);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on HTTP port " + port + " of " + bind + ": " + e.getMessage(), e);
        }
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "standby-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
        log.info("hot standby: API on {}:{} answers /health (role standby) and 503 to trading calls", bind, port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) {
        try (ex; InputStream in = ex.getRequestBody()) {
            in.readNBytes(ApiServer.MAX_BODY);
            String path = ex.getRequestURI().getRawPath();
            if (path.equals("/health") && ex.getRequestMethod().equals("GET")) {
                ObjectNode health = Json.MAPPER.createObjectNode();
                health.put("status", "up").put("role", "standby").put("ready", false).put("all_sessions_logged_on", false)
                        .put("standby_since", since.toString());
                health.putObject("sessions");
                send(ex, 200, Json.MAPPER.writeValueAsBytes(health), "application/json");
                return;
            }
            if (path.equals("/metrics") && ex.getRequestMethod().equals("GET")) {
                send(ex, 200, ("# HELP trader_ha_role 1 for this gateway's role (active, standby)\n# TYPE trader_ha_role gauge\n"
                        + "trader_ha_role{role=\"active\"} 0\ntrader_ha_role{role=\"standby\"} 1\n").getBytes(UTF_8),
                        "text/plain; version=0.0.4; charset=utf-8");
                return;
            }
            ApiServer.Problem p;
            if (!path.equals("/ready") && !authorized(ex)) {
                p = new ApiServer.Problem(401, "unauthorized", "missing or wrong bearer token")
                        .header("WWW-Authenticate", "Bearer realm=\"trader-gateway\"");
            } else {
                p = new ApiServer.Problem(503, "standby", "this gateway is a hot standby: another gateway is active on this "
                        + "database; retry shortly (this one takes over if the active one goes away)")
                        .with("role", "standby")
                        .header("Retry-After", Integer.toString(ApiServer.RETRY_AFTER_SECONDS));
            }
            p.headers.forEach((name, value) -> ex.getResponseHeaders().set(name, value));
            send(ex, p.status, Json.MAPPER.writeValueAsBytes(p.body), "application/problem+json");
        } catch (IOException e) {
            log.debug("standby API {} {}: client went away: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
        }
    }

    private boolean authorized(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        return header != null && MessageDigest.isEqual(header.getBytes(UTF_8), token);
    }

    private static void send(HttpExchange ex, int status, byte[] body, String contentType) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** Frees the port for the full API (the active gateway's). */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
