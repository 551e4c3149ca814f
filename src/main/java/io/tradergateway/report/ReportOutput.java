package io.tradergateway.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.ObjLongConsumer;

/**
 * The engine's output stage for exec-reports it has made durable. Each report's JSON (the text the journal wrote) goes
 * to the live streams at once, on the thread that publishes it (the journal's, after the fsync: an array slot and a
 * wake-up, no I/O), so a stream's client hears of a fill without one more thread hand-off; then, on the stage's own
 * {@code report-output} thread, in sequence order, to the reports log (one flush per run of reports), and every
 * listener is told (push delivery, Kafka). Neither the file write nor the listeners are on the engine's or the
 * journal's path. A report lost from this queue by a crash is safe in the outbox, and the reports log is back-filled
 * at the next start.
 */
public final class ReportOutput implements ReportPublisher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReportOutput.class);
    private static final int MAX_DRAIN = 256;

    private final ReportsLog reportsLog;
    private final List<LongConsumer> listeners;
    private final ObjLongConsumer<String> eachReport;
    private final BlockingQueue<Published> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param eachReport told each report's JSON and sequence on the publishing thread (the live streams): must be quick
     *                   and must not block
     * @param listeners  told the last sequence of each run of reports written (deliveries that read the outbox themselves)
     */
    public ReportOutput(ReportsLog reportsLog, ObjLongConsumer<String> eachReport, List<LongConsumer> listeners) {
        this.reportsLog = reportsLog;
        this.eachReport = eachReport;
        this.listeners = List.copyOf(listeners);
        this.thread = new Thread(this::run, "report-output");
        thread.setDaemon(true);
        thread.start();
    }

    private record Published(long sequence, String json) {
    }

    @Override
    public void publish(ExecReport report, JsonText json) {
        String text = json.text();
        eachReport.accept(text, report.sequence());
        queue.add(new Published(report.sequence(), text));
    }

    private void run() {
        List<Published> batch = new ArrayList<>(MAX_DRAIN);
        List<String> texts = new ArrayList<>(MAX_DRAIN);
        while (running || !queue.isEmpty()) {
            Published first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) continue;
            batch.clear();
            batch.add(first);
            queue.drainTo(batch, MAX_DRAIN - 1);
            texts.clear();
            for (Published report : batch) texts.add(report.json());
            reportsLog.append(texts);
            long last = batch.get(batch.size() - 1).sequence();
            for (LongConsumer listener : listeners) {
                try {
                    listener.accept(last);
                } catch (RuntimeException e) {
                    log.warn("report listener failed: {}", e.toString());
                }
            }
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
