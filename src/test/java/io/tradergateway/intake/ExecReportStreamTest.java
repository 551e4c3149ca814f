package io.tradergateway.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.execution.TradingEngine;
import io.tradergateway.report.Json;
import io.tradergateway.report.delivery.OutboxEntry;
import io.tradergateway.report.delivery.ReportOutbox;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

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
    private HeldOutbox outbox;

    private void start(int maxStreams, Duration heartbeat, Duration lifetime) {
        db = Database.open("jdbc:h2:file:" + dir.resolve("db"), "sa", "");
        journal = new JdbcTradeJournal(db);
        ApiQueries queries = mock(ApiQueries.class);
        outbox = new HeldOutbox(new JdbcReportOutbox(db, Clock.fixed(AT, ZoneOffset.UTC)));
        when(queries.outbox()).thenReturn(outbox);
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
        start(1, SLOW_HEARTBEAT, Duration.ofSeconds(50));
        SseClient first = open("/v1/exec-reports/stream", null);
        assertThat(first.status()).isEqualTo(200);
        SseClient second = open("/v1/exec-reports/stream", null);
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(Json.MAPPER.readTree(second.body()).path("code").asText()).isEqualTo("too_many_streams");

        first.close();
        // The stream sees its connection close (no write needed, the heartbeat is 30 s away) and gives its slot back.
        await().atMost(Duration.ofSeconds(10)).until(() -> open("/v1/exec-reports/stream", null).status() == 200);
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

    @Test
    void aClientThatStopsReadingLosesNothingAndGetsEveryReportInOrderWhenItReadsAgain() throws Exception {
        start(4, SLOW_HEARTBEAT, Duration.ofSeconds(50));
        SseClient sse = open("/v1/exec-reports/stream?after=0", null);
        assertThat(sse.status()).isEqualTo(200);
        // Far more than the socket buffers hold while the client reads nothing, and more than the streams keep in memory:
        // the stream stops at the connection's high-water mark, then resumes from its cursor, partly from the outbox.
        int total = ReportStreams.RECENT + 1904;
        String padding = "x".repeat(4000);
        List<JournalWrite> writes = new ArrayList<>();
        for (long seq = 1; seq <= total; seq++) {
            writes.add(new JournalWrite.PutReport(seq, "R-" + seq, "P-" + seq, null, "filled", AT, report(seq, padding)));
        }
        journal.commit(writes);
        for (long seq = 1; seq <= total; seq++) streams.published(seq, report(seq, padding));
        for (long seq = 1; seq <= total; seq++) {
            SseClient.Event e = sse.next();
            assertThat(e).as("event %d", seq).isNotNull();
            assertThat(e.id()).isEqualTo(seq);
            assertThat(e.data().equals(report(seq, padding))).as("the data of event %d as stored", seq).isTrue();
        }
    }

    @Test
    void aReportCommittedWhileTheOutboxIsBeingReadIsSentAtOnceNotAtTheHeartbeat() throws Exception {
        start(4, SLOW_HEARTBEAT, Duration.ofSeconds(50));
        outbox.holdReadsAfter = 1;
        commit(1);
        SseClient sse = open("/v1/exec-reports/stream?after=0", null);
        assertThat(sse.next().id()).isEqualTo(1);
        // The stream has read the outbox after report 1 (nothing yet) and the read is held before it answers.
        assertThat(outbox.readsHeld.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        commit(2);
        outbox.holdReadsAfter = -1;
        outbox.release.countDown();
        long before = System.nanoTime();
        assertThat(sse.next().id()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
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
        return report(sequence, null);
    }

    private static String report(long sequence, String note) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("event_type", "exec-report-1.0").put("sequence", sequence)
                .put("plan_id", "P-" + sequence).put("executed_price", "190.00");
        if (note != null) r.put("note", note);
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

    /** The stored outbox, except that a read after {@code holdReadsAfter} is held once it has read, until released. */
    private static final class HeldOutbox implements ReportOutbox {
        private final ReportOutbox stored;
        volatile long holdReadsAfter = -1;
        final Semaphore readsHeld = new Semaphore(0);
        final CountDownLatch release = new CountDownLatch(1);

        HeldOutbox(ReportOutbox stored) {
            this.stored = stored;
        }

        @Override
        public List<OutboxEntry> readAfter(long sequence, int limit) {
            List<OutboxEntry> read = stored.readAfter(sequence, limit);
            if (sequence == holdReadsAfter) {
                readsHeld.release();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return read;
        }

        @Override
        public long lastSequence() {
            return stored.lastSequence();
        }
    }
}
