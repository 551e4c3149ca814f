package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.report.ExecReport;
import io.tradergateway.report.Json;
import io.tradergateway.store.Database;
import io.tradergateway.store.JdbcReportOutbox;
import io.tradergateway.store.JdbcTradeJournal;
import io.tradergateway.system.Plans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Group commit on the real engine and a real H2 journal (no venues: the plans are refused with 422, which still stores
 * a {@code failed} report per plan). Events that queue up while the engine is busy are committed in one transaction
 * and answered only after it; a batch whose commit fails is replayed event by event, so only the bad event is lost.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitTest {
    @TempDir
    Path dir;
    Database db;
    CountingJournal journal;
    TradingEngine engine;

    @BeforeEach
    void start() {
        db = Database.open("jdbc:h2:file:" + dir + "/db;WRITE_DELAY=0", "sa", "");
        journal = new CountingJournal(new JdbcTradeJournal(db));
        VenueGateway noVenues = new NoVenues();
        engine = new TradingEngine(journal, noVenues, List.of(), (report, json) -> { }, Clock.systemUTC(),
                new TradingEngine.Settings(new BigDecimal("1000000"), Duration.ofSeconds(60), 0.2, Duration.ZERO,
                        Duration.ofSeconds(1)));
        engine.start();
    }

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
        if (db != null) db.close();
    }

    @Test
    void eventsQueuedBehindABusyEngineShareOneCommitAndAreAnsweredAfterIt() throws Exception {
        List<CompletableFuture<TradingEngine.SubmitOutcome>> answers = submitWhileEngineIsBusy("gc-a", "gc-b", "gc-c");

        for (var answer : answers) assertThat(answer.get(10, TimeUnit.SECONDS).httpStatus()).isEqualTo(422);
        // One commit carried the rows of all three plans.
        assertThat(journal.commits).anySatisfy(planIds -> assertThat(planIds).contains("gc-a", "gc-b", "gc-c"));
        assertThat(reportSequences("gc-a", "gc-b", "gc-c")).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aBatchWhoseCommitFailsIsReplayedEventByEventAndOnlyTheBadEventIsLost() throws Exception {
        journal.failCommitsWith = "gc-bad";
        List<CompletableFuture<TradingEngine.SubmitOutcome>> answers = submitWhileEngineIsBusy("gc-1", "gc-bad", "gc-2");

        assertThat(answers.get(0).get(10, TimeUnit.SECONDS).httpStatus()).isEqualTo(422);
        assertThat(answers.get(1).get(10, TimeUnit.SECONDS).httpStatus()).isEqualTo(500);
        assertThat(answers.get(2).get(10, TimeUnit.SECONDS).httpStatus()).isEqualTo(422);
        // Gap-free: the bad plan's report never got a sequence that stuck.
        assertThat(reportSequences("gc-1", "gc-2")).containsExactly(1L, 2L);
        assertThat(new JdbcReportOutbox(db, Clock.systemUTC()).reportsOfPlan("gc-bad")).isEmpty();
        assertThat(journal.findPlan("gc-bad")).isEmpty();
    }

    @Test
    void aJournalThatCannotWriteStopsTheEngineInsteadOfReplayingEventByEvent() throws Exception {
        journal.journalFailed = new JournalFailedException("appending batch 7 to the journal failed (disk full)",
                new IOException("No space left on device"));
        List<CompletableFuture<TradingEngine.SubmitOutcome>> answers = submitWhileEngineIsBusy("js-a", "js-b");

        await().atMost(Duration.ofSeconds(10)).until(engine::stopped);
        for (var answer : answers) assertThat(answer).as("nothing is answered as if it were stored").isNotDone();
        assertThat(journal.commits).noneSatisfy(planIds -> assertThat(planIds).contains("js-a"));
        // The engine takes no more events: a query (answered after a commit) is never answered either.
        assertThat(engine.query(view -> true)).failsWithin(Duration.ofMillis(500));
    }

    /** Holds the engine thread in a query while the plans are queued, then lets it go: they drain as one batch. */
    private List<CompletableFuture<TradingEngine.SubmitOutcome>> submitWhileEngineIsBusy(String... planIds) throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> blocker = engine.query(view -> {
            busy.countDown();
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<TradingEngine.SubmitOutcome>> answers = new ArrayList<>();
        PlanParser parser = new PlanParser();
        for (String planId : planIds) {
            String json = Plans.market(planId, "AAPL", "long").toString();
            var parsed = (ParseResult.Parsed) parser.parse(json);
            answers.add(engine.submit(parsed.plan(), json));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.backlog() == planIds.length);
        release.countDown();
        assertThat(blocker.get(10, TimeUnit.SECONDS)).isTrue();
        return answers;
    }

    private List<Long> reportSequences(String... planIds) {
        JdbcReportOutbox outbox = new JdbcReportOutbox(db, Clock.systemUTC());
        List<Long> out = new ArrayList<>();
        for (String planId : planIds) {
            for (String json : outbox.reportsOfPlan(planId)) {
                out.add(Json.read(json, ExecReport.class).sequence());
            }
        }
        return out;
    }

    /** The real journal, recording the plan ids of each commit, and failing any commit that touches one plan id. */
    static final class CountingJournal implements TradeJournal {
        final TradeJournal real;
        final List<List<String>> commits = new CopyOnWriteArrayList<>();
        volatile String failCommitsWith;
        /** The journal itself failed (a failed append or fsync): every commit from then on throws it. */
        volatile JournalFailedException journalFailed;

        CountingJournal(TradeJournal real) {
            this.real = real;
        }

        /** What the engine did with the journal, in order: {@code commit PutPlan,PutOrder} or {@code release 2} (effects). */
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void release(List<Runnable> effects) {
            calls.add("release " + effects.size());
            real.release(effects);
        }

        @Override
        public void commit(List<JournalWrite> writes) {
            if (writes.isEmpty()) return;
            List<String> planIds = new ArrayList<>();
            for (JournalWrite w : writes) {
                if (w instanceof JournalWrite.PutPlan p) planIds.add(p.plan().planId());
                if (w instanceof JournalWrite.PutReport r) planIds.add(r.planId());
            }
            if (journalFailed != null) throw journalFailed;
            if (failCommitsWith != null && planIds.contains(failCommitsWith)) {
                throw new IllegalStateException("simulated commit failure for " + failCommitsWith);
            }
            real.commit(writes);
            commits.add(planIds);
            calls.add("commit " + String.join(",", writes.stream().map(w -> w.getClass().getSimpleName()).toList()));
        }

        @Override
        public Optional<StoredPlan> findPlan(String planId) {
            return real.findPlan(planId);
        }

        @Override
        public boolean fillExists(String venue, ClOrdId clOrdId, ExecId execId) {
            return real.fillExists(venue, clOrdId, execId);
        }

        @Override
        public Optional<Order> findOrder(ClOrdId clOrdId) {
            return real.findOrder(clOrdId);
        }

        @Override
        public Recovered recover() {
            return real.recover();
        }

        @Override
        public String instanceId() {
            return real.instanceId();
        }
    }
}
