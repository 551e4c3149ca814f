package io.tradergateway.store;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Fill;
import io.tradergateway.domain.OrderId;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.JournalFailedException;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.execution.Leg;
import io.tradergateway.execution.NoVenues;
import io.tradergateway.execution.Order;
import io.tradergateway.execution.OrderStatus;
import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.PlanState;
import io.tradergateway.execution.StoredPlan;
import io.tradergateway.execution.TimeInForce;
import io.tradergateway.execution.TradingEngine;
import io.tradergateway.execution.TradingState;
import io.tradergateway.execution.VenueGateway;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.position.Position;
import io.tradergateway.system.Plans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The write-ahead journal on real files and a real H2 database in a temp folder: rows read back exactly as written,
 * the tables catch up (and fenced reads wait for them), a restart replays what the tables missed, a torn last record is
 * cut, damage elsewhere stops start-up, and a failed append stops the journal.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WriteAheadJournalTest {
    /** Microseconds: what the tables keep (the journal file keeps nanoseconds, see the first test). */
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00.123456Z");

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private Database database() {
        Database db = Database.open("jdbc:h2:file:" + dir.resolve("db/gateway") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
        open.add(db);
        return db;
    }

    private WriteAheadJournal journal(Database db, boolean fsync) {
        return journal(db, fsync, WriteAheadJournal.PROJECTION_LINGER);
    }

    private WriteAheadJournal journal(Database db, boolean fsync, Duration projectionLinger) {
        WriteAheadJournal j = WriteAheadJournal.open(db, new JdbcTradeJournal(db),
                new WriteAheadJournal.Settings(dir.resolve("journal"), fsync, 64L * 1024 * 1024, projectionLinger),
                Clock.fixed(T0, ZoneOffset.UTC));
        open.add(j);
        return j;
    }

    private static StoredPlan plan(String id, PlanState state) {
        return new StoredPlan(id, "hash-" + id, "{\"plan_id\":\"" + id + "\"}", "AAPL", state, "{\"x\":\"1\"}", T0, T0.plusMillis(5));
    }

    private static Order order(String clOrdId, String planId, OrderStatus status, String cumQty) {
        return new Order(
                new Order.Origin(new ClOrdId(clOrdId), 7, planId, Leg.ENTRY, 0, "VENUE_A", new BigDecimal("189.50"),
                        0.73, T0),
                new Order.Terms("AAPL", Side.BUY, OrderType.LIMIT, TimeInForce.DAY, new BigDecimal("100"),
                        new BigDecimal("189.50"), null),
                new Order.Progress(status, new BigDecimal(cumQty), new BigDecimal("189.270"), new BigDecimal("0.40"),
                        new OrderId("V-1"), T0.plusNanos(1), null, null, 0, "a venue's text\nwith a newline"));
    }

    private static Fill fill(String clOrdId, String execId) {
        return new Fill("VENUE_A", new ExecId(execId), new ClOrdId(clOrdId), "AAPL", Side.BUY, new BigDecimal("40"),
                new BigDecimal("189.27"), new BigDecimal("0.40"), T0);
    }

    /** P-1's progress after its first row, in {@link #everyKind}. */
    private static final JournalWrite.PutPlanProgress P1_PROGRESS = new JournalWrite.PutPlanProgress("P-1", PlanState.OPEN,
            "{\"x\":\"2\"}", T0.plusMillis(9));

    private static List<JournalWrite> everyKind() {
        return List.of(
                new JournalWrite.PutPlan(plan("P-1", PlanState.WORKING)),
                P1_PROGRESS,
                new JournalWrite.PutOrder(order("C-1", "P-1", OrderStatus.PARTIALLY_FILLED, "40")),
                new JournalWrite.PutFill(fill("C-1", "E-1"), "P-1"),
                new JournalWrite.PutPosition(new Position("AAPL", new BigDecimal("40"), new BigDecimal("189.27"),
                        new BigDecimal("-0.40"), new BigDecimal("0.40"), T0), T0),
                new JournalWrite.PutReport(1, "R-1", "P-1", "C-1", "partial", T0, "{\"sequence\":1}"),
                new JournalWrite.PutQuarantined("VENUE_A", "C-1", "P-1", "E-9", "over-fill", "8=FIX.4.4|35=8|", T0),
                new JournalWrite.PutVenueStats("VENUE_A", "{\"fills\":1}", T0),
                new JournalWrite.PutTradingState(TradingState.REDUCING, T0));
    }

    @Test
    void everyKindOfRowReadsBackEqual() {
        List<JournalWrite> rows = new ArrayList<>(everyKind());
        rows.add(new JournalWrite.PutTradingState(TradingState.HALTED, Instant.parse("2026-11-30T10:00:00.123456789Z")));
        assertThat(JournalWrite.class.getPermittedSubclasses()).hasSize(everyKind().size());
        assertThat(JournalCodec.decode(JournalCodec.encode(rows))).isEqualTo(rows);
        String json = new String(JournalCodec.encode(rows), UTF_8);
        assertThat(json).as("record components only, no helper methods").contains("\"cumQty\":40")
                .doesNotContain("leavesQty", "latencyMs", "\"flat\"", "notional");
    }

    /** A PutOrder as versions before {@code Order}'s three parts wrote it: one field per component (from that code). */
    private static final String FLAT_ORDER = "[{\"w\":\"PutOrder\",\"order\":{\"clOrdId\":{\"value\":\"C-1\"},"
            + "\"seqNo\":7,\"planId\":\"P-1\",\"leg\":\"ENTRY\",\"sliceNo\":0,\"venue\":\"VENUE_A\",\"symbol\":\"AAPL\","
            + "\"side\":\"BUY\",\"type\":\"LIMIT\",\"timeInForce\":\"DAY\",\"quantity\":100,\"limitPrice\":189.50,"
            + "\"expireTime\":null,\"status\":\"PARTIALLY_FILLED\",\"cumQty\":40,\"avgPx\":189.270,\"fees\":0.40,"
            + "\"venueOrderId\":{\"value\":\"V-1\"},\"expectedPrice\":189.50,\"venueScore\":0.73,"
            + "\"createdAt\":\"2026-11-30T10:00:00.123456Z\",\"sentAt\":\"2026-11-30T10:00:00.123456001Z\",\"ackedAt\":null,"
            + "\"pendingRequest\":null,\"requestCount\":0,\"text\":\"a venue's text\\nwith a newline\"}}]";

    @Test
    void anOrderJournaledByAnEarlierVersionInItsFlatShapeReadsBackEqual() {
        Order expected = order("C-1", "P-1", OrderStatus.PARTIALLY_FILLED, "40");
        List<JournalWrite> read = JournalCodec.decode(FLAT_ORDER.getBytes(UTF_8));
        assertThat(read).containsExactly(new JournalWrite.PutOrder(expected));
        String now = new String(JournalCodec.encode(read), UTF_8);
        assertThat(now).as("written in parts from now on").contains("\"origin\":{", "\"terms\":{", "\"progress\":{");
    }

    @Test
    void tablesCatchUpAndAFencedReadSeesWhatWasJournaled() {
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        JdbcTradeJournal tables = new JdbcTradeJournal(db);
        journal.commit(everyKind());
        journal.syncNow();

        // The engine thread's own reads answer at once; any other reader of the database waits for the tables.
        StoredPlan p1 = plan("P-1", PlanState.WORKING).withProgress(P1_PROGRESS);
        assertThat(p1.state()).isEqualTo(PlanState.OPEN);
        assertThat(journal.findPlan("P-1")).contains(p1);
        assertThat(journal.fillExists("VENUE_A", new ClOrdId("C-1"), new ExecId("E-1"))).isTrue();
        assertThat(journal.tradingState()).contains(TradingState.REDUCING);
        assertThat(tables.findPlan("P-1")).contains(p1);
        assertThat(tables.ordersOfPlan("P-1")).singleElement().extracting(Order::cumQty).usingComparator(BigDecimal::compareTo)
                .isEqualTo(new BigDecimal("40"));
        assertThat(journal.inTables()).isEqualTo(journal.journaled()).isEqualTo(1);
        assertThat(tables.journalApplied()).isEqualTo(1);
    }

    @Test
    void theLastStateOfARowWrittenByManyBatchesIsWhatTheTablesHold() {
        Database db = database();
        WriteAheadJournal journal = journal(db, false);
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-2", PlanState.PENDING_ENTRY)),
                new JournalWrite.PutOrder(order("C-2", "P-2", OrderStatus.NEW, "0"))));
        journal.commit(List.of(new JournalWrite.PutOrder(order("C-2", "P-2", OrderStatus.PARTIALLY_FILLED, "40"))));
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-2", PlanState.OPEN)),
                new JournalWrite.PutOrder(order("C-2", "P-2", OrderStatus.FILLED, "100"))));

        assertThat(journal.findOrder(new ClOrdId("C-2"))).get().extracting(Order::status).isEqualTo(OrderStatus.FILLED);
        journal.syncNow();   // other readers see batches once they are durable
        JdbcTradeJournal tables = new JdbcTradeJournal(db);
        assertThat(tables.findPlan("P-2")).get().extracting(StoredPlan::state).isEqualTo(PlanState.OPEN);
        assertThat(tables.findOrder(new ClOrdId("C-2"))).get().extracting(Order::status).isEqualTo(OrderStatus.FILLED);
    }

    @Test
    void batchesMillisecondsApartReachTheTablesInOneTransactionAndAFencedReadDoesNotWaitForTheLinger() {
        Database db = database();
        // A linger longer than a fenced read waits (10 s): were the read not to cut the linger short, it would give up
        // waiting and read tables that do not hold the plan yet.
        WriteAheadJournal journal = journal(db, false, Duration.ofSeconds(40));
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-3", PlanState.WORKING)),
                new JournalWrite.PutOrder(order("C-3", "P-3", OrderStatus.NEW, "0"))));
        journal.syncNow();
        journal.commit(List.of(new JournalWrite.PutOrder(order("C-3", "P-3", OrderStatus.FILLED, "100")),
                new JournalWrite.PutFill(fill("C-3", "E-3"), "P-3")));
        journal.syncNow();
        assertThat(journal.projections()).as("the projector is still gathering").isZero();

        JdbcTradeJournal tables = new JdbcTradeJournal(db);
        assertThat(tables.findOrder(new ClOrdId("C-3"))).get().extracting(Order::status).isEqualTo(OrderStatus.FILLED);
        assertThat(tables.findPlan("P-3")).get().extracting(StoredPlan::state).isEqualTo(PlanState.WORKING);
        assertThat(journal.projections()).as("both batches in one transaction").isEqualTo(1);
        assertThat(tables.journalApplied()).isEqualTo(2);
    }

    @Test
    void aCleanCloseWritesWhatTheProjectorWasGathering() {
        Database db = database();
        WriteAheadJournal journal = journal(db, true, Duration.ofSeconds(40));
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-4", PlanState.WORKING))));
        journal.syncNow();
        long start = System.nanoTime();
        journal.close();
        open.remove(journal);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close does not wait out the linger")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(journal.projections()).isEqualTo(1);
        assertThat(new JdbcTradeJournal(db).findPlan("P-4")).isPresent();
    }

    @Test
    void aRestartReplaysTheBatchesTheTablesMissed() throws Exception {
        // Batches journaled by a gateway killed before its projector wrote them: the file alone, tables empty.
        Path journalDir = dir.resolve("journal");
        try (JournalSegments segments = new JournalSegments(journalDir, 1 << 20, true)) {
            segments.start(1);
            segments.append(1, JournalCodec.encode(List.of(new JournalWrite.PutPlan(plan("P-3", PlanState.WORKING)))));
            segments.append(2, JournalCodec.encode(List.of(new JournalWrite.PutOrder(order("C-3", "P-3", OrderStatus.NEW, "0")),
                    new JournalWrite.PutFill(fill("C-3", "E-3"), "P-3"))));
        }
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        JdbcTradeJournal tables = new JdbcTradeJournal(db);

        assertThat(tables.journalApplied()).isEqualTo(2);
        assertThat(tables.findPlan("P-3")).isPresent();
        assertThat(tables.fillExists("VENUE_A", new ClOrdId("C-3"), new ExecId("E-3"))).isTrue();
        assertThat(JournalSegments.files(journalDir)).as("replayed files deleted; a new one begun at batch 3")
                .extracting(p -> p.getFileName().toString()).containsExactly("journal-00000000000000000003.wal");
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-4", PlanState.WORKING))));
        journal.syncNow();
        assertThat(journal.journaled()).isEqualTo(3);
    }

    @Test
    void aRestartAnswersNewPlanIdsFromMemoryAndStoredOnesFromTheTables() throws Exception {
        Database db = database();
        WriteAheadJournal first = journal(db, false);
        for (int i = 0; i < 200; i++) first.commit(List.of(new JournalWrite.PutPlan(plan("P-" + i, PlanState.WORKING))));
        first.close();

        WriteAheadJournal journal = journal(db, false);
        await().atMost(Duration.ofSeconds(20)).until(journal::planIdsLoaded);
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-new", PlanState.WORKING))));
        journal.syncNow();

        for (int i = 200; i < 1_200; i++) assertThat(journal.findPlan("Q-" + i)).isEmpty();
        assertThat(journal.planLookups()).as("new plan ids answered without the tables (a few false positives allowed)")
                .isLessThan(5);
        long before = journal.planLookups();
        for (int i = 0; i < 200; i++) assertThat(journal.findPlan("P-" + i)).contains(plan("P-" + i, PlanState.WORKING));
        assertThat(journal.findPlan("P-new")).isPresent();
        assertThat(journal.planLookups() - before).as("stored plans are read from the tables").isGreaterThanOrEqualTo(200);
    }

    @Test
    void aRestartAnswersNewFillsFromMemoryAndStoredOnesFromTheTables() throws Exception {
        Database db = database();
        WriteAheadJournal first = journal(db, false);
        first.commit(List.of(new JournalWrite.PutPlan(plan("P-F", PlanState.WORKING)),
                new JournalWrite.PutOrder(order("C-F", "P-F", OrderStatus.PARTIALLY_FILLED, "40"))));
        for (int i = 0; i < 200; i++) first.commit(List.of(new JournalWrite.PutFill(fill("C-F", "E-" + i), "P-F")));
        first.close();

        WriteAheadJournal journal = journal(db, false);
        await().atMost(Duration.ofSeconds(20)).until(journal::fillKeysLoaded);
        journal.commit(List.of(new JournalWrite.PutFill(fill("C-F", "E-new"), "P-F")));
        journal.syncNow();

        for (int i = 200; i < 1_200; i++) {
            assertThat(journal.fillExists("VENUE_A", new ClOrdId("C-F"), new ExecId("E-" + i))).isFalse();
        }
        assertThat(journal.fillLookups()).as("new fills answered without the tables (a few false positives allowed)")
                .isLessThan(5);
        long before = journal.fillLookups();
        for (int i = 0; i < 200; i++) {
            assertThat(journal.fillExists("VENUE_A", new ClOrdId("C-F"), new ExecId("E-" + i))).as("stored fill E-" + i).isTrue();
        }
        assertThat(journal.fillExists("VENUE_A", new ClOrdId("C-F"), new ExecId("E-new"))).isTrue();
        assertThat(journal.fillExists("VENUE_B", new ClOrdId("C-F"), new ExecId("E-1"))).as("another venue's fill").isFalse();
        assertThat(journal.fillLookups() - before).as("stored fills are read from the tables").isGreaterThanOrEqualTo(200);
    }

    @Test
    void aPlansProgressIsReadOverItsFirstRowWhereverThatRowIs() throws Exception {
        Database db = database();
        WriteAheadJournal journal = journal(db, false);
        JournalWrite.PutPlanProgress working = new JournalWrite.PutPlanProgress("P-5", PlanState.WORKING, "{\"x\":\"w\"}",
                T0.plusMillis(7));
        JournalWrite.PutPlanProgress closed = new JournalWrite.PutPlanProgress("P-5", PlanState.CLOSED, "{\"x\":\"c\"}",
                T0.plusMillis(8));
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-5", PlanState.PENDING_ENTRY))));
        journal.commit(List.of(working));
        // First row and progress both pending: the progress is folded into the row.
        assertThat(journal.findPlan("P-5")).contains(plan("P-5", PlanState.PENDING_ENTRY).withProgress(working));
        journal.syncNow();
        await().atMost(Duration.ofSeconds(20)).until(() -> journal.inTables() == 2);

        journal.holdProjectionForTest();
        journal.commit(List.of(closed));
        // Only the progress pending: read over the row in the tables.
        assertThat(journal.findPlan("P-5")).contains(plan("P-5", PlanState.PENDING_ENTRY).withProgress(closed));
        assertThat(db.unfenced(() -> new JdbcTradeJournal(db).findPlan("P-5"))).get().extracting(StoredPlan::state)
                .isEqualTo(PlanState.WORKING);
        journal.crashForTest();
    }

    @Test
    void aRestartFoldsAPlansProgressIntoItsFirstRowWhenBothWereMissed() throws Exception {
        JournalWrite.PutPlanProgress open = new JournalWrite.PutPlanProgress("P-6", PlanState.OPEN, "{\"x\":\"o\"}",
                T0.plusMillis(7));
        Path journalDir = dir.resolve("journal");
        try (JournalSegments segments = new JournalSegments(journalDir, 1 << 20, true)) {
            segments.start(1);
            segments.append(1, JournalCodec.encode(List.of(new JournalWrite.PutPlan(plan("P-6", PlanState.WORKING)))));
            segments.append(2, JournalCodec.encode(List.of(open)));
        }
        Database db = database();
        journal(db, true);

        assertThat(new JdbcTradeJournal(db).findPlan("P-6")).contains(plan("P-6", PlanState.WORKING).withProgress(open));
    }

    @Test
    void aTornLastRecordIsCutAndItsBatchWasNeverAcknowledged() throws Exception {
        Path journalDir = dir.resolve("journal");
        try (JournalSegments segments = new JournalSegments(journalDir, 1 << 20, true)) {
            segments.start(1);
            segments.append(1, JournalCodec.encode(List.of(new JournalWrite.PutPlan(plan("P-5", PlanState.WORKING)))));
            segments.append(2, JournalCodec.encode(List.of(new JournalWrite.PutPlan(plan("P-6", PlanState.WORKING)))));
        }
        Path file = JournalSegments.files(journalDir).get(0);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 5);   // power went out in the middle of batch 2's write
        }
        Database db = database();
        journal(db, true);
        JdbcTradeJournal tables = new JdbcTradeJournal(db);
        assertThat(tables.findPlan("P-5")).isPresent();
        assertThat(tables.findPlan("P-6")).isEmpty();
        assertThat(tables.journalApplied()).isEqualTo(1);
    }

    @Test
    void batchesPastTheZeroedSpaceAndAcrossFilesReadBackInOrderWithTheZeroedSpaceCutAtEachRoll() throws Exception {
        Path journalDir = dir.resolve("journal");
        byte[] payload = new byte[100_000];
        Arrays.fill(payload, (byte) 'x');
        int batches = 70;   // 7 MB: the zeroed space is extended several times in each 3 MB file
        try (JournalSegments segments = new JournalSegments(journalDir, 3_000_000, true)) {
            segments.start(1);
            for (int i = 1; i <= batches; i++) {
                payload[0] = (byte) i;
                segments.write(i, payload);
                if (i % 3 == 0) segments.keepZeroedAhead();   // as the syncer does after each force
            }
            segments.force();
        }
        List<JournalSegments.Record> records = JournalSegments.readAll(journalDir);
        assertThat(records).extracting(JournalSegments.Record::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, batches).boxed().toList());
        assertThat(records).allSatisfy(r -> assertThat(r.payload()).hasSize(payload.length));
        assertThat(records.get(41).payload()[0]).isEqualTo((byte) 42);
        List<Path> files = JournalSegments.files(journalDir);
        assertThat(files).hasSize(3);
        long recordBytes = JournalSegments.HEADER + payload.length;
        // A closed file holds its records only (its zeroed space cut at the roll): 30 batches reach 3 MB.
        assertThat(Files.size(files.get(0))).isEqualTo(30 * recordBytes);
        assertThat(Files.size(files.get(1))).isEqualTo(30 * recordBytes);
    }

    @Test
    void eachFsyncIsTimedOnceWithItsDuration() {
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        List<Long> times = new CopyOnWriteArrayList<>();
        journal.syncNow();
        long before = journal.syncs();
        journal.timeForces(times::add);
        for (int i = 0; i < 3; i++) {
            journal.commit(List.of(new JournalWrite.PutPlan(plan("P-T" + i, PlanState.WORKING))));
            journal.syncNow();
        }
        assertThat(journal.syncs() - before).isEqualTo(3);
        assertThat(times).hasSize(3).allSatisfy(nanos -> assertThat(nanos).isPositive());
    }

    @Test
    void damageBeforeTheLastFileStopsStartUp() throws Exception {
        Path journalDir = dir.resolve("journal");
        try (JournalSegments segments = new JournalSegments(journalDir, 100, true)) {   // one batch per file
            segments.start(1);
            segments.append(1, JournalCodec.encode(List.of(new JournalWrite.PutPlan(plan("P-7", PlanState.WORKING)))));
            segments.append(2, JournalCodec.encode(List.of(new JournalWrite.PutPlan(plan("P-8", PlanState.WORKING)))));
        }
        List<Path> files = JournalSegments.files(journalDir);
        assertThat(files).hasSize(3);
        byte[] bytes = Files.readAllBytes(files.get(0));
        bytes[bytes.length - 3] ^= 0x55;
        Files.write(files.get(0), bytes);
        Database db = database();
        assertThatThrownBy(() -> journal(db, true)).hasMessageContaining("is damaged at offset 0");
        assertThat(new JdbcTradeJournal(db).findPlan("P-7")).isEmpty();
    }

    @Test
    void aFailedAppendStopsTheJournal() throws IOException {
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-9", PlanState.WORKING))));
        journal.syncNow();
        // The file can no longer be written: the journal closed under it, as a failing disk would.
        journal.closeFileForTest();
        List<String> ran = new CopyOnWriteArrayList<>();

        // The syncer appends the batch, fails, and releases nothing; the engine learns at its next commit.
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-10", PlanState.WORKING))), List.of(() -> ran.add("P-10 answered")));
        await().atMost(Duration.ofSeconds(10)).until(journal::failed);
        assertThatThrownBy(() -> journal.commit(List.of(new JournalWrite.PutPlan(plan("P-11", PlanState.WORKING)))))
                .as("every later commit: the engine stops rather than guess").isInstanceOf(JournalFailedException.class)
                .hasMessageContaining("appending batch 2 to the journal failed");
        assertThat(ran).isEmpty();
        assertThat(journal.awaitTables(1, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void batchesTheTablesNeverGotBeforeACrashAreReplayedAtTheNextStart() throws Exception {
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-20", PlanState.WORKING))));
        assertThat(journal.awaitTables(1, Duration.ofSeconds(10))).isTrue();
        journal.holdProjectionForTest();
        journal.commit(List.of(new JournalWrite.PutOrder(order("C-20", "P-20", OrderStatus.NEW, "0"))));
        journal.commit(List.of(new JournalWrite.PutOrder(order("C-20", "P-20", OrderStatus.FILLED, "100")),
                new JournalWrite.PutFill(fill("C-20", "E-20"), "P-20"),
                new JournalWrite.PutReport(1, "R-20", "P-20", "C-20", "filled", T0, "{\"sequence\":1}")));
        // What the engine sees at once; the tables are still at batch 1.
        assertThat(journal.fillExists("VENUE_A", new ClOrdId("C-20"), new ExecId("E-20"))).isTrue();
        JdbcTradeJournal tables = new JdbcTradeJournal(db);
        assertThat(db.unfenced(() -> tables.findOrder(new ClOrdId("C-20")))).isEmpty();
        journal.syncNow();   // on the device (their effects could have left), the tables still at batch 1
        journal.crashForTest();

        WriteAheadJournal restarted = journal(db, true);
        assertThat(tables.journalApplied()).isEqualTo(3);
        assertThat(tables.findOrder(new ClOrdId("C-20"))).get().extracting(Order::status).isEqualTo(OrderStatus.FILLED);
        assertThat(tables.fillExists("VENUE_A", new ClOrdId("C-20"), new ExecId("E-20"))).isTrue();
        assertThat(restarted.recover().lastReportSequence()).isEqualTo(1);
        assertThat(restarted.recover().openOrders()).isEmpty();
        restarted.commit(List.of(new JournalWrite.PutPlan(plan("P-21", PlanState.WORKING))));
        restarted.syncNow();
        assertThat(restarted.journaled()).as("sequences continue after the replayed ones").isEqualTo(4);
    }

    @Test
    void effectsRunOnTheSyncerOnceTheBatchesBeforeThemAreOnTheDevice() {
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        JdbcTradeJournal tables = new JdbcTradeJournal(db);
        List<String> seen = new CopyOnWriteArrayList<>();
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-30", PlanState.WORKING))));
        journal.commit(List.of(new JournalWrite.PutOrder(order("C-30", "P-30", OrderStatus.NEW, "0"))));
        // The engine reads what it wrote at once, durable or not.
        assertThat(journal.findOrder(new ClOrdId("C-30"))).get().extracting(Order::status).isEqualTo(OrderStatus.NEW);
        journal.release(List.of(() -> seen.add(Thread.currentThread().getName() + " durable up to " + journal.journaled()
                + ", fsyncs " + journal.syncs())));

        await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
        assertThat(seen).singleElement().asString().startsWith("journal-syncer durable up to 2, fsyncs ");
        assertThat(journal.syncs()).isBetween(1L, 2L);
        assertThat(journal.awaitTables(2, Duration.ofSeconds(10))).isTrue();
        assertThat(tables.findOrder(new ClOrdId("C-30"))).get().extracting(Order::status).isEqualTo(OrderStatus.NEW);
    }

    @Test
    void effectsHandedOverWithTheirBatchRunAfterItAndAfterThoseReleasedBefore() {
        WriteAheadJournal journal = journal(database(), true);
        List<String> seen = new CopyOnWriteArrayList<>();
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-31", PlanState.WORKING))));
        journal.release(List.of(() -> seen.add("first, durable up to " + journal.journaled())));
        journal.commit(List.of(new JournalWrite.PutOrder(order("C-31", "P-31", OrderStatus.NEW, "0"))),
                List.of(() -> seen.add("second, durable up to " + journal.journaled()),
                        () -> seen.add("third on " + Thread.currentThread().getName())));
        journal.commit(List.of(), List.of(() -> seen.add("fourth, with no rows of its own")));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 4);
        assertThat(seen.get(0)).isIn("first, durable up to 1", "first, durable up to 2");
        assertThat(seen.subList(1, 4)).containsExactly("second, durable up to 2", "third on journal-syncer",
                "fourth, with no rows of its own");
    }

    @Test
    void aBatchNoEffectWaitsOnIsForcedWithinItsLongestAnyway() {
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-31", PlanState.WORKING))));

        await().atMost(Duration.ofSeconds(10)).until(() -> journal.journaled() == 1);
        assertThat(journal.syncs()).isEqualTo(1);
        assertThat(journal.written()).isEqualTo(1);
    }

    @Test
    void batchesSurviveAKillOnceTheirEffectsLeft() throws Exception {
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        journal.holdProjectionForTest();
        CountDownLatch answered = new CountDownLatch(1);
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-32", PlanState.WORKING))));
        journal.commit(List.of(new JournalWrite.PutOrder(order("C-32", "P-32", OrderStatus.NEW, "0"))),
                List.of(answered::countDown));
        assertThat(answered.await(10, TimeUnit.SECONDS)).isTrue();
        journal.crashForTest();

        journal(db, true);
        JdbcTradeJournal tables = new JdbcTradeJournal(db);
        assertThat(tables.journalApplied()).isEqualTo(2);
        assertThat(tables.findOrder(new ClOrdId("C-32"))).get().extracting(Order::status).isEqualTo(OrderStatus.NEW);
    }

    @Test
    void aCleanCloseForcesWhatWasWrittenAndRunsWhatWaited() {
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        List<String> seen = new CopyOnWriteArrayList<>();
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-33", PlanState.WORKING))));
        journal.release(List.of(() -> seen.add("answered")));
        journal.close();
        open.remove(journal);

        assertThat(seen).containsExactly("answered");
        assertThat(journal.journaled()).isEqualTo(1);
        assertThat(new JdbcTradeJournal(db).findPlan("P-33")).isPresent();
    }

    @Test
    void effectsWaitingOnAFailedFsyncNeverRunAndTheJournalStops() {
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        List<String> seen = new CopyOnWriteArrayList<>();
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-35", PlanState.WORKING))));
        journal.release(List.of(() -> seen.add("first answer")));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);

        journal.failForcesForTest();
        journal.commit(List.of(new JournalWrite.PutOrder(order("C-35", "P-35", OrderStatus.NEW, "0"))));
        journal.release(List.of(() -> seen.add("order sent")));
        await().atMost(Duration.ofSeconds(10)).until(journal::failed);

        assertThat(seen).as("nothing whose rows are not on the device leaves").containsExactly("first answer");
        assertThat(journal.journaled()).isEqualTo(1);
        assertThatThrownBy(() -> journal.commit(List.of(new JournalWrite.PutPlan(plan("P-36", PlanState.WORKING)))))
                .isInstanceOf(JournalFailedException.class).hasMessageContaining("forcing batches up to 2");
    }

    /** The engine on the journal: a failed fsync stops it within a timer tick, and the answer it held back never goes. */
    @Test
    void anEngineWhoseFsyncFailsStopsAndNeverAnswers() throws Exception {
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        VenueGateway noVenues = new NoVenues();
        TradingEngine engine = new TradingEngine(journal, noVenues, List.of(), (report, json) -> { }, Clock.systemUTC(),
                new TradingEngine.Settings(new BigDecimal("1000000"), Duration.ofSeconds(60), 0.2, Duration.ZERO,
                        Duration.ofMillis(250)));
        open.add(engine);
        engine.start();
        String json = Plans.market("wal-stop", "AAPL", "long").toString();
        var plan = ((ParseResult.Parsed) new PlanParser().parse(json)).plan();

        journal.failForcesForTest();
        CompletableFuture<TradingEngine.SubmitOutcome> answer = engine.submit(plan, json);

        await().atMost(Duration.ofSeconds(10)).until(engine::stopped);
        assertThat(journal.failed()).isTrue();
        assertThat(answer).as("its batch never reached the device: no answer, not even a refusal").isNotDone();
    }

    @Test
    void aSyncerHeldUpHoldsTheWriterUpWithinItsBound() throws Exception {
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        journal.limitUnsyncedForTest(2);
        CountDownLatch held = new CountDownLatch(1);
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-50", PlanState.WORKING))));
        // An effect that takes its time (a full queue downstream, say): the syncer forces nothing more meanwhile.
        journal.release(List.of(() -> {
            try {
                held.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.journaled() == 1);
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-51", PlanState.WORKING))));
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-52", PlanState.WORKING))));

        CompletableFuture<Void> third = CompletableFuture.runAsync(
                () -> journal.commit(List.of(new JournalWrite.PutPlan(plan("P-53", PlanState.WORKING)))));
        // Two batches wait for the device: the writer waits, and keeps waiting while the syncer is held.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !third.isDone());
        held.countDown();
        third.get(10, TimeUnit.SECONDS);
        journal.syncNow();
        assertThat(journal.journaled()).isEqualTo(4);
    }

    @Test
    void afterAFailedWriteNothingMoreIsReleased() throws IOException {
        Database db = database();
        WriteAheadJournal journal = journal(db, true);
        journal.closeFileForTest();
        List<String> ran = new CopyOnWriteArrayList<>();
        journal.commit(List.of(new JournalWrite.PutPlan(plan("P-34", PlanState.WORKING))), List.of(() -> ran.add("P-34")));
        await().atMost(Duration.ofSeconds(10)).until(journal::failed);
        assertThat(ran).as("the effects of the batch that failed to append").isEmpty();
        assertThatThrownBy(() -> journal.release(List.of(() -> { })))
                .as("the answer of a batch that is not on the device never goes").isInstanceOf(JournalFailedException.class);
    }

    @Test
    void spaceZeroedAheadOfTheRecordsReadsAsTheirEndAfterACrash() throws Exception {
        Path journalDir = dir.resolve("journal");
        JournalSegments segments = startedSegments(journalDir);
        segments.append(1, JournalCodec.encode(List.of(new JournalWrite.PutPlan(plan("P-40", PlanState.WORKING)))));
        segments.append(2, JournalCodec.encode(List.of(new JournalWrite.PutPlan(plan("P-41", PlanState.WORKING)))));
        segments.abandon();   // kill -9: the file keeps its zeroed space
        Path file = JournalSegments.files(journalDir).get(0);
        assertThat(Files.size(file)).isEqualTo(JournalSegments.ZEROED_AHEAD);

        assertThat(JournalSegments.readAll(journalDir)).extracting(JournalSegments.Record::sequence).containsExactly(1L, 2L);
        Database db = database();
        journal(db, true);
        assertThat(new JdbcTradeJournal(db).findPlan("P-41")).isPresent();
    }

    @Test
    void theForcingThreadZeroesTheNextSpaceBeforeTheWriterNeedsIt() throws Exception {
        Path journalDir = dir.resolve("journal");
        JournalSegments segments = new JournalSegments(journalDir, 64L << 20, false);
        segments.start(1);
        segments.write(1, new byte[1000]);
        Path file = JournalSegments.files(journalDir).get(0);
        segments.keepZeroedAhead();
        assertThat(Files.size(file)).as("more than half of the zeroed space left: nothing to do").isEqualTo(JournalSegments.ZEROED_AHEAD);

        segments.write(2, new byte[JournalSegments.ZEROED_AHEAD / 2]);
        segments.keepZeroedAhead();
        assertThat(Files.size(file)).isEqualTo(2L * JournalSegments.ZEROED_AHEAD);
        segments.write(3, new byte[1000]);
        assertThat(Files.size(file)).as("the writer found its space zeroed").isEqualTo(2L * JournalSegments.ZEROED_AHEAD);
        segments.close();
        assertThat(JournalSegments.readAll(journalDir)).extracting(JournalSegments.Record::sequence).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aTornRecordInTheZeroedSpaceIsCutLikeAnyTornTail() throws Exception {
        Path journalDir = dir.resolve("journal");
        JournalSegments segments = startedSegments(journalDir);
        segments.append(1, JournalCodec.encode(List.of(new JournalWrite.PutPlan(plan("P-42", PlanState.WORKING)))));
        segments.abandon();
        Path file = JournalSegments.files(journalDir).get(0);
        long end = recordsEnd(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            // Power went out while batch 2 was written: its header did not reach the disk, part of its payload did.
            ch.write(ByteBuffer.wrap(new byte[]{'[', '{'}), end + JournalSegments.HEADER + 10);
        }

        assertThat(JournalSegments.readAll(journalDir)).extracting(JournalSegments.Record::sequence).containsExactly(1L);
        assertThat(Files.size(file)).as("cut after batch 1").isEqualTo(end);
    }

    @Test
    void aClosedFileHoldsItsRecordsOnly() throws Exception {
        Path journalDir = dir.resolve("journal");
        byte[] payload = JournalCodec.encode(List.of(new JournalWrite.PutPlan(plan("P-43", PlanState.WORKING))));
        try (JournalSegments segments = new JournalSegments(journalDir, 64L << 20, true)) {
            segments.start(1);
            segments.append(1, payload);
        }
        assertThat(Files.size(JournalSegments.files(journalDir).get(0))).isEqualTo(JournalSegments.HEADER + payload.length);
    }

    /** Journal files in {@code journalDir} (64 MB each, fsync on), the first batch to come 1. */
    private static JournalSegments startedSegments(Path journalDir) throws IOException {
        JournalSegments segments = new JournalSegments(journalDir, 64L << 20, true);
        segments.start(1);
        return segments;
    }

    /** Where the records of a journal file end (the first header of zeros). */
    private static long recordsEnd(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
        while (buf.remaining() >= JournalSegments.HEADER) {
            int length = buf.getInt(buf.position());
            if (length == 0) return buf.position();
            buf.position(buf.position() + JournalSegments.HEADER + length);
        }
        return buf.position();
    }
}
