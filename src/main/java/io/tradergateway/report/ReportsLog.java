package io.tradergateway.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradergateway.report.delivery.OutboxEntry;
import io.tradergateway.report.delivery.ReportOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The ops desk's copy of every exec-report: one JSON object per line, appended after the report is committed
 * to the outbox (the outbox, not this file, is the source of truth for consumers).
 *
 * <p>A crash between the commit and the append loses the line; {@link #backfill(ReportOutbox)} at start-up appends
 * every committed report whose {@code sequence} is above the last one in the file, so the file catches up. A line
 * is always encodable: unpaired surrogates become U+FFFD ({@link Json#wellFormed}), and a failed write drops the
 * writer's buffer (a fresh writer is opened) rather than leaving bytes that would fail every later write.
 */
public final class ReportsLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReportsLog.class);
    /** Reports read from the outbox per query while back-filling. */
    static final int BACKFILL_PAGE = 500;
    /** Most bytes read from the end of the file to find its last report. */
    static final long MAX_TAIL_SCAN = 16L * 1024 * 1024;
    private final Path file;
    private BufferedWriter out;

    public ReportsLog(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.out = open(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open reports log " + file + ": " + e.getMessage(), e);
        }
    }

    private static BufferedWriter open(Path file) throws IOException {
        var encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), encoder));
    }

    public synchronized void append(String reportJson) {
        append(List.of(reportJson));
    }

    /** Appends each report on its own line, then flushes once. */
    public synchronized void append(List<String> reportJsons) {
        try {
            if (out == null) out = open(file);
            for (String json : reportJsons) {
                out.write(Json.wellFormed(json));
                out.newLine();
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            log.error("reports log write failed (the report is safe in the outbox; the log is back-filled at the next start): {}",
                    e.toString());
            dropWriter();
        }
    }

    /** A writer whose write failed may still hold the failed characters; it is closed and a fresh one opened next time. */
    private void dropWriter() {
        BufferedWriter broken = out;
        out = null;
        try {
            if (broken != null) broken.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing a failed reports log writer: {}", e.toString());
        }
    }

    /**
     * Appends every report of {@code outbox} with a sequence above the last one in the file (call at start-up, before
     * new reports are appended). A torn last line (a crash in mid-write) is ended first, so it stays one bad line.
     *
     * @return how many reports were appended
     */
    public synchronized int backfill(ReportOutbox outbox) {
        long after;
        try {
            endTornLine();
            after = lastSequenceInFile(file);
        } catch (IOException e) {
            log.error("reports log {} cannot be read to back-fill it: {}", file, e.toString());
            return 0;
        }
        int appended = 0;
        try {
            for (List<OutboxEntry> page = outbox.readAfter(after, BACKFILL_PAGE); !page.isEmpty();
                 page = outbox.readAfter(after, BACKFILL_PAGE)) {
                for (OutboxEntry entry : page) {
                    append(entry.json().strip());
                    after = entry.sequence();
                    appended++;
                }
            }
        } catch (RuntimeException e) {
            // The file is the ops desk's copy; the outbox stays the truth. Trading starts anyway.
            log.error("reports log back-fill stopped after sequence {}: {}", after, e.toString());
        }
        if (appended > 0) {
            log.warn("reports log back-filled with {} committed report(s) it was missing, up to sequence {}", appended, after);
        }
        return appended;
    }

    private void endTornLine() throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) return;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(raf.length() - 1);
            if (raf.read() == '\n') return;
        }
        if (out == null) out = open(file);
        out.newLine();
        out.flush();
    }

    /**
     * The {@code sequence} of the last line of the file that is a report, reading backwards from the end in growing
     * chunks (the file may be large); 0 for an empty or missing file.
     */
    static long lastSequenceInFile(Path file) throws IOException {
        if (!Files.exists(file)) return 0;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            for (long chunk = 64 * 1024; ; chunk *= 4) {
                if (chunk > MAX_TAIL_SCAN) throw new IOException("no report line in its last " + MAX_TAIL_SCAN + " bytes");
                long start = Math.max(0, length - chunk);
                byte[] bytes = new byte[(int) (length - start)];
                raf.seek(start);
                raf.readFully(bytes);
                String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
                // The first line of a chunk that does not start the file may be cut: it is not trusted.
                for (int i = lines.length - 1; i >= (start == 0 ? 0 : 1); i--) {
                    long sequence = sequenceOf(lines[i]);
                    if (sequence > 0) return sequence;
                }
                if (start == 0) return 0;
            }
        }
    }

    private static long sequenceOf(String line) {
        if (line.isBlank()) return 0;
        try {
            JsonNode node = Json.MAPPER.readTree(line);
            return node != null && node.path("sequence").canConvertToExactIntegral() ? node.path("sequence").asLong() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public synchronized void close() {
        dropWriter();
    }
}
