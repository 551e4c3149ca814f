package io.tradergateway.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.execution.TradingEngine;
import io.tradergateway.report.Json;
import io.tradergateway.store.Database;
import io.tradergateway.store.JdbcReportOutbox;
import io.tradergateway.store.JdbcTradeJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * {@code GET /v1/exec-reports/stream} over a real H2 outbox: stored reports first, then each one the moment the engine side
 * says it is committed; the cursor, the heartbeat, the cap on open streams, the clean end, and the stop of the API.
 */
@Timeout(60)
class ExecReportStreamTest {
    private static final String TOKEN = "t0ken";
    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");
    /** Longer than any wait below: an event that arrives in time was woken by the commit, not found at a heartbeat. */
    private static final Duration SLOW_HEARTBEAT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Database db;
    private JdbcTradeJournal journal;
    private ReportStreams streams;
    private ApiServer server;
    private final List<SseClient> clients = new ArrayList<>();

    private void start(int maxStreams, Duration heartbeat, Duration lifetime) {
        db = Database.open("jdbc:h2:file:" + dir.resolve("db"), "sa", "");
        journal = new JdbcTradeJournal(db);
        ApiQueries queries = mock(ApiQueries.class);
        when(queries.outbox()).thenReturn(new JdbcReportOutbox(db, Clock.fixed(AT, ZoneOffset.UTC)));
        streams = new ReportStreams(maxStreams, heartbeat, lifetime);
        server = new ApiServer("127.0.0.1", 0, TOKEN, Duration.ofMillis(300), mock(TradingEngine.class), queries, () -> true,
                streams);
        server.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(SseClient::close);
        if (server != null) server.close();
        if (db != null) db.close();
    }

    @Test
    void storedReportsComeFirstThenEachNewOneAsSoonAsItIsCommitted() throws Exception {
        start(4, SLOW_HEARTBEAT, Duration.ofSeconds(50));
        commit(1, 2);
        SseClient sse = open("/v1/exec-reports/stream?after=0", null);
        assertThat(sse.status()).isEqualTo(200);
        assertThat(sse.header("Content-Type")).isEqualTo("text/event-stream");
        assertThat(sse.next()).isEqualTo(new SseClient.Event(1, report(1)));
        assertThat(sse.next()).isEqualTo(new SseClient.Event(2, report(2)));

        long before = System.nanoTime();
        commit(3);
        assertThat(sse.next()).isEqualTo(new SseClient.Event(3, report(3)));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void lastEventIdWinsOverAfter() throws Exception {
        start(4, SLOW_HEARTBEAT, Duration.ofSeconds(50));
        commit(1, 2, 3);
        assertThat(open("/v1/exec-reports/stream?after=1", null).next().id()).isEqualTo(2);
        assertThat(open("/v1/exec-reports/stream?after=0", "2").next().id()).isEqualTo(3);
        assertThat(open("/v1/exec-reports/stream?after=x", null).status()).isEqualTo(400);
        assertThat(open("/v1/exec-reports/stream", "-1").status()).isEqualTo(400);
    }

    @Test
    void aQuietStreamSendsKeepAliveCommentsAndEndsCleanlyAfterItsLifetime() throws Exception {
        start(4, Duration.ofMillis(200), Duration.ofSeconds(2));
        SseClient sse = open("/v1/exec-reports/stream", null);
        assertThat(sse.next()).as("the stream ends with no event").isNull();
        assertThat(sse.comments()).contains(": keep-alive");
    }

    @Test
    void streamsBeyondTheCapAre503AndAClientThatHangsUpFreesItsSlot() throws Exception {
        start(1, Duration.ofMillis(200), Duration.ofSeconds(50));
        SseClient first = open("/v1/exec-reports/stream", null);
        assertThat(first.status()).isEqualTo(200);
        SseClient second = open("/v1/exec-reports/stream", null);
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(Json.MAPPER.readTree(second.body()).path("code").asText()).isEqualTo("too_many_streams");

        first.close();
        // The next heartbeat write fails on the closed connection: the stream ends and gives its slot back.
        await().atMost(Duration.ofSeconds(20)).until(() -> open("/v1/exec-reports/stream", null).status() == 200);
    }

    @Test
    void aStreamNeedsTheToken() throws Exception {
        start(4, SLOW_HEARTBEAT, Duration.ofSeconds(50));
        SseClient sse = track(SseClient.open(uri("/v1/exec-reports/stream"), null, null));
        assertThat(sse.status()).isEqualTo(401);
        assertThat(sse.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void closingTheApiEndsOpenStreamsAtOnce() throws Exception {
        start(4, SLOW_HEARTBEAT, Duration.ofSeconds(50));
        commit(1);
        SseClient sse = open("/v1/exec-reports/stream", null);
        assertThat(sse.next().id()).isEqualTo(1);

        long before = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        assertThat(sse.next()).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));
    }

    // ---------------------------------------------------------------- helpers

    /** Stores the reports as the engine does, then says so as the engine side does after its commit. */
    private void commit(long... sequences) {
        List<JournalWrite> writes = new ArrayList<>();
        for (long s : sequences) writes.add(new JournalWrite.PutReport(s, "R-" + s, "P-" + s, null, "filled", AT, report(s)));
        journal.commit(writes);
        for (long s : sequences) streams.committed(s);
    }

    private static String report(long sequence) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("event_type", "exec-report-1.0").put("sequence", sequence)
                .put("plan_id", "P-" + sequence).put("executed_price", "190.00");
        return r.toString();
    }

    private SseClient open(String path, String lastEventId) throws Exception {
        return track(SseClient.open(uri(path), TOKEN, lastEventId));
    }

    private SseClient track(SseClient client) {
        clients.add(client);
        return client;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
