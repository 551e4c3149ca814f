package io.tradergateway.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.tradergateway.execution.PlanState;
import io.tradergateway.execution.TradingEngine;
import io.tradergateway.execution.TradingState;
import io.tradergateway.plan.FieldError;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanIssue;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.report.Json;
import io.tradergateway.report.delivery.OutboxEntry;
import io.tradergateway.report.delivery.ReportDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The internal HTTP API (SPEC §3) on {@link HttpTransport} (Netty, one I/O thread). {@code POST /v1/plans} with one plan
 * never blocks: its schema check (400) runs on the I/O thread, the plan goes to the engine, and the answer is written when
 * the engine's batch is durable; no thread waits for it. Every other call may block (database queries, a batch's answers,
 * a report stream) and runs on a worker thread of its own.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /**
     * A plan is a couple of kilobytes; 64 KiB leaves room for long notes and unknown fields while keeping the stored
     * plan text (column {@code plans.plan_json}) far inside its width, so an oversized body is a 413, never a failed commit.
     */
    static final int MAX_BODY = 64 * 1024;
    /** Most plans in one {@code application/x-ndjson} batch (blank lines not counted); more is a 413. */
    static final int MAX_BATCH_PLANS = 10_000;
    /** Largest {@code application/x-ndjson} body: room for {@link #MAX_BATCH_PLANS} plans of 1.6 KiB; more is a 413. */
    static final int MAX_BATCH_BODY = 16 * 1024 * 1024;
    /** What is kept back from the answer time limit ({@link #ANSWER_LIMIT}) for writing the answer itself. */
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(5);

    /**
     * A connection silent this long with no answer pending (an idle keep-alive, or a client stalled half way through its
     * request) is closed. System property {@code trader.api.maxRequestSeconds}.
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(Long.getLong("trader.api.maxRequestSeconds", 30));
    /**
     * The longest an answer may take to be written: a plan batch and a report stream end on their own a margin before it,
     * and the end of a stream that a client does not take within it closes the connection. System property
     * {@code trader.api.maxAnswerSeconds}.
     */
    static final Duration ANSWER_LIMIT = Duration.ofSeconds(Long.getLong("trader.api.maxAnswerSeconds", 30));

    /**
     * Worker threads for the calls that may block. A connection holds none while it waits (the I/O thread watches it), and
     * neither do plans waiting for the engine (alone or in a batch) or a report stream, so this bounds calls in progress,
     * not clients: a query holds one while it runs, a batch while it is parsed and handed to the engine. The pool never
     * queues; past the cap a call is a 503 {@code busy} with {@code Retry-After}.
     */
    static final int MAX_WORKERS = 256;
    /** How long a stop waits for open report streams to end cleanly before it closes their connections. */
    private static final Duration STREAMS_STOP_WAIT = Duration.ofSeconds(1);
    /** What {@code Retry-After} says on a 503 (not ready, engine time-out). */
    static final int RETRY_AFTER_SECONDS = 1;
    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String NDJSON = "application/x-ndjson";

    private final HttpTransport server;
    private final ExecutorService workers;
    private final byte[] token;
    private final Duration timeout;
    private final PlanParser parser = new PlanParser();
    private final TradingEngine engine;
    private final ApiQueries queries;
    private final BooleanSupplier ready;
    private final ReportStreams streams;

    /** An API whose report streams are never told of a commit (they see new reports at their heartbeat): tests. */
    public ApiServer(String bind, int port, String token, Duration timeout, TradingEngine engine, ApiQueries queries,
                     BooleanSupplier ready) {
        this(bind, port, token, timeout, engine, queries, ready, new ReportStreams());
    }

    /**
     * @param bind    the address to listen on ({@code 127.0.0.1} = this machine only, {@code 0.0.0.0} = every interface)
     * @param ready   whether the venues are ready: until then {@code GET /ready} and {@code POST /v1/plans} answer 503
     * @param streams what {@code GET /v1/exec-reports/stream} answers wait on; the engine side tells it of each commit, and
     *                {@link #close()} closes it
     */
    public ApiServer(String bind, int port, String token, Duration timeout, TradingEngine engine, ApiQueries queries,
                     BooleanSupplier ready, ReportStreams streams) {
        this.streams = streams;
        this.token = ("Bearer " + token).getBytes(UTF_8);
        this.timeout = timeout;
        this.engine = engine;
        this.queries = queries;
        this.ready = ready;
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(4, MAX_WORKERS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "api-worker-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        byte[] tooLarge = bytesOf(bodyTooLarge(MAX_BATCH_BODY).body);
        this.server = new HttpTransport(bind, port, "api-io", MAX_BATCH_BODY, tooLarge, REQUEST_TIMEOUT, ANSWER_LIMIT, this::accept);
    }

    public void start() {
        server.start();
        log.info("internal API listening on {}:{}", server.host(), port());
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        // Open report streams end first, each with a clean end of its answer, for a moment at most: the stop closes every
        // connection, and one stream stuck writing to a client that reads nothing must not hold the stop.
        streams.close();
        try {
            if (!streams.awaitEnded(STREAMS_STOP_WAIT)) log.info("internal API: report streams still open at stop are cut off");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        // No interrupts: a worker interrupted inside H2 file I/O would close the database (H2 issue #227).
        workers.shutdown();
    }

    /**
     * A whole request, on the I/O thread. A single plan posted to {@code /v1/plans} is handled here (it never blocks);
     * everything else on a worker.
     */
    private void accept(ApiExchange ex) {
        if (ex.method().equals("POST") && ex.uri().getRawPath().equals("/v1/plans") && !NDJSON.equals(mediaType(ex))) {
            handle(ex);
            return;
        }
        try {
            workers.execute(() -> handle(ex));
        } catch (RejectedExecutionException e) {
            log.warn("internal API: {} calls in progress; {} {} answered 503", MAX_WORKERS, ex.method(), ex.uri().getRawPath());
            reply(ex, new Problem(503, "busy", "the API is answering " + MAX_WORKERS + " calls; retry shortly")
                    .header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
        }
    }

    private void handle(ApiExchange ex) {
        try {
            dispatch(ex);
        } catch (Problem p) {
            reply(ex, p);
        } catch (Exception e) {
            log.error("API {} {} failed", ex.method(), ex.uri(), e);
            reply(ex, internalError(e));
        }
    }

    /** Sends the problem unless an answer has already started (then the connection is closed as it is). */
    private static void reply(ApiExchange ex, Problem p) {
        if (ex.answered()) {
            ex.abort();
            return;
        }
        p.headers.forEach(ex::responseHeader);
        send(ex, p.status, p.body, PROBLEM_JSON);
    }

    private void dispatch(ApiExchange ex) throws Exception {
        String method = ex.method();
        List<String> parts = segments(ex.uri().getRawPath());
        String path = String.join("/", parts);
        switch (path) {
            case "health" -> {
                allow(method, "GET");
                send(ex, 200, queries.health().put("ready", ready.getAsBoolean()));
                return;
            }
            case "metrics" -> {
                allow(method, "GET");
                sendText(ex, 200, queries.metrics());
                return;
            }
            case "ready" -> {
                allow(method, "GET");
                ready(ex);
                return;
            }
            default -> {
            }
        }
        if (!authorized(ex)) {
            throw new Problem(401, "unauthorized", "missing or wrong bearer token")
                    .header("WWW-Authenticate", "Bearer realm=\"trader-gateway\"");
        }
        route(ex, method, parts);
    }

    private void route(ApiExchange ex, String method, List<String> parts) throws Exception {
        int n = parts.size();
        String resource = n >= 2 && parts.get(0).equals("v1") ? parts.get(1) : "";
        if (resource.equals("venues") && n == 4) {
            // POST /v1/venues/{venue}/logon | logout | sequence: operating a FIX session
            allow(method, "POST");
            ApiQueries.Answer a = queries.venueSession(parts.get(2), parts.get(3), readBody(ex));
            if (a.body() == null) throw new Problem(a.status(), a.status() == 404 ? "not_found" : "bad_request", a.message());
            send(ex, a.status(), a.body());
            return;
        }
        switch (resource) {
            case "plans" -> {
                if (n == 2) {
                    if (allow(method, "GET", "POST").equals("POST")) postPlan(ex);
                    else listPlans(ex);
                    return;
                }
                if (n == 3) {
                    allow(method, "GET");
                    ObjectNode view = queries.plan(parts.get(2));
                    if (view == null) throw new Problem(404, "unknown_plan", "no plan " + parts.get(2)).with("plan_id", parts.get(2));
                    send(ex, 200, view);
                    return;
                }
                if (n == 4 && parts.get(3).equals("cancel")) {
                    allow(method, "POST");
                    answerWhenDone(ex, engine.cancel(parts.get(2)));
                    return;
                }
            }
            case "market" -> {
                if (n == 3) {
                    allow(method, "GET");
                    String symbol = parts.get(2);
                    ObjectNode view = await(queries.market(symbol));
                    if (view == null) throw new Problem(404, "unknown_symbol", "no venue lists " + symbol);
                    send(ex, 200, view);
                    return;
                }
            }
            case "exec-reports" -> {
                if (n == 3 && parts.get(2).equals("stream")) {
                    allow(method, "GET");
                    streamReports(ex);
                    return;
                }
                if (n == 2) {
                    allow(method, "GET");
                    execReports(ex);
                    return;
                }
            }
            case "positions", "venues", "consumers" -> {
                if (n == 2) {
                    allow(method, "GET");
                    switch (resource) {
                        case "positions" -> send(ex, 200, await(queries.positions()));
                        case "venues" -> send(ex, 200, await(queries.venues()));
                        default -> send(ex, 200, queries.consumers());
                    }
                    return;
                }
            }
            case "kill-switch" -> {
                if (n == 2) {
                    allow(method, "POST");
                    killSwitch(ex);
                    return;
                }
            }
            case "trading-state" -> {
                if (n == 2) {
                    if (allow(method, "GET", "POST").equals("POST")) setTradingState(ex);
                    else send(ex, 200, tradingState(engine.tradingState()));
                    return;
                }
            }
            case "quarantine" -> {
                if (n == 2) {
                    allow(method, "GET");
                    quarantine(ex);
                    return;
                }
            }
            default -> {
            }
        }
        throw new Problem(404, "not_found", "no such endpoint: " + method + " " + ex.uri().getRawPath());
    }

    /** The method when the resource takes it; otherwise a 405 naming the ones it takes. */
    private static String allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) return a;
        }
        String list = String.join(", ", allowed);
        throw new Problem(405, "method_not_allowed", method + " is not allowed here; use " + list).header("Allow", list);
    }

    private void ready(ApiExchange ex) {
        if (!ready.getAsBoolean()) throw notReady();
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("ready", true);
        send(ex, 200, out);
    }

    private static Problem notReady() {
        return new Problem(503, "not_ready", "the venue sessions are not all logged on with their instruments yet; retry shortly")
                .header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)).with("ready", false);
    }

    private void listPlans(ApiExchange ex) {
        Map<String, String> q = query(ex.uri());
        List<FieldError> errors = new ArrayList<>();
        PlanState state = null;
        String stateText = q.getOrDefault("state", "");
        if (!stateText.isEmpty()) {
            try {
                state = PlanState.valueOf(stateText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("state", "unknown state " + stateText + "; one of "
                        + Arrays.stream(PlanState.values()).map(PlanState::wireName).toList()));
            }
        }
        int limit = 100;
        try {
            limit = Integer.parseInt(q.getOrDefault("limit", "100"));
            if (limit < 1 || limit > 1000) errors.add(new FieldError("limit", "must be between 1 and 1000, got " + limit));
        } catch (NumberFormatException e) {
            errors.add(new FieldError("limit", "must be an integer"));
        }
        if (!errors.isEmpty()) throw Problem.badRequest("bad query", errors);
        String after = q.getOrDefault("after", "");
        send(ex, 200, queries.plans(state, after.isEmpty() ? null : after, limit));
    }

    private void postPlan(ApiExchange ex) throws Exception {
        if (NDJSON.equals(mediaType(ex))) {
            postPlans(ex);
            return;
        }
        String body = readBody(ex);
        if (body == null) throw bodyTooLarge(MAX_BODY);
        Admission admission = admit(body);
        if (admission.refused() != null) throw admission.refused();
        answerWhenDone(ex, admission.outcome());
    }

    /** The 413 of a body longer than {@code max} bytes (also what {@link HttpTransport} answers past its limit). */
    static Problem bodyTooLarge(int max) {
        return new Problem(413, "body_too_large", "request body larger than " + max + " bytes");
    }

    /** One plan as {@code POST /v1/plans} takes it: refused here (400 malformed, 503 not ready), or handed to the engine. */
    private record Admission(Problem refused, CompletableFuture<TradingEngine.SubmitOutcome> outcome) {
    }

    private Admission admit(String body) {
        ParseResult parsed = parser.parse(body);
        if (!(parsed instanceof ParseResult.Parsed ok)) {
            List<FieldError> errors = parsed.errors();
            log.warn("plan refused (400): {}", errors);
            return new Admission(Problem.badRequest("malformed plan", errors), null);
        }
        if (!ok.ignoredKeys().isEmpty()) log.info("plan={} ignoring unknown fields {}", ok.plan().planId(), ok.ignoredKeys());
        // Before the engine sees it: a plan refused for a transient reason must not burn its plan_id.
        if (!ready.getAsBoolean()) {
            log.info("plan={} refused (503): not ready", ok.plan().planId());
            return new Admission(notReady().with("plan_id", ok.plan().planId()).withNull("state"), null);
        }
        return new Admission(null, engine.submit(ok.plan(), body));
    }

    /**
     * Answers with the engine's outcome once it comes (on the I/O thread: the engine side only hands it over), or 503
     * {@code engine_timeout} after {@code api.timeout.ms}. No thread waits for it.
     */
    private void answerWhenDone(ApiExchange ex, CompletableFuture<TradingEngine.SubmitOutcome> future) {
        future.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenCompleteAsync((o, failure) -> {
            Throwable cause = causeOf(failure);
            if (cause instanceof TimeoutException) {
                reply(ex, engineTimedOut());
            } else if (cause != null) {
                log.error("API {} {} failed in the engine", ex.method(), ex.uri(), cause);
                reply(ex, internalError(cause));
            } else {
                if (o.httpStatus() == 503) ex.responseHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
                send(ex, o.httpStatus(), outcomeBody(o), o.httpStatus() >= 400 ? PROBLEM_JSON : JSON);
            }
        }, ex.ioThread());
    }

    private static ObjectNode outcomeBody(TradingEngine.SubmitOutcome o) {
        ObjectNode out = o.httpStatus() >= 400 ? Problem.body(o.httpStatus(), outcomeCode(o), o.message()) : Json.MAPPER.createObjectNode();
        out.put("plan_id", o.planId());
        out.put("state", o.state());
        out.put("message", o.message());
        if (!o.issues().isEmpty()) {
            ArrayNode list = out.putArray("errors");
            for (PlanIssue i : o.issues()) list.addObject().put("field", i.field()).put("code", i.code()).put("message", i.message());
        }
        return out;
    }

    /**
     * {@code POST /v1/plans} with {@code Content-Type: application/x-ndjson}: every non-blank line is a plan taken exactly as
     * if it were posted alone. All are handed to the engine before any answer is awaited (it commits them in groups); the
     * answer is one line per plan, in order, built by a {@link BatchAnswer} as the engine answers: no thread waits for it.
     */
    private void postPlans(ApiExchange ex) {
        List<String> lines = PlanBatch.lines(readBatch(ex));
        if (lines.size() > MAX_BATCH_PLANS) {
            throw new Problem(413, "too_many_plans", "a batch holds at most " + MAX_BATCH_PLANS + " plans, got " + lines.size());
        }
        List<Admission> admitted = new ArrayList<>(lines.size());
        for (String line : lines) {
            boolean fits = line.getBytes(UTF_8).length <= MAX_BODY;
            admitted.add(fits ? admit(line) : new Admission(bodyTooLarge(MAX_BODY), null));
        }
        BatchAnswer answer = new BatchAnswer(ex, lines, admitted);
        ex.ioThread().execute(answer::proceed);
    }

    /**
     * The answer of one plan batch, on its connection's I/O thread: adds each plan's line in order as soon as the engine
     * has answered it, waits for the next one without a thread, and sends the whole answer after the last. Each plan may
     * take {@code api.timeout.ms} after the one before it was answered, all of them together the server's answer time limit
     * less a margin ({@link #responseBudget()}); a plan not answered by then is a 503 {@code engine_timeout} line (sending
     * it again is safe: a plan the engine did take answers 200).
     */
    private final class BatchAnswer {
        private final ApiExchange ex;
        private final List<String> lines;
        private final List<Admission> admitted;
        private final PlanBatch answers = new PlanBatch();
        private final long end;
        /** When the last plan was answered (or the batch was taken): the next plan's wait starts here. */
        private long progress;
        private int next;

        BatchAnswer(ApiExchange ex, List<String> lines, List<Admission> admitted) {
            this.ex = ex;
            this.lines = lines;
            this.admitted = admitted;
            this.progress = System.nanoTime();
            this.end = progress + responseBudget().toNanos();
        }

        void proceed() {
            try {
                while (next < admitted.size()) {
                    if (!answerNext()) return;
                }
                log.info("plan batch of {}: {}", lines.size(), answers.statusCounts());
                ex.send(200, answers.bytes(), NDJSON);
            } catch (RuntimeException e) {
                log.error("API plan batch failed", e);
                reply(ex, internalError(e));
            }
        }

        /** Adds the next plan's line and moves on; false when it must wait for the engine (then it is called again). */
        private boolean answerNext() {
            String line = lines.get(next);
            Admission a = admitted.get(next);
            if (a.refused() != null) {
                answers.add(line, a.refused().status, a.refused().body);
            } else if (a.outcome().isDone()) {
                addOutcome(line, a.outcome());
                progress = System.nanoTime();
            } else {
                long left = progress + Math.min(timeout.toNanos(), end - progress) - System.nanoTime();
                if (left > 0) {
                    a.outcome().copy().orTimeout(left, TimeUnit.NANOSECONDS)
                            .whenCompleteAsync((o, failure) -> proceed(), ex.ioThread());
                    return false;
                }
                answers.add(line, 503, engineTimeout().body);
            }
            next++;
            return true;
        }

        private void addOutcome(String line, CompletableFuture<TradingEngine.SubmitOutcome> done) {
            try {
                TradingEngine.SubmitOutcome o = done.join();
                answers.add(line, o.httpStatus(), outcomeBody(o));
            } catch (CompletionException | CancellationException e) {
                Throwable cause = causeOf(e);
                log.error("API plan batch: a plan failed in the engine", cause);
                answers.add(line, 500, internalError(cause).body);
            }
        }
    }

    /**
     * How long a plan batch's answer and a report stream may take, so that they end on their own a margin before
     * {@link #ANSWER_LIMIT}. A day when that limit is off (0).
     */
    static Duration responseBudget() {
        if (ANSWER_LIMIT.isZero() || ANSWER_LIMIT.isNegative()) return Duration.ofDays(1);
        Duration margin = ANSWER_LIMIT.dividedBy(2).compareTo(ANSWER_MARGIN) < 0 ? ANSWER_LIMIT.dividedBy(2) : ANSWER_MARGIN;
        return ANSWER_LIMIT.minus(margin);
    }

    /**
     * {@code GET /v1/exec-reports/stream?after=N}: server-sent events (see {@link ExecReportStream}). The cursor is the
     * {@code Last-Event-ID} header when present (an EventSource sends it back on every reconnect), else {@code after}, else 0.
     * At most {@link ReportStreams#DEFAULT_MAX_STREAMS} streams are open at once; one more is a 503.
     */
    private void streamReports(ApiExchange ex) {
        long after = streamCursor(ex);
        if (!streams.open()) {
            throw new Problem(503, "too_many_streams", "too many report streams are open; retry shortly, or page with "
                    + "GET /v1/exec-reports").header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        }
        try {
            ExecReportStream.start(ex, streams, queries.outbox(), workers, after);
        } catch (RuntimeException e) {
            streams.release();
            throw e;
        }
    }

    private static long streamCursor(ApiExchange ex) {
        String lastEventId = ex.requestHeader("Last-Event-ID");
        if (lastEventId != null && !lastEventId.isBlank()) return cursor("Last-Event-ID", lastEventId.strip());
        return cursor("after", query(ex.uri()).getOrDefault("after", "0"));
    }

    private static long cursor(String field, String text) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0) {
            throw Problem.badRequest(field + " must be a sequence (an integer, 0 or more), got " + text,
                    List.of(new FieldError(field, "must be an integer, 0 or more")));
        }
        return value;
    }

    private static String outcomeCode(TradingEngine.SubmitOutcome o) {
        if (o.httpStatus() == 503 && !o.issues().isEmpty()) return o.issues().get(0).code();
        return switch (o.httpStatus()) {
            case 404 -> "unknown_plan";
            case 409 -> "conflict";
            case 422 -> "invalid_plan";
            case 503 -> "kill_switch";
            default -> "plan_not_accepted";
        };
    }

    /** GET /v1/quarantine?limit=: venue reports that failed their checks and were not booked, newest first. */
    private void quarantine(ApiExchange ex) {
        String text = query(ex.uri()).getOrDefault("limit", "100");
        int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) {
            throw Problem.badRequest("bad query", List.of(new FieldError("limit", "must be an integer between 1 and 1000, got " + text)));
        }
        send(ex, 200, queries.quarantined(limit));
    }

    private void execReports(ApiExchange ex) {
        Map<String, String> q = query(ex.uri());
        long after;
        int limit;
        try {
            after = Long.parseLong(q.getOrDefault("after", "0"));
            limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        } catch (NumberFormatException e) {
            throw Problem.badRequest("after and limit must be integers", List.of(new FieldError("after", "must be an integer"),
                    new FieldError("limit", "must be an integer")));
        }
        if (after < 0) {
            throw Problem.badRequest("after must be 0 or more, got " + after, List.of(new FieldError("after", "must be 0 or more")));
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

    private void killSwitch(ApiExchange ex) throws Exception {
        String body = readBody(ex);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body == null ? "" : body);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.path("engaged").isBoolean()) {
            throw Problem.badRequest("body must be {\"engaged\": true|false}", List.of(new FieldError("engaged", "required boolean")));
        }
        boolean engaged = await(engine.killSwitch(node.get("engaged").booleanValue()));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("engaged", engaged);
        send(ex, 200, out);
    }

    private void setTradingState(ApiExchange ex) throws Exception {
        String body = readBody(ex);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body == null ? "" : body);
        } catch (IOException e) {
            node = null;
        }
        Optional<TradingState> wanted = node == null ? Optional.empty() : TradingState.fromWire(node.path("state").asText(""));
        if (wanted.isEmpty()) {
            throw Problem.badRequest("body must be {\"state\": \"active\" | \"reducing\" | \"halted\"}",
                    List.of(new FieldError("state", "one of active, reducing, halted")));
        }
        send(ex, 200, tradingState(await(engine.tradingState(wanted.get()))));
    }

    private static ObjectNode tradingState(TradingState state) {
        return Json.MAPPER.createObjectNode().put("state", state.wireName());
    }

    private <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw engineTimedOut();
        }
    }

    /** The 500 of a call that failed in the gateway: {@code cause} is in its detail. */
    private static Problem internalError(Throwable cause) {
        return new Problem(500, "internal_error", "internal error: " + cause);
    }

    /** What made a future fail: the cause a {@link CompletionException} wraps, else the failure itself (null: none). */
    private static Throwable causeOf(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** The 503 of an API call the engine did not answer within {@code api.timeout.ms}, logged. */
    private Problem engineTimedOut() {
        log.warn("the trading engine did not answer an API call within {} ms", timeout.toMillis());
        return engineTimeout();
    }

    private Problem engineTimeout() {
        return new Problem(503, "engine_timeout", "the trading engine did not answer within " + timeout.toMillis() + " ms")
                .header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    }

    /** The request's media type, lower case without parameters ({@code ""} when none is given). */
    private static String mediaType(ApiExchange ex) {
        String header = ex.requestHeader("Content-Type");
        if (header == null) return "";
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private boolean authorized(ApiExchange ex) {
        String header = ex.requestHeader("Authorization");
        return header != null && MessageDigest.isEqual(header.getBytes(UTF_8), token);
    }

    private static String readBody(ApiExchange ex) {
        return readBody(ex, MAX_BODY);
    }

    private static String readBatch(ApiExchange ex) {
        String body = readBody(ex, MAX_BATCH_BODY);
        if (body == null) throw new Problem(413, "body_too_large", "a plan batch is at most " + MAX_BATCH_BODY + " bytes");
        return body;
    }

    /** The body as text, or null when it is longer than {@code max} bytes. */
    private static String readBody(ApiExchange ex, int max) {
        byte[] bytes = ex.body();
        return bytes.length > max ? null : new String(bytes, UTF_8);
    }

    /** Query parameters, form-decoded once ({@code +} is a space there); a malformed escape is a 400. */
    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) return out;
        try {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) out.put(URLDecoder.decode(pair.substring(0, eq), UTF_8), URLDecoder.decode(pair.substring(eq + 1), UTF_8));
            }
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("malformed query string: " + e.getMessage(), List.of());
        }
        return out;
    }

    /**
     * The raw path split on {@code /}, each segment percent-decoded exactly once: {@code +} stays a plus (it is a space only
     * in forms), {@code %2F} is a slash inside an id, {@code %25} a percent sign. A broken escape or bad UTF-8 is a 400.
     */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String seg : rawPath.split("/")) {
            if (!seg.isEmpty()) out.add(decodeSegment(seg));
        }
        return out;
    }

    static String decodeSegment(String raw) {
        if (raw.indexOf('%') < 0) return raw;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(UTF_8));
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (lo < 0) throw Problem.badRequest("malformed percent-escape in path segment " + raw, List.of());
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        try {
            return UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw Problem.badRequest("path segment " + raw + " is not UTF-8 once decoded", List.of());
        }
    }

    /** An answer's bytes: pretty-printed UTF-8 JSON. */
    static byte[] bytesOf(Object body) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an answer as JSON", e);
        }
    }

    private static void send(ApiExchange ex, int status, Object body) {
        send(ex, status, body, JSON);
    }

    private static void send(ApiExchange ex, int status, Object body, String contentType) {
        ex.send(status, bytesOf(body), contentType);
    }

    private static void sendText(ApiExchange ex, int status, String text) {
        ex.send(status, text.getBytes(UTF_8), "text/plain; version=0.0.4");
    }

    /**
     * An error answer (RFC 9457 {@code application/problem+json}): {@code type} (always {@code about:blank}: the status says
     * what kind of failure it is), {@code title} (the status phrase), {@code status}, {@code detail}, a stable {@code code},
     * and where they apply {@code errors: [{field, message}]}, {@code plan_id}, {@code state}.
     */
    static final class Problem extends RuntimeException {
        final int status;
        final ObjectNode body;
        final Map<String, String> headers = new LinkedHashMap<>();

        Problem(int status, String code, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.body = body(status, code, detail);
        }

        static ObjectNode body(int status, String code, String detail) {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("type", "about:blank");
            node.put("title", title(status));
            node.put("status", status);
            node.put("detail", detail);
            node.put("code", code);
            return node;
        }

        static Problem badRequest(String detail, List<FieldError> errors) {
            Problem p = new Problem(400, "bad_request", detail);
            ArrayNode list = p.body.putArray("errors");
            for (FieldError e : errors) list.addObject().put("field", e.field()).put("message", e.message());
            return p;
        }

        Problem header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Problem with(String field, String value) {
            body.put(field, value);
            return this;
        }

        Problem with(String field, boolean value) {
            body.put(field, value);
            return this;
        }

        Problem withNull(String field) {
            body.putNull(field);
            return this;
        }

        private static String title(int status) {
            return switch (status) {
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                case 409 -> "Conflict";
                case 413 -> "Content Too Large";
                case 422 -> "Unprocessable Content";
                case 503 -> "Service Unavailable";
                default -> status >= 500 ? "Internal Server Error" : "Error";
            };
        }
    }
}
