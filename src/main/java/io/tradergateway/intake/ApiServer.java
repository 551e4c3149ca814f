package io.tradergateway.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tradergateway.execution.TradingEngine;
import io.tradergateway.plan.FieldError;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanIssue;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.report.Json;
import io.tradergateway.report.delivery.OutboxEntry;
import io.tradergateway.report.delivery.ReportDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The internal HTTP API (SPEC §3) on the JDK's HTTP server. Schema checks (400) run here on the request
 * thread; everything that touches trading state is an event for the engine, answered once it is committed.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /**
     * A plan is a couple of kilobytes; 64 KiB leaves room for long notes and unknown fields while keeping the stored
     * plan text (column {@code plans.plan_json}) far inside its width, so an oversized body is a 413, never a failed commit.
     */
    static final int MAX_BODY = 64 * 1024;

    static {
        // Without TCP_NODELAY every answer's last segment waits ~40 ms for the client's delayed ACK (BENCHMARKS.md).
        // The JDK server reads this once, when its configuration class loads: set it before any server exists.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final byte[] token;
    private final Duration timeout;
    private final PlanParser parser = new PlanParser();
    private final TradingEngine engine;
    private final ApiQueries queries;

    public ApiServer(int port, String token, Duration timeout, TradingEngine engine, ApiQueries queries) {
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
        this.engine = engine;
        this.queries = queries;
        try {
            this.server = HttpServer.create(new InetSocketAddress(port), 128);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on HTTP port " + port + ": " + e.getMessage(), e);
        }
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
        log.info("internal API listening on port {}", port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        // No interrupts: a worker interrupted inside H2 file I/O would close the database (H2 issue #227).
        workers.shutdown();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/health") && method.equals("GET")) {
                send(ex, 200, queries.health());
                return;
            }
            if (path.equals("/metrics") && method.equals("GET")) {
                sendText(ex, 200, queries.metrics());
                return;
            }
            if (!authorized(ex)) {
                send(ex, 401, error("missing or wrong bearer token"));
                return;
            }
            route(ex, method, path);
        } catch (Exception e) {
            log.error("API {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            try {
                send(ex, 500, error("internal error: " + e.getMessage()));
            } catch (IOException ignored) {
                // the client is gone
            }
        }
    }

    private void route(HttpExchange ex, String method, String path) throws Exception {
        List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/"));
        if (parts.size() >= 2 && parts.get(0).equals("v1")) {
            String resource = parts.get(1);
            if (resource.equals("plans")) {
                if (parts.size() == 2 && method.equals("POST")) {
                    postPlan(ex);
                    return;
                }
                if (parts.size() == 3 && method.equals("GET")) {
                    ObjectNode view = queries.plan(decode(parts.get(2)));
                    if (view == null) send(ex, 404, error("no plan " + parts.get(2)));
                    else send(ex, 200, view);
                    return;
                }
                if (parts.size() == 4 && parts.get(3).equals("cancel") && method.equals("POST")) {
                    outcome(ex, engine.cancel(decode(parts.get(2))));
                    return;
                }
            }
            if (resource.equals("market") && parts.size() == 3 && method.equals("GET")) {
                String symbol = decode(parts.get(2));
                ObjectNode view = await(queries.market(symbol));
                if (view == null) send(ex, 404, error("no venue lists " + symbol));
                else send(ex, 200, view);
                return;
            }
            if (parts.size() == 2 && method.equals("GET")) {
                switch (resource) {
                    case "positions" -> {
                        send(ex, 200, await(queries.positions()));
                        return;
                    }
                    case "venues" -> {
                        send(ex, 200, await(queries.venues()));
                        return;
                    }
                    case "exec-reports" -> {
                        execReports(ex);
                        return;
                    }
                    case "consumers" -> {
                        send(ex, 200, queries.consumers());
                        return;
                    }
                    default -> {
                    }
                }
            }
            if (resource.equals("venues") && parts.size() == 4 && method.equals("POST")) {
                ApiQueries.Answer a = queries.venueSession(decode(parts.get(2)), parts.get(3), readBody(ex));
                send(ex, a.status(), a.body() != null ? a.body() : error(a.message()));
                return;
            }
            if (parts.size() == 2 && resource.equals("kill-switch") && method.equals("POST")) {
                killSwitch(ex);
                return;
            }
        }
        send(ex, 404, error("no such endpoint: " + method + " " + path));
    }

    private void postPlan(HttpExchange ex) throws Exception {
        String body = readBody(ex);
        if (body == null) {
            send(ex, 413, error("request body larger than " + MAX_BODY + " bytes"));
            return;
        }
        ParseResult parsed = parser.parse(body);
        if (parsed instanceof ParseResult.Parsed ok) {
            if (!ok.ignoredKeys().isEmpty()) log.info("plan={} ignoring unknown fields {}", ok.plan().planId(), ok.ignoredKeys());
            outcome(ex, engine.submit(ok.plan(), body));
        } else {
            List<FieldError> errors = parsed.errors();
            log.warn("plan refused (400): {}", errors);
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("error", "malformed plan");
            ArrayNode list = out.putArray("errors");
            for (FieldError e : errors) list.addObject().put("field", e.field()).put("message", e.message());
            send(ex, 400, out);
        }
    }

    private void outcome(HttpExchange ex, CompletableFuture<TradingEngine.SubmitOutcome> future) throws Exception {
        TradingEngine.SubmitOutcome o = await(future);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("plan_id", o.planId());
        out.put("state", o.state());
        out.put("message", o.message());
        if (!o.issues().isEmpty()) {
            ArrayNode list = out.putArray("errors");
            for (PlanIssue i : o.issues()) list.addObject().put("field", i.field()).put("code", i.code()).put("message", i.message());
        }
        send(ex, o.httpStatus(), out);
    }

    private void execReports(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI());
        long after;
        int limit;
        try {
            after = Long.parseLong(q.getOrDefault("after", "0"));
            limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        } catch (NumberFormatException e) {
            send(ex, 400, error("after and limit must be integers"));
            return;
        }
        if (after < 0) {
            send(ex, 400, error("after must be 0 or more, got " + after));
            return;
        }
        send(ex, 200, reportsPage(ReportDispatcher.page(queries.outbox(), after, limit), after));
    }

    /** The body of {@code GET /v1/exec-reports}: the stored reports verbatim and the last sequence of the page. */
    static ObjectNode reportsPage(List<OutboxEntry> page, long after) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode reports = out.putArray("reports");
        // The stored text verbatim, as consumers receive it by push (190.00 stays 190.00).
        for (OutboxEntry e : page) reports.addRawValue(new RawValue(e.json()));
        out.put("last_sequence", page.isEmpty() ? after : page.get(page.size() - 1).sequence());
        return out;
    }

    private void killSwitch(HttpExchange ex) throws Exception {
        String body = readBody(ex);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body == null ? "" : body);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.path("engaged").isBoolean()) {
            ObjectNode out = error("body must be {\"engaged\": true|false}");
            out.putArray("errors").addObject().put("field", "engaged").put("message", "required boolean");
            send(ex, 400, out);
            return;
        }
        boolean engaged = await(engine.killSwitch(node.get("engaged").booleanValue()));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("engaged", engaged);
        send(ex, 200, out);
    }

    private <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the trading engine did not answer within " + timeout.toMillis() + " ms");
        }
    }

    private boolean authorized(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), token);
    }

    private static String readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) return null;
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static ObjectNode error(String message) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("error", message);
        return node;
    }

    /** An answer's bytes: pretty-printed UTF-8 JSON. */
    static byte[] bytesOf(Object body) throws IOException {
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = bytesOf(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendText(HttpExchange ex, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
