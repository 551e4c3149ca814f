package io.tradergateway.intake;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.execution.PlanState;
import io.tradergateway.execution.TradingEngine;
import io.tradergateway.plan.TradingPlan;
import io.tradergateway.report.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The HTTP layer alone, with the engine and the read side mocked: every failure answers, in one shape, in bounded time. */
@Timeout(60)
class ApiServerTest {
    private static final String TOKEN = "t0ken";

    private final TradingEngine engine = mock(TradingEngine.class);
    private final ApiQueries queries = mock(ApiQueries.class);
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Socket> sockets = new ArrayList<>();
    private ApiServer server;

    @BeforeEach
    void start() {
        ObjectNode health = Json.MAPPER.createObjectNode().put("status", "up");
        when(queries.health()).thenReturn(health);
        server = new ApiServer("127.0.0.1", 0, TOKEN, Duration.ofMillis(300), engine, queries, ready::get);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) s.close();
        server.close();
    }

    @Test
    void aPercentSignInAnIdIsDecodedOnceAndAnsweredNotDropped() throws Exception {
        when(queries.plan(anyString())).thenReturn(null);
        HttpResponse<String> r = get("/v1/plans/100%25");
        assertProblem(r, 404);
        assertThat(json(r).path("plan_id").asText()).isEqualTo("100%");
    }

    @Test
    void idsWithPlusSlashAndPercentRoundTrip() throws Exception {
        ObjectNode view = Json.MAPPER.createObjectNode().put("plan_id", "a+b/c%d");
        when(queries.plan("a+b/c%d")).thenReturn(view);
        HttpResponse<String> r = get("/v1/plans/a+b%2Fc%25d");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("plan_id").asText()).isEqualTo("a+b/c%d");
    }

    @Test
    void anEscapeThatIsNotUtf8IsA400WithABody() throws Exception {
        String answer = raw("GET /v1/plans/%FF HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json").contains("\"status\" : 400");
    }

    @Test
    void whatIsNotAnHttpRequestIsAPlain400FromTheServerAndTheConnectionCloses() throws Exception {
        String auth = "Host: x\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n";
        // A target that is no URI at all (a bare % escape), a request line longer than the codec reads, and no HTTP.
        for (String request : List.of("GET /v1/plans/%2 HTTP/1.1\r\n" + auth,
                "GET /v1/plans/" + "p".repeat(5000) + " HTTP/1.1\r\n" + auth,
                "HELLO\r\n\r\n")) {
            String answer = raw(request);
            assertThat(answer).as(request.substring(0, Math.min(40, request.length()))).startsWith("HTTP/1.1 400")
                    .contains("malformed HTTP request");
        }
        verify(queries, never()).plan(anyString());
        assertHealthWithin(Duration.ofSeconds(10));
    }

    @Test
    void anEngineTimeOutIs503WithRetryAfter() throws Exception {
        when(queries.positions()).thenReturn(new CompletableFuture<>());
        HttpResponse<String> r = get("/v1/positions");
        assertProblem(r, 503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(json(r).path("code").asText()).isEqualTo("engine_timeout");
    }

    @Test
    void anyOtherFailureIs500WithABody() throws Exception {
        when(queries.consumers()).thenThrow(new IllegalStateException("boom"));
        HttpResponse<String> r = get("/v1/consumers");
        assertProblem(r, 500);
        assertThat(json(r).path("detail").asText()).contains("boom");
    }

    @Test
    void aWrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> r = send(request("/v1/plans").method("DELETE", HttpRequest.BodyPublishers.noBody()));
        assertProblem(r, 405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, POST");
        HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/health")).POST(HttpRequest.BodyPublishers.noBody()));
        assertProblem(health, 405);
        assertThat(health.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void noTokenIs401WithWwwAuthenticate() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/positions")).GET());
        assertProblem(r, 401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    }

    @Test
    void healthSaysWhetherTheGatewayIsReady() throws Exception {
        ready.set(false);
        assertThat(json(send(HttpRequest.newBuilder(uri("/health")).GET())).path("ready").asBoolean(true)).isFalse();
        ready.set(true);
        assertThat(json(send(HttpRequest.newBuilder(uri("/health")).GET())).path("ready").asBoolean(false)).isTrue();
    }

    @Test
    void anUnknownEndpointIs404WithABody() throws Exception {
        assertProblem(get("/v1/nope"), 404);
    }

    @Test
    void aMalformedPlanIs400WithFieldErrorsInTheProblemShape() throws Exception {
        String notAPlan = "{\"event_type\": \"dm-decision-1.0\"}";
        HttpResponse<String> r = send(request("/v1/plans").POST(HttpRequest.BodyPublishers.ofString(notAPlan)));
        assertProblem(r, 400);
        assertThat(json(r).path("errors")).isNotEmpty();
        assertThat(json(r).path("errors").get(0).has("field")).isTrue();
    }

    @Test
    void listingPlansChecksItsQuery() throws Exception {
        HttpResponse<String> r = get("/v1/plans?state=nonsense&limit=0");
        assertProblem(r, 400);
        assertThat(json(r).path("errors").findValuesAsText("field")).containsExactly("state", "limit");
        ObjectNode page = Json.MAPPER.createObjectNode();
        page.putArray("plans");
        when(queries.plans(any(), any(), any(Integer.class))).thenReturn(page);
        assertThat(get("/v1/plans?state=working&after=p-1&limit=10").statusCode()).isEqualTo(200);
        verify(queries).plans(PlanState.WORKING, "p-1", 10);
    }

    @Test
    void whileNotReadyAPlanIs503WithRetryAfterAndNeverReachesTheEngine() throws Exception {
        ready.set(false);
        assertProblem(get("/ready"), 503);
        HttpResponse<String> r = send(request("/v1/plans").POST(HttpRequest.BodyPublishers.ofString(plan("p-ready"))));
        assertProblem(r, 503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(r).path("plan_id").asText()).isEqualTo("p-ready");
        verify(engine, never()).submit(any(), any());
        ready.set(true);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void aBatchWhileNotReadyAnswers503LinesAndNeverReachesTheEngine() throws Exception {
        ready.set(false);
        HttpResponse<String> r = send(batch(plan("nr-1") + "\n\n" + plan("nr-2") + "\n{\"plan_id\": \"nr-3\"}\n"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        List<JsonNode> lines = r.body().lines().map(ApiServerTest::readLine).toList();
        assertThat(lines).extracting(l -> l.path("status").asInt()).containsExactly(503, 503, 400);
        assertThat(lines).extracting(l -> l.path("plan_id").asText()).containsExactly("nr-1", "nr-2", "nr-3");
        assertThat(lines.get(0).path("code").asText()).isEqualTo("not_ready");
        assertThat(lines.get(0).path("state").isNull()).isTrue();
        verify(engine, never()).submit(any(), any());
    }

    @Test
    void aBatchPlanTheEngineDoesNotAnswerInTimeIsA503LineAndTheOthersStillAnswer() throws Exception {
        when(engine.submit(any(), anyString())).thenAnswer(call -> {
            String planId = ((TradingPlan) call.getArgument(0)).planId();
            if (planId.equals("slow")) return new CompletableFuture<>();
            var accepted = new TradingEngine.SubmitOutcome(202, planId, "pending", List.of(), "accepted");
            return CompletableFuture.completedFuture(accepted);
        });
        HttpResponse<String> r = send(batch(plan("fast-1") + "\n" + plan("slow") + "\n" + plan("fast-2")));
        List<JsonNode> lines = r.body().lines().map(ApiServerTest::readLine).toList();
        assertThat(lines).extracting(l -> l.path("status").asInt()).containsExactly(202, 503, 202);
        assertThat(lines.get(1).path("code").asText()).isEqualTo("engine_timeout");
    }

    @Test
    void aBatchWithoutTheTokenIs401ForTheWholeRequest() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/plans")).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(plan("no-token"))));
        assertProblem(r, 401);
        verify(engine, never()).submit(any(), any());
    }

    @Test
    void stalledAndIdleClientsDoNotStarveAHealthCheck() throws Exception {
        // Far more half-sent requests and silent connections than the old 4 workers (which froze behind four of them).
        for (int i = 0; i < 100; i++) stall();
        for (int i = 0; i < 100; i++) open();
        assertHealthWithin(Duration.ofSeconds(10));
    }

    @Test
    void aStalledRequestIsCutOffByTheServer() throws Exception {
        Socket s = open();
        String head = "POST /v1/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: 100\r\n\r\n{";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        long maxReqSeconds = ApiServer.REQUEST_TIMEOUT.toSeconds();
        s.setSoTimeout((int) Duration.ofSeconds(maxReqSeconds + 10).toMillis());
        Instant start = Instant.now();
        int read;
        try {
            read = s.getInputStream().read();
        } catch (SocketException reset) {
            read = -1;
        }
        assertThat(read).isEqualTo(-1);
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(maxReqSeconds + 5));
    }

    @Test
    void aClientHangingUpIsDebugNotAnError() throws Exception {
        // The API and its HTTP transport both log under the intake package.
        Logger apiLog = (Logger) LoggerFactory.getLogger(ApiServer.class.getPackageName());
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Level before = apiLog.getLevel();
        apiLog.setLevel(Level.DEBUG);
        apiLog.addAppender(events);
        try {
            try (Socket s = open()) {
                String head = "POST /v1/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Length: 1000\r\n\r\n{";
                s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> List.copyOf(events.list).stream()
                    .anyMatch(e -> e.getLevel() == Level.DEBUG && e.getFormattedMessage().startsWith("HTTP connection")
                            && e.getFormattedMessage().endsWith("closed")));
            assertThat(List.copyOf(events.list)).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        } finally {
            apiLog.detachAppender(events);
            apiLog.setLevel(before);
        }
    }

    @Test
    void plansWaitingForTheEngineHoldNoThreadAndAreAllAnswered() throws Exception {
        restartWithEngineTimeout(Duration.ofSeconds(30));
        List<CompletableFuture<TradingEngine.SubmitOutcome>> held = heldSubmits();
        int plans = ApiServer.MAX_WORKERS + 44;
        int threadsBefore = Thread.activeCount();
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < plans; i++) {
            Socket s = open();
            s.getOutputStream().write(postPlan("held-" + i).getBytes(StandardCharsets.UTF_8));
            clients.add(s);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> held.size() == plans);
        // More plans in flight than the API has worker threads, and none of them holds one: the API still answers at once.
        assertThat(Thread.activeCount() - threadsBefore).isLessThan(20);
        assertHealthWithin(Duration.ofSeconds(10));
        for (CompletableFuture<TradingEngine.SubmitOutcome> f : List.copyOf(held)) {
            f.complete(new TradingEngine.SubmitOutcome(202, "p", "pending", List.of(), "accepted"));
        }
        for (Socket s : clients) {
            s.setSoTimeout(10_000);
            assertThat(firstLine(s.getInputStream())).isEqualTo("HTTP/1.1 202 Accepted");
        }
    }

    @Test
    void batchesWaitingForTheEngineHoldNoThreadAndAreAllAnswered() throws Exception {
        restartWithEngineTimeout(Duration.ofSeconds(30));
        Map<String, CompletableFuture<TradingEngine.SubmitOutcome>> held = new ConcurrentHashMap<>();
        when(engine.submit(any(), anyString())).thenAnswer(call -> held.computeIfAbsent(
                ((TradingPlan) call.getArgument(0)).planId(), id -> new CompletableFuture<>()));
        int batches = ApiServer.MAX_WORKERS + 44;
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            Socket s = open();
            s.getOutputStream().write(postBatch(plan("b" + i + "-1") + "\n" + plan("b" + i + "-2")).getBytes(StandardCharsets.UTF_8));
            clients.add(s);
        }
        // More batches waiting than the API has workers: each was taken (none answered 503 busy), none holds a thread.
        await().atMost(Duration.ofSeconds(20)).until(() -> held.size() == 2 * batches);
        assertHealthWithin(Duration.ofSeconds(10));
        // Each batch's second plan answered before its first: the lines still come in the batch's order.
        for (int i = 0; i < batches; i++) {
            for (String planId : List.of("b" + i + "-2", "b" + i + "-1")) {
                held.get(planId).complete(new TradingEngine.SubmitOutcome(202, planId, "pending", List.of(), "accepted"));
            }
        }
        for (int i = 0; i < batches; i++) {
            Socket s = clients.get(i);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            assertThat(firstLine(in)).isEqualTo("HTTP/1.1 200 OK");
            List<JsonNode> lines = batchAnswer(in);
            assertThat(lines).extracting(l -> l.path("status").asInt()).containsExactly(202, 202);
            assertThat(lines).extracting(l -> l.path("plan_id").asText()).containsExactly("b" + i + "-1", "b" + i + "-2");
        }
    }

    @Test
    void aBatchWhoseFirstPlanTimesOutStillAnswersTheRestInOrder() throws Exception {
        List<CompletableFuture<TradingEngine.SubmitOutcome>> held = heldSubmits();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                batch(plan("first") + "\n" + plan("second") + "\n" + plan("third")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 3);
        // The second answers while the first waits, the third never: 503 once the first's time is up, 202, then 503.
        held.get(1).complete(new TradingEngine.SubmitOutcome(202, "second", "pending", List.of(), "accepted"));
        HttpResponse<String> r = answer.get(10, TimeUnit.SECONDS);
        List<JsonNode> lines = r.body().lines().map(ApiServerTest::readLine).toList();
        assertThat(lines).extracting(l -> l.path("status").asInt()).containsExactly(503, 202, 503);
        assertThat(lines).extracting(l -> l.path("plan_id").asText()).containsExactly("first", "second", "third");
    }

    @Test
    void aPlanTheEngineFailsIsA500ProblemAndInABatchA500LineBesideTheOthers() throws Exception {
        when(engine.submit(any(), anyString())).thenAnswer(call -> {
            String planId = ((TradingPlan) call.getArgument(0)).planId();
            if (planId.startsWith("broken")) return CompletableFuture.failedFuture(new IllegalStateException("engine broke"));
            return CompletableFuture.completedFuture(new TradingEngine.SubmitOutcome(202, planId, "pending", List.of(), "accepted"));
        });
        HttpResponse<String> alone = send(request("/v1/plans").POST(HttpRequest.BodyPublishers.ofString(plan("broken-1"))));
        assertProblem(alone, 500);
        assertThat(json(alone).path("code").asText()).isEqualTo("internal_error");

        HttpResponse<String> r = send(batch(plan("ok-1") + "\n" + plan("broken-2") + "\n" + plan("ok-2")));
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> lines = r.body().lines().map(ApiServerTest::readLine).toList();
        assertThat(lines).extracting(l -> l.path("status").asInt()).containsExactly(202, 500, 202);
        assertThat(lines).extracting(l -> l.path("plan_id").asText()).containsExactly("ok-1", "broken-2", "ok-2");
        assertThat(lines.get(1).path("code").asText()).isEqualTo("internal_error");
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderSent() throws Exception {
        restartWithEngineTimeout(Duration.ofSeconds(30));
        List<CompletableFuture<TradingEngine.SubmitOutcome>> held = heldSubmits();
        Socket s = open();
        s.setSoTimeout(10_000);
        String health = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
        s.getOutputStream().write((postPlan("first") + health).getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        assertThat(s.getInputStream().available()).isZero();
        held.get(0).complete(new TradingEngine.SubmitOutcome(202, "first", "pending", List.of(), "accepted"));
        InputStream in = s.getInputStream();
        assertThat(firstLine(in)).isEqualTo("HTTP/1.1 202 Accepted");
        skipAnswer(in);
        assertThat(firstLine(in)).isEqualTo("HTTP/1.1 200 OK");
    }

    @Test
    void aConnectionPipeliningManyRequestsGetsEveryAnswerInOrder() throws Exception {
        Socket s = open();
        s.setSoTimeout(10_000);
        // 100: within the 128 requests Netty's codec lets a connection have outstanding (more closes the connection).
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            requests.append(i % 2 == 0 ? "GET /health HTTP/1.1\r\nHost: x\r\n\r\n" : "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        s.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        for (int i = 0; i < 100; i++) {
            assertThat(firstLine(in)).as("answer %d", i).isEqualTo(i % 2 == 0 ? "HTTP/1.1 200 OK" : "HTTP/1.1 401 Unauthorized");
            skipAnswer(in);
        }
    }

    @Test
    void aPlanSentAsCurlDoesItWithExpectContinueOrInChunksIsTaken() throws Exception {
        restartWithEngineTimeout(Duration.ofSeconds(30));
        List<CompletableFuture<TradingEngine.SubmitOutcome>> held = heldSubmits();
        byte[] body = plan("curl-1").getBytes(StandardCharsets.UTF_8);
        Socket s = open();
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write(("POST /v1/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(firstLine(in)).isEqualTo("HTTP/1.1 100 Continue");
        assertThat(firstLine(in)).isEmpty();
        out.write(body);
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);
        held.get(0).complete(new TradingEngine.SubmitOutcome(202, "curl-1", "pending", List.of(), "accepted"));
        assertThat(firstLine(in)).isEqualTo("HTTP/1.1 202 Accepted");
        skipAnswer(in);

        byte[] second = plan("chunked-1").getBytes(StandardCharsets.UTF_8);
        int half = second.length / 2;
        out.write(("POST /v1/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] chunk : List.of(Arrays.copyOfRange(second, 0, half), Arrays.copyOfRange(second, half, second.length))) {
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 2);
        held.get(1).complete(new TradingEngine.SubmitOutcome(202, "chunked-1", "pending", List.of(), "accepted"));
        assertThat(firstLine(in)).isEqualTo("HTTP/1.1 202 Accepted");
    }

    @Test
    void aBodyOverTheBatchLimitIsA413ProblemAndTheConnectionIsClosed() throws Exception {
        String head = "POST /v1/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + (ApiServer.MAX_BATCH_BODY + 1) + "\r\n\r\n";
        String answer = raw(head);
        assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json").contains("\"body_too_large\"");
        verify(engine, never()).submit(any(), any());
    }

    // ---------------------------------------------------------------- helpers

    private void restartWithEngineTimeout(Duration timeout) {
        server.close();
        server = new ApiServer("127.0.0.1", 0, TOKEN, timeout, engine, queries, ready::get);
        server.start();
    }

    /** The engine takes every plan and answers none until the test completes the futures, kept here in order. */
    private List<CompletableFuture<TradingEngine.SubmitOutcome>> heldSubmits() {
        List<CompletableFuture<TradingEngine.SubmitOutcome>> held = new CopyOnWriteArrayList<>();
        when(engine.submit(any(), anyString())).thenAnswer(call -> {
            CompletableFuture<TradingEngine.SubmitOutcome> f = new CompletableFuture<>();
            held.add(f);
            return f;
        });
        return held;
    }

    private static String postPlan(String planId) {
        byte[] body = plan(planId).getBytes(StandardCharsets.UTF_8);
        return "POST /v1/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n" + new String(body, StandardCharsets.UTF_8);
    }

    private static String postBatch(String ndjson) {
        byte[] body = ndjson.getBytes(StandardCharsets.UTF_8);
        return "POST /v1/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: application/x-ndjson\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n" + ndjson;
    }

    /** The lines of a batch answer whose status line has been read: its headers, then Content-Length bytes of NDJSON. */
    private static List<JsonNode> batchAnswer(InputStream in) throws IOException {
        int length = 0;
        for (String h = firstLine(in); !h.isEmpty(); h = firstLine(in)) {
            if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(h.substring(15).strip());
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8).lines().map(ApiServerTest::readLine).toList();
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) throw new IOException("connection closed after " + line);
            if (c != '\r') line.append((char) c);
        }
        return line.toString();
    }

    /** Reads the rest of an answer whose status line has been read: its headers, then Content-Length bytes. */
    private static void skipAnswer(InputStream in) throws IOException {
        int length = 0;
        for (String h = firstLine(in); !h.isEmpty(); h = firstLine(in)) {
            if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(h.substring(15).strip());
        }
        assertThat(in.readNBytes(length)).hasSize(length);
    }

    private void assertHealthWithin(Duration bound) throws Exception {
        Instant start = Instant.now();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/health")).timeout(bound).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Duration.between(start, Instant.now())).isLessThan(bound);
    }

    private Socket open() throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        return s;
    }

    private void stall() throws IOException {
        OutputStream out = open().getOutputStream();
        out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private String raw(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertProblem(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.path("type").asText()).isEqualTo("about:blank");
        assertThat(body.path("title").asText()).isNotEmpty();
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("detail").asText()).isNotEmpty();
        assertThat(body.path("code").asText()).isNotEmpty();
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    private HttpRequest.Builder batch(String ndjson) {
        return request("/v1/plans").header("Content-Type", "application/x-ndjson; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson));
    }

    private static JsonNode readLine(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(20));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static String plan(String planId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("event_type", "dm-decision-1.0");
        p.put("plan_id", planId);
        p.put("signal_id", "s");
        p.put("decision_id", "d");
        p.put("symbol", "AAPL");
        p.put("direction", "long");
        p.put("position_size", 1.0);
        p.put("max_position_size", 5.0);
        p.put("risk_reward_ratio", 2.0);
        p.put("confidence_score", 0.7);
        p.put("execution_strategy", "market");
        p.put("max_slippage", 0.01);
        p.put("max_latency_ms", 2000);
        p.put("created_at", now.toString());
        p.put("valid_until", now.plusSeconds(600).toString());
        return p.toString();
    }
}
