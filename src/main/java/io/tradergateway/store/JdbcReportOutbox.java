package io.tradergateway.store;

import io.tradergateway.report.Json;
import io.tradergateway.report.delivery.ConsumerCursorStore;
import io.tradergateway.report.delivery.OutboxEntry;
import io.tradergateway.report.delivery.ReportOutbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The exec-report outbox and the per-consumer delivery cursors, read and written on pooled connections. A stored
 * report is read back well-formed ({@link Json#wellFormed}): one written with an unpaired surrogate before intake
 * refused them cannot break a page, a push or the reports log.
 */
public final class JdbcReportOutbox implements ReportOutbox, ConsumerCursorStore {
    private final Database db;
    private final Clock clock;

    public JdbcReportOutbox(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public List<OutboxEntry> readAfter(long sequence, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT sequence, report_id, report_json FROM exec_reports WHERE sequence > ? ORDER BY sequence LIMIT ?")) {
                ps.setLong(1, sequence);
                ps.setInt(2, limit);
                List<OutboxEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new OutboxEntry(rs.getLong(1), rs.getString(2), Json.wellFormed(rs.getString(3))));
                }
                return out;
            }
        });
    }

    @Override
    public long lastSequence() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(sequence), 0) FROM exec_reports");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Every report of one plan, in sequence order (for {@code GET /v1/plans/{id}}). */
    public List<String> reportsOfPlan(String planId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT report_json FROM exec_reports WHERE plan_id = ? ORDER BY sequence")) {
                ps.setString(1, planId);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(Json.wellFormed(rs.getString(1)));
                }
                return out;
            }
        });
    }

    @Override
    public long load(String consumer) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sequence FROM consumer_cursors WHERE consumer = ?")) {
                ps.setString(1, consumer);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void save(String consumer, long sequence) {
        db.write(c -> {
            int updated;
            try (PreparedStatement ps = c.prepareStatement("UPDATE consumer_cursors SET sequence = ?, updated_at = ? WHERE consumer = ?")) {
                ps.setLong(1, sequence);
                ps.setObject(2, JdbcTradeJournal.ts(clock.instant()));
                ps.setString(3, consumer);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO consumer_cursors(consumer, sequence, updated_at) VALUES (?, ?, ?)")) {
                    ps.setString(1, consumer);
                    ps.setLong(2, sequence);
                    ps.setObject(3, JdbcTradeJournal.ts(clock.instant()));
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }
}
