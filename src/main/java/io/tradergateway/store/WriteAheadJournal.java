package io.tradergateway.store;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.execution.JournalFailedException;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.execution.Order;
import io.tradergateway.execution.StoredPlan;
import io.tradergateway.execution.TradeJournal;
import io.tradergateway.execution.TradingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The engine's journal as an append-only file with the SQL tables as a projection of it (issue 12).
 *
 * <p>{@link #commit} hands an engine batch's rows (immutable records) to the {@code journal-syncer} thread and returns:
 * the engine neither encodes, writes nor waits for the device (I/O apart from the application). The syncer encodes and
 * appends every batch handed over since its last turn, forces the file once for all of them, as soon as an effect waits
 * ({@link #release}: a FIX order, an API answer, an exec-report) or within {@link #MAX_UNSYNCED} when none does, then
 * runs those effects: nothing leaves the process before the rows that decided it are on the device, and the engine
 * goes on with the next events meanwhile (fsync pipelining). A kill -9 loses the batches not yet forced; nothing left
 * the process because of them (a venue's acknowledgement among them comes back by reconciliation, as after a power
 * loss). Batches
 * reach the tables only once forced, on the {@code journal-projector} thread,
 * many batches per SQL transaction, each transaction recording the last batch it holds ({@code gateway_state
 * journal_applied}), so a replay after a crash applies exactly the batches the tables miss ({@link #open}).
 *
 * <p>Reads: the engine thread answers its own questions (a plan already known, a fill already booked) from the batches
 * not yet in the tables, then from the tables. Every other reader of the database (API queries, report delivery, Kafka)
 * is fenced ({@link Database#fenceReads}): its read waits until the tables hold every batch journaled before it began,
 * so nothing the engine acknowledged is ever missing from an answer.
 *
 * <p>Failure is fail-stop: a failed append or fsync, or tables that cannot be written after bounded retries, make
 * every later {@link #commit} throw {@link JournalFailedException}, which stops the engine. What the journal holds is
 * replayed at the next start.
 */
public final class WriteAheadJournal implements TradeJournal, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteAheadJournal.class);

    /**
     * @param dir          the journal's folder
     * @param fsync        force each batch to the device before the engine acts on it (off only for tests and benchmarks
     *                     that measure something else: then a power loss can lose acknowledged batches)
     * @param segmentBytes size at which a journal file is closed and a new one begun
     */
    public record Settings(Path dir, boolean fsync, long segmentBytes, Duration projectionLinger) {
        /** The settings with the default {@link #PROJECTION_LINGER}. */
        public Settings(Path dir, boolean fsync, long segmentBytes) {
            this(dir, fsync, segmentBytes, PROJECTION_LINGER);
        }
    }

    /**
     * How long the projector gathers batches before it writes them to the tables, unless a fenced read waits (then it
     * writes at once). A market plan's life is a few batches within a couple of milliseconds, so gathering for this long
     * writes most plans' and orders' rows once, in their last state, rather than inserted then updated; measured: the
     * projector's CPU per plan fell by 40 % (BENCHMARKS.md). The tables are a projection: nothing waits on them but
     * fenced readers, who do not wait for the linger.
     */
    public static final Duration PROJECTION_LINGER = Duration.ofMillis(20);

    /** How often the projector tries a failing table write before it stops the journal, and its first back-off. */
    static final int PROJECTION_ATTEMPTS = 8;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** How long a fenced read waits for the tables before it reads them as they are. */
    private static final Duration FENCE_WAIT = Duration.ofSeconds(10);
    /**
     * Longest a batch no effect waits on stays written but not forced (a power loss in that window loses it; it caused
     * nothing outside the process, and its venue facts come back through reconciliation).
     */
    static final Duration MAX_UNSYNCED = Duration.ofMillis(5);
    /**
     * Batches waiting for the device, or for the tables, before the engine waits (back-pressure, bounded memory): the
     * engine on the syncer, the syncer on the projector.
     */
    private static final int MAX_PENDING = 65_536;
    /** Most batches written to the tables in one transaction. */
    private static final int MAX_PROJECTION = 1_024;
    /** 2^24 bits (2 MiB) for the plan ids: see {@link KeyFilter} for its false positives by plans stored. */
    private static final int PLAN_ID_FILTER_BITS = 24;
    /** 2^25 bits (4 MiB) for the fills' keys: a plan has one fill or more. */
    private static final int FILL_KEY_FILTER_BITS = 25;

    private final Database db;
    private final Clock clock;
    private final JdbcTradeJournal tables;
    private final JournalSegments segments;
    private final PendingRows pending = new PendingRows();
    private final BlockingQueue<Batch> toProject = new LinkedBlockingQueue<>(MAX_PENDING);
    private final Object progress = new Object();
    private final Thread projector;
    private final long lingerNanos;
    /** Fenced readers waiting for the tables: the projector stops gathering and writes (see {@link #linger}). */
    private volatile int readersWaiting;
    /** SQL transactions the projector committed (metrics, tests). */
    private volatile long projections;
    private volatile boolean running = true;
    private volatile JournalFailedException failure;
    /** The projector gave up (or was interrupted): the tables will not catch up before a restart. */
    private volatile boolean projectionStopped;
    /** Next batch sequence; engine thread only. */
    private long nextSequence;
    /**
     * Between the engine (commits, releases) and the {@code journal-syncer} (appends, forces, runs effects): batches
     * handed over but not on the device yet, since when, and the effects waiting for them.
     */
    private final Object syncLock = new Object();
    private final List<Batch> unsynced = new ArrayList<>();
    private final ArrayDeque<Effects> waiting = new ArrayDeque<>();
    private long unsyncedSince;
    private boolean syncRequested;
    private volatile boolean syncerRunning = true;
    private volatile int maxUnsynced = MAX_PENDING;
    private final Thread syncer;
    private volatile long syncs;
    /** Told how long each fsync took (ns), on the syncer: {@link #timeForces}. */
    private volatile LongConsumer forceTimes = nanos -> { };
    private volatile long written;
    /** Last batch forced to the device and handed to the tables. */
    private volatile long journaled;
    private volatile long applied;

    private record Batch(long sequence, List<JournalWrite> writes) {
    }

    /** Every {@code plan_id} stored or written: "is this plan new?" answered without the tables (see findPlan). */
    private final KeyFilter planIds = new KeyFilter(PLAN_ID_FILTER_BITS);
    /** True once {@link #planIds} holds every plan the tables held at start (a background pass): a "no" is then final. */
    private volatile boolean planIdsComplete;
    /** Plan lookups {@link #findPlan} asked of the tables (written by the engine thread only; tests). */
    private volatile long planLookups;
    /** Every stored fill's key: "is this fill new?" answered without the tables (see fillExists). */
    private final KeyFilter fillKeys = new KeyFilter(FILL_KEY_FILTER_BITS);
    /** True once {@link #fillKeys} holds every fill the tables held at start: a "no" is then final. */
    private volatile boolean fillKeysComplete;
    /** Fill lookups {@link #fillExists} asked of the tables (engine thread only; tests). */
    private volatile long fillLookups;

    private WriteAheadJournal(Database db, JdbcTradeJournal tables, JournalSegments segments, long lastSequence,
                              Duration linger, Clock clock) {
        this.db = db;
        this.lingerNanos = linger.toNanos();
        this.clock = clock;
        this.tables = tables;
        this.segments = segments;
        this.nextSequence = lastSequence + 1;
        this.journaled = lastSequence;
        this.written = lastSequence;
        this.applied = lastSequence;
        this.projector = new Thread(this::project, "journal-projector");
        projector.setDaemon(true);
        this.syncer = new Thread(this::syncLoop, "journal-syncer");
        syncer.setDaemon(true);
    }

    /**
     * Opens the journal in {@code settings.dir()}: replays into the tables every batch they miss (a crash or power loss
     * left them behind the file), makes the tables durable, deletes the replayed files and starts a new one.
     */
    public static WriteAheadJournal open(Database db, JdbcTradeJournal tables, Settings settings, Clock clock) {
        try {
            long inTables = tables.journalApplied();
            long last = replay(tables, JournalSegments.readAll(settings.dir()), inTables, clock);
            List<Path> old = JournalSegments.files(settings.dir());
            if (!old.isEmpty()) {
                db.syncToDevice();
                for (Path p : old) Files.delete(p);
            }
            db.relaxWriteDelay();
            JournalSegments segments = new JournalSegments(settings.dir(), settings.segmentBytes(), settings.fsync());
            segments.start(last + 1);
            WriteAheadJournal journal = new WriteAheadJournal(db, tables, segments, last, settings.projectionLinger(), clock);
            db.fenceReads(journal::awaitTables);
            journal.projector.start();
            journal.syncer.start();
            journal.loadKeys();
            log.info("journal {} open at batch {} (fsync {})", settings.dir(), last + 1, settings.fsync() ? "on" : "OFF");
            return journal;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the journal in " + settings.dir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds every stored {@code plan_id} to {@link #planIds}, then every stored fill's key to {@link #fillKeys}, on a
     * thread of its own, so start-up does not wait; until each is done, {@link #findPlan} and {@link #fillExists} ask
     * the tables. Plans and fills written meanwhile are added by {@link #commit}.
     */
    private void loadKeys() {
        Thread loader = new Thread(() -> {
            if (load("plan ids", planIds, tables::forEachPlanId)) planIdsComplete = true;
            Consumer<Consumer<String>> storedFills =
                    add -> tables.forEachFillKey(k -> add.accept(fillKey(k.venue(), k.clOrdId(), k.execId())));
            if (load("fill keys", fillKeys, storedFills)) fillKeysComplete = true;
        }, "journal-keys");
        loader.setDaemon(true);
        loader.start();
    }

    /** Adds every stored key {@code source} gives to {@code filter}; false (logged) when the tables could not be read. */
    private static boolean load(String what, KeyFilter filter, Consumer<Consumer<String>> source) {
        try {
            long start = System.nanoTime();
            long[] count = {0};
            source.accept(key -> {
                filter.add(key);
                count[0]++;
            });
            log.info("journal: {} stored {} loaded in {} ms: new ones are answered from memory", count[0], what,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return true;
        } catch (RuntimeException e) {
            log.warn("journal: cannot load the stored {} ({}): every new one is looked up in the tables", what, e.getMessage());
            return false;
        }
    }

    private static String fillKey(String venue, ClOrdId clOrdId, ExecId execId) {
        return venue + '\u0001' + clOrdId.value() + '\u0001' + execId.value();
    }

    /** Applies the batches after {@code inTables} to the tables; the last batch sequence known. */
    private static long replay(JdbcTradeJournal tables, List<JournalSegments.Record> records, long inTables, Clock clock)
            throws IOException {
        List<Batch> missing = new ArrayList<>();
        long last = inTables;
        for (JournalSegments.Record r : records) {
            if (r.sequence() <= inTables) continue;
            if (missing.isEmpty() && r.sequence() != inTables + 1) {
                throw new IOException("the tables hold batches up to " + inTables + " but the journal's next batch is "
                        + r.sequence() + ": batches are missing");
            }
            missing.add(new Batch(r.sequence(), JournalCodec.decode(r.payload())));
            last = r.sequence();
        }
        for (int from = 0; from < missing.size(); from += MAX_PROJECTION) {
            List<Batch> group = missing.subList(from, Math.min(missing.size(), from + MAX_PROJECTION));
            tables.commit(PendingRows.latestRows(group.stream().map(Batch::writes).toList()), group.get(group.size() - 1).sequence(),
                    clock.instant());
        }
        if (!missing.isEmpty()) {
            log.warn("journal: replayed {} batches ({}..{}) the tables did not hold yet", missing.size(),
                    missing.get(0).sequence(), last);
        }
        return Math.max(last, records.isEmpty() ? 0 : records.get(records.size() - 1).sequence());
    }

    /**
     * Hands the batch to the {@code journal-syncer}, which writes and forces it (with every batch handed over before it)
     * once an effect waits on it, or within {@link #MAX_UNSYNCED}; the engine reads it at once (pending rows).
     */
    @Override
    public void commit(List<JournalWrite> writes) {
        commit(writes, List.of());
    }

    /**
     * Writes the batch as {@link #commit(List)} does and queues {@code effects} behind it in the same hand-over: the
     * syncer wakes once for both.
     */
    @Override
    public void commit(List<JournalWrite> writes, List<Runnable> effects) {
        JournalFailedException failed = failure;
        if (failed != null) throw failed;
        if (writes.isEmpty()) {
            if (!effects.isEmpty()) release(effects);
            return;
        }
        long sequence = nextSequence++;
        List<JournalWrite> rows = List.copyOf(writes);
        for (JournalWrite w : rows) {
            if (w instanceof JournalWrite.PutPlan p) planIds.add(p.plan().planId());
            else if (w instanceof JournalWrite.PutFill f) {
                fillKeys.add(fillKey(f.fill().venue(), f.fill().clOrdId(), f.fill().execId()));
            }
        }
        pending.add(sequence, rows);
        synchronized (syncLock) {
            // Back-pressure: a syncer held up (a slow device, tables far behind) holds the engine up too, within a bound.
            while (unsynced.size() >= maxUnsynced && failure == null && syncer.isAlive()) {
                try {
                    syncLock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw fail("interrupted while waiting for the journal's fsyncs", e);
                }
            }
            if (unsynced.isEmpty()) unsyncedSince = System.nanoTime();
            unsynced.add(new Batch(sequence, rows));
            written = sequence;
            if (!effects.isEmpty()) {
                waiting.add(new Effects(sequence, effects));
                syncLock.notifyAll();
            } else if (unsynced.size() == 1) {
                syncLock.notifyAll();   // starts the syncer's clock for the longest a batch may wait for the device
            }
        }
    }

    /** Runs {@code effects} on the {@code journal-syncer} thread once every batch committed so far is on the device. */
    @Override
    public void release(List<Runnable> effects) {
        JournalFailedException failed = failure;
        if (failed != null) throw failed;
        synchronized (syncLock) {
            waiting.add(new Effects(written, effects));
            syncLock.notifyAll();
        }
    }

    private record Effects(long afterBatch, List<Runnable> actions) {
    }

    private void syncLoop() {
        while (true) {
            long upTo;
            List<Batch> batches;
            synchronized (syncLock) {
                while (!syncDue()) {
                    if (abandonedForTest || failure != null) return;
                    if (!syncerRunning && unsynced.isEmpty() && waiting.isEmpty()) return;
                    long wait = unsynced.isEmpty() || !syncerRunning ? 100_000_000L
                            : unsyncedSince + MAX_UNSYNCED.toNanos() - System.nanoTime();
                    try {
                        TimeUnit.NANOSECONDS.timedWait(syncLock, Math.max(1, wait));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                upTo = written;
                batches = new ArrayList<>(unsynced);
                unsynced.clear();
            }
            if (!syncTo(upTo, batches)) return;
        }
    }

    /** Something waits on the device: effects, a {@link #syncNow}, rows written too long ago, or a stop. */
    private boolean syncDue() {
        if (failure != null || abandonedForTest) return false;
        if (!waiting.isEmpty() || syncRequested) return true;
        if (unsynced.isEmpty()) return false;
        return !syncerRunning || System.nanoTime() - unsyncedSince >= MAX_UNSYNCED.toNanos();
    }

    /** Appends and forces the batches up to {@code upTo}, hands them to the tables and runs the effects waiting on them. */
    private boolean syncTo(long upTo, List<Batch> batches) {
        long appending = 0;
        try {
            for (Batch b : batches) {
                appending = b.sequence();
                segments.write(b.sequence(), JournalCodec.encode(b.writes()));
            }
            appending = 0;
            if (!batches.isEmpty()) {
                long forcing = System.nanoTime();
                segments.force();
                forceTimes.accept(System.nanoTime() - forcing);
                segments.keepZeroedAhead();
            }
        } catch (IOException | RuntimeException e) {
            fail(appending != 0 ? "appending batch " + appending + " to the journal failed"
                    : "forcing batches up to " + upTo + " to the device failed", e);
            synchronized (syncLock) {
                syncLock.notifyAll();
            }
            return false;
        }
        if (!batches.isEmpty()) syncs++;
        try {
            for (Batch b : batches) toProject.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while handing batch " + upTo + " to the tables", e);
            return false;
        }
        List<Effects> due = new ArrayList<>();
        synchronized (syncLock) {
            if (upTo > journaled) journaled = upTo;
            while (!waiting.isEmpty() && waiting.peekFirst().afterBatch() <= upTo) due.add(waiting.pollFirst());
            if (unsynced.isEmpty() && waiting.isEmpty()) syncRequested = false;
            syncLock.notifyAll();
        }
        for (Effects e : due) {
            for (Runnable action : e.actions()) {
                try {
                    action.run();
                } catch (RuntimeException ex) {
                    log.error("an effect released after batch {} failed", e.afterBatch(), ex);
                }
            }
        }
        return true;
    }

    /** Waits until every batch committed so far is on the device and handed to the tables (recovery, reload, tests). */
    void syncNow() {
        synchronized (syncLock) {
            long target = written;
            syncRequested = true;
            syncLock.notifyAll();
            while (journaled < target && failure == null && syncer.isAlive()) {
                try {
                    syncLock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The last batch committed (handed to the syncer; on the device or not yet). */
    public long written() {
        return written;
    }

    /** How many fsyncs forced batches to the device (each may cover many batches); for metrics and benchmarks. */
    public long syncs() {
        return syncs;
    }

    /**
     * Tells {@code nanos} how long each fsync took, on the syncer thread, right after it: what an order or a report waits
     * for on the device (metrics: {@code trader_journal_fsync_seconds}). It must be quick and must not throw.
     */
    public void timeForces(LongConsumer nanos) {
        this.forceTimes = nanos;
    }

    private JournalFailedException fail(String what, Throwable cause) {
        JournalFailedException e = new JournalFailedException(what + " (" + cause.getMessage() + "): the engine stops; "
                + "a restart replays the journal", cause);
        if (failure == null) {
            failure = e;
            log.error("JOURNAL FAILED: {}", e.getMessage(), cause);
        }
        return failure;
    }

    /** Whether the journal stopped (see {@link JournalFailedException}); for health and readiness. */
    public boolean failed() {
        return failure != null;
    }

    // ================================================================= projection to the tables

    private void project() {
        try {
            projectUntilStopped();
        } finally {
            projectionStopped = true;
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    private void projectUntilStopped() {
        List<Batch> group = new ArrayList<>(MAX_PROJECTION);
        while (running || !toProject.isEmpty()) {
            Batch first;
            try {
                first = toProject.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            while (heldForTest) {
                if (abandonedForTest) return;
                LockSupport.parkNanos(5_000_000);
            }
            if (first == null) continue;
            group.clear();
            group.add(first);
            toProject.drainTo(group, MAX_PROJECTION - 1);
            linger(group);
            if (abandonedForTest) return;
            long last = group.get(group.size() - 1).sequence();
            if (!writeToTables(group, last)) return;
            projections++;
            applied = last;
            for (Batch b : group) pending.forget(b.sequence(), b.writes());
            synchronized (progress) {
                progress.notifyAll();
            }
            deleteAppliedFiles(last);
        }
    }

    /**
     * Gathers more batches into the projector's group for up to the linger after it took the first, while no fenced
     * reader waits and the group has room: a plan's rows written in batches a few milliseconds apart (received, acknowledged,
     * filled) then reach the tables as one row each, and a symbol's position once for many fills.
     */
    private void linger(List<Batch> group) {
        long until = System.nanoTime() + lingerNanos;
        while (group.size() < MAX_PROJECTION && readersWaiting == 0 && running) {
            long left = until - System.nanoTime();
            if (left <= 0) return;
            LockSupport.parkNanos(this, left);
            if (heldForTest) return;
            toProject.drainTo(group, MAX_PROJECTION - group.size());
        }
    }

    /** Writes a group of batches in one transaction, retried with back-off a bounded number of times. */
    private boolean writeToTables(List<Batch> group, long last) {
        var rows = PendingRows.latestRows(group.stream().map(Batch::writes).toList());
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                tables.commit(rows, last, clock.instant());
                if (attempt > 1) log.warn("journal: the tables took batches up to {} at attempt {}", last, attempt);
                return true;
            } catch (RuntimeException e) {
                if (attempt >= PROJECTION_ATTEMPTS) {
                    fail("writing batches up to " + last + " to the tables failed " + attempt + " times", e);
                    return false;
                }
                log.warn("journal: writing batches up to {} to the tables failed (attempt {} of {}), again in {} ms: {}",
                        last, attempt, PROJECTION_ATTEMPTS, backoff.toMillis(), e.getMessage());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void deleteAppliedFiles(long last) {
        if (!segments.anyApplied(last)) return;
        try {
            db.syncToDevice();
            segments.deleteApplied(last);
        } catch (IOException | RuntimeException e) {
            log.warn("journal: cannot delete files already in the tables (kept, retried later): {}", e.getMessage());
        }
    }

    /** Waits until the tables hold every batch journaled before the call (a fenced read); bounded by FENCE_WAIT. */
    private void awaitTables() {
        awaitTables(journaled, FENCE_WAIT);
    }

    /** Whether the tables hold batch {@code sequence} within {@code max}; the projector writes at once meanwhile. */
    boolean awaitTables(long sequence, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (progress) {
            if (applied >= sequence) return true;
            readersWaiting++;
            LockSupport.unpark(projector);
            try {
                return waitForTables(sequence, deadline);
            } finally {
                readersWaiting--;
            }
        }
    }

    /** Waits on {@link #progress} (held) until the tables hold {@code sequence} or the deadline passes. */
    private boolean waitForTables(long sequence, long deadline) {
        while (applied < sequence && !projectionStopped) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            try {
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return applied >= sequence;
    }

    // ================================================================= reads (engine thread)

    /** Whether every stored {@code plan_id} is in memory, so a new one is answered without the tables. */
    boolean planIdsLoaded() {
        return planIdsComplete;
    }

    long planLookups() {
        return planLookups;
    }

    /** Whether every stored fill's key is in memory, so a new fill is answered without the tables. */
    boolean fillKeysLoaded() {
        return fillKeysComplete;
    }

    long fillLookups() {
        return fillLookups;
    }

    @Override
    public Optional<StoredPlan> findPlan(String planId) {
        StoredPlan p = pending.plan(planId);
        if (p != null) return Optional.of(p);
        JournalWrite.PutPlanProgress progress = pending.planProgress(planId);
        if (progress == null && planIdsComplete && !planIds.mightContain(planId)) return Optional.empty();
        planLookups++;
        Optional<StoredPlan> stored = db.unfenced(() -> tables.findPlan(planId));
        return progress == null ? stored : stored.map(s -> s.withProgress(progress));
    }

    @Override
    public boolean fillExists(String venue, ClOrdId clOrdId, ExecId execId) {
        if (pending.hasFill(venue, clOrdId, execId)) return true;
        if (fillKeysComplete && !fillKeys.mightContain(fillKey(venue, clOrdId, execId))) return false;
        fillLookups++;
        return db.unfenced(() -> tables.fillExists(venue, clOrdId, execId));
    }

    @Override
    public Optional<Order> findOrder(ClOrdId clOrdId) {
        Order o = pending.order(clOrdId);
        return o != null ? Optional.of(o) : db.unfenced(() -> tables.findOrder(clOrdId));
    }

    @Override
    public Optional<TradingState> tradingState() {
        TradingState s = pending.tradingState();
        return s != null ? Optional.of(s) : db.unfenced(tables::tradingState);
    }

    /** Waits for the tables to hold every batch, then reads them (start-up, and the engine's reload after a failure). */
    @Override
    public Recovered recover() {
        syncNow();
        long last = journaled;
        if (!awaitTables(last, Duration.ofMinutes(2))) {
            JournalFailedException failed = failure;
            throw failed != null ? failed : new IllegalStateException("the tables did not catch up with batch " + last);
        }
        return db.unfenced(tables::recover);
    }

    @Override
    public String instanceId() {
        return tables.instanceId();
    }

    @Override
    public String clOrdIdPrefix() {
        return tables.clOrdIdPrefix();
    }

    /** Batches journaled, and batches in the tables (metrics, tests). */
    public long journaled() {
        return journaled;
    }

    public long inTables() {
        return applied;
    }

    /** SQL transactions that brought batches to the tables (each holds every batch gathered; metrics, tests). */
    public long projections() {
        return projections;
    }

    private volatile boolean heldForTest;
    private volatile boolean abandonedForTest;

    /** Holds the projector back: the tables stop following the journal, as when a crash comes before they catch up. */
    void holdProjectionForTest() {
        heldForTest = true;
    }

    /** A kill -9 now: the projector stops where it is, nothing more reaches the tables, the file is left as it is. */
    void crashForTest() throws IOException {
        abandonedForTest = true;
        heldForTest = true;
        LockSupport.unpark(projector);
        synchronized (syncLock) {
            syncLock.notifyAll();
        }
        try {
            syncer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            projector.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.fenceReads(null);
        segments.abandon();
    }

    /** Lowers how many batches may wait for the device before the engine waits (tests). */
    void limitUnsyncedForTest(int batches) {
        maxUnsynced = batches;
    }

    /** Makes every later fsync fail, as a failing device would (tests). */
    void failForcesForTest() {
        segments.failForcesForTest();
    }

    /** Closes the journal file under the journal, as a failing disk would make it unwritable (tests). */
    void closeFileForTest() throws IOException {
        segments.abandon();
    }

    /** Lets the projector write what is journaled, then closes the file. */
    @Override
    public void close() {
        synchronized (syncLock) {
            syncerRunning = false;
            syncLock.notifyAll();
        }
        try {
            syncer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!unsynced.isEmpty()) log.warn("closing the journal: batches after {} were not forced to the device", journaled);
        running = false;
        LockSupport.unpark(projector);
        try {
            projector.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.fenceReads(null);
        try {
            segments.close();
        } catch (IOException e) {
            log.warn("closing the journal file: {}", e.getMessage());
        }
    }
}
