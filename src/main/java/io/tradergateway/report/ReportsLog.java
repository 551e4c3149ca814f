package io.tradergateway.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The ops desk's copy of every exec-report: one JSON object per line, appended after the report is committed
 * to the outbox (the outbox, not this file, is the source of truth for consumers).
 */
public final class ReportsLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReportsLog.class);
    private final BufferedWriter out;

    public ReportsLog(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open reports log " + file + ": " + e.getMessage(), e);
        }
    }

    public synchronized void append(String reportJson) {
        try {
            out.write(reportJson);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            log.error("reports log write failed (the report is safe in the outbox): {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            log.warn("closing reports log: {}", e.getMessage());
        }
    }
}
