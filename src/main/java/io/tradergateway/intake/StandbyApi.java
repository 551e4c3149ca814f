package io.tradergateway.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.report.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The API of a hot standby (SPEC §8), on the port the full {@link ApiServer} takes once this gateway becomes active:
 * {@code GET /health} answers 200 with {@code role: standby}, {@code GET /metrics} says so too, and every other call
 * (after the bearer token check) is a 503 problem with {@code Retry-After}: the plan is not refused, it is to be sent
 * again, to whichever gateway is active by then. It knows nothing of trading state and holds no database connection.
 */
public final class StandbyApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandbyApi.class);

    private final HttpTransport server;
    private final byte[] token;
    private final Instant since;

    public StandbyApi(String bind, int port, String token, Clock clock) {
        this.token = ("Bearer " + token).getBytes(UTF_8);
        this.since = clock.instant();
        // Every answer is made at once from what this object holds: all of it runs on the I/O thread.
        byte[] tooLarge = ApiServer.bytesOf(ApiServer.bodyTooLarge(ApiServer.MAX_BODY).body);
        this.server = new HttpTransport(bind, port, "standby-api-io", ApiServer.MAX_BODY, tooLarge, ApiServer.REQUEST_TIMEOUT,
                ApiServer.ANSWER_LIMIT, this::handle);
        server.start();
        log.info("hot standby: API on {}:{} answers /health (role standby) and 503 to trading calls", bind, port());
    }

    public int port() {
        return server.port();
    }

    private void handle(ApiExchange ex) {
        try {
            String path = ex.uri().getRawPath();
            if (path.equals("/health") && ex.method().equals("GET")) {
                ObjectNode health = Json.MAPPER.createObjectNode();
                health.put("status", "up").put("role", "standby").put("ready", false).put("all_sessions_logged_on", false)
                        .put("standby_since", since.toString());
                health.putObject("sessions");
                ex.send(200, Json.MAPPER.writeValueAsBytes(health), "application/json");
                return;
            }
            if (path.equals("/metrics") && ex.method().equals("GET")) {
                ex.send(200, ("# HELP trader_ha_role 1 for this gateway's role (active, standby)\n# TYPE trader_ha_role gauge\n"
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
            p.headers.forEach(ex::responseHeader);
            ex.send(p.status, Json.MAPPER.writeValueAsBytes(p.body), "application/problem+json");
        } catch (JsonProcessingException e) {
            log.error("standby API {} {}: cannot write the answer", ex.method(), ex.uri(), e);
            ex.abort();
        }
    }

    private boolean authorized(ApiExchange ex) {
        String header = ex.requestHeader("Authorization");
        return header != null && MessageDigest.isEqual(header.getBytes(UTF_8), token);
    }

    /** Frees the port for the full API (the active gateway's). */
    @Override
    public void close() {
        server.close();
    }
}
