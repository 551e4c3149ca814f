package io.tradergateway.store;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Fill;
import io.tradergateway.domain.OrderId;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.execution.Leg;
import io.tradergateway.execution.Order;
import io.tradergateway.execution.OrderStatus;
import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.PlanState;
import io.tradergateway.execution.StoredPlan;
import io.tradergateway.execution.TimeInForce;
import io.tradergateway.execution.TradeJournal;
import io.tradergateway.execution.TradingState;
import io.tradergateway.position.Position;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** {@link TradeJournal} on JDBC: every commit is one database transaction on the writer connection. */
public final class JdbcTradeJournal implements TradeJournal {
    private final Database db;
    /**
     * The writer connection's statements, each prepared once (preparing them on every call was 8 % of the projector
     * thread's samples). Locked while a commit runs.
     */
    private final WriterStatements statements = new WriterStatements();

    public JdbcTradeJournal(Database db) {
        this.db = db;
    }

    @Override
    public String instanceId() {
        return db.instanceId();
    }

    /** {@code TG-<database id>-<start-up epoch>}: see {@link Database#startEpoch()}. */
    @Override
    public String clOrdIdPrefix() {
        return "TG-" + db.instanceId() + "-" + db.startEpoch();
    }

    @Override
    public void commit(List<JournalWrite> writes) {
        if (writes.isEmpty()) return;
        commit(writes, -1, null);
    }

    /**
     * Writes all rows in one transaction, and with them (when {@code journalSequence} is not negative) the sequence of
     * the last write-ahead journal batch they contain (as of {@code at}), so a replay after a crash knows where the tables
     * stand.
     */
    void commit(Collection<JournalWrite> writes, long journalSequence, Instant at) {
        synchronized (statements) {
            commitOnWriter(writes, journalSequence, at);
        }
    }

    private void commitOnWriter(Collection<JournalWrite> writes, long journalSequence, Instant at) {
        Connection c = db.writer();
        try {
            WriterStatements writer = statements.on(c);
            for (JournalWrite w : writes) apply(writer, w);
            if (journalSequence >= 0) putGatewayState(writer, JOURNAL_APPLIED, Long.toString(journalSequence), at);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            db.reopenWriterIfBroken();
            throw new IllegalStateException("journal commit of " + writes.size() + " rows failed: " + e.getMessage(), e);
        }
    }

    private static void apply(WriterStatements writer, JournalWrite w) throws SQLException {
        if (w instanceof JournalWrite.PutPlan p) putPlan(writer, p.plan());
        else if (w instanceof JournalWrite.PutPlanProgress p) putPlanProgress(writer, p);
        else if (w instanceof JournalWrite.PutOrder o) putOrder(writer, o.order());
        else if (w instanceof JournalWrite.PutFill f) putFill(writer, f);
        else if (w instanceof JournalWrite.PutPosition p) putPosition(writer, p);
        else if (w instanceof JournalWrite.PutReport r) putReport(writer, r);
        else if (w instanceof JournalWrite.PutVenueStats v) putVenueStats(writer, v);
        else if (w instanceof JournalWrite.PutQuarantined q) putQuarantined(writer, q);
        else if (w instanceof JournalWrite.PutTradingState t) putGatewayState(writer, "trading_state", t.state().name(), t.at());
        else throw new IllegalArgumentException("unknown journal write " + w);
    }

    /** {@code gateway_state} row holding the sequence of the last write-ahead journal batch in the tables. */
    static final String JOURNAL_APPLIED = "journal_applied";

    /** The sequence of the last write-ahead journal batch written to the tables; 0 when none ever was. */
    long journalApplied() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state_value FROM gateway_state WHERE name = ?")) {
                ps.setString(1, JOURNAL_APPLIED);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Long.parseLong(rs.getString(1)) : 0L;
                }
            }
        });
    }

    private static void putPlanProgress(WriterStatements writer, JournalWrite.PutPlanProgress p) throws SQLException {
        if (updatePlan(writer, p.planId(), p.state(), p.progressJson().text(), p.updatedAt()) == 0) {
            throw new SQLException("progress of plan " + p.planId() + ", which has no row: its first row was never written");
        }
    }

    /** Rows updated (0 or 1): a plan's state and progress. */
    private static int updatePlan(WriterStatements writer, String planId, PlanState state, String progressJson, Instant updatedAt)
            throws SQLException {
        PreparedStatement ps = writer.prepareStatement(
                "UPDATE plans SET state = ?, progress_json = ?, updated_at = ? WHERE plan_id = ?");
        ps.setString(1, state.name());
        ps.setString(2, progressJson);
        ps.setObject(3, ts(updatedAt));
        ps.setString(4, planId);
        return ps.executeUpdate();
    }

    private static void putPlan(WriterStatements writer, StoredPlan p) throws SQLException {
        if (updatePlan(writer, p.planId(), p.state(), p.progressJson().text(), p.updatedAt()) == 0) {
            PreparedStatement ps = writer.prepareStatement("INSERT INTO plans(plan_id, content_hash, plan_json, symbol, state, "
                    + "progress_json, received_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, p.planId());
            ps.setString(2, p.contentHash());
            ps.setString(3, p.planJson());
            ps.setString(4, p.symbol());
            ps.setString(5, p.state().name());
            ps.setString(6, p.progressJson().text());
            ps.setObject(7, ts(p.receivedAt()));
            ps.setObject(8, ts(p.updatedAt()));
            ps.executeUpdate();
        }
    }

    private static void putOrder(WriterStatements writer, Order o) throws SQLException {
        PreparedStatement update = writer.prepareStatement("UPDATE orders SET status = ?, cum_qty = ?, avg_px = ?, fees = ?, "
                + "venue_order_id = ?, sent_at = ?, acked_at = ?, pending_request = ?, request_count = ?, text = ?, "
                + "quantity = ?, limit_price = ? WHERE cl_ord_id = ?");
        update.setString(1, o.status().name());
        update.setBigDecimal(2, o.cumQty());
        update.setBigDecimal(3, o.avgPx());
        update.setBigDecimal(4, o.fees());
        update.setString(5, o.venueOrderId() == null ? null : o.venueOrderId().value());
        update.setObject(6, ts(o.sentAt()));
        update.setObject(7, ts(o.ackedAt()));
        update.setString(8, o.pendingRequest() == null ? null : o.pendingRequest().value());
        update.setInt(9, o.requestCount());
        update.setString(10, truncate(o.text(), 1000));
        update.setBigDecimal(11, o.quantity());
        update.setBigDecimal(12, o.limitPrice());
        update.setString(13, o.clOrdId().value());
        if (update.executeUpdate() > 0) return;
        PreparedStatement insert = writer.prepareStatement("INSERT INTO orders(cl_ord_id, seq_no, plan_id, leg, slice_no, venue, "
                + "symbol, side, ord_type, tif, quantity, limit_price, expire_time, status, cum_qty, avg_px, fees, "
                + "venue_order_id, expected_price, venue_score, created_at, sent_at, acked_at, pending_request, "
                + "request_count, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        int i = 1;
        insert.setString(i++, o.clOrdId().value());
        insert.setLong(i++, o.seqNo());
        insert.setString(i++, o.planId());
        insert.setString(i++, o.leg().name());
        insert.setInt(i++, o.sliceNo());
        insert.setString(i++, o.venue());
        insert.setString(i++, o.symbol());
        insert.setString(i++, o.side().name());
        insert.setString(i++, o.type().name());
        insert.setString(i++, o.timeInForce().name());
        insert.setBigDecimal(i++, o.quantity());
        insert.setBigDecimal(i++, o.limitPrice());
        insert.setObject(i++, ts(o.expireTime()));
        insert.setString(i++, o.status().name());
        insert.setBigDecimal(i++, o.cumQty());
        insert.setBigDecimal(i++, o.avgPx());
        insert.setBigDecimal(i++, o.fees());
        insert.setString(i++, o.venueOrderId() == null ? null : o.venueOrderId().value());
        insert.setBigDecimal(i++, o.expectedPrice());
        insert.setDouble(i++, o.venueScore());
        insert.setObject(i++, ts(o.createdAt()));
        insert.setObject(i++, ts(o.sentAt()));
        insert.setObject(i++, ts(o.ackedAt()));
        insert.setString(i++, o.pendingRequest() == null ? null : o.pendingRequest().value());
        insert.setInt(i++, o.requestCount());
        insert.setString(i, truncate(o.text(), 1000));
        insert.executeUpdate();
    }

    private static void putFill(WriterStatements writer, JournalWrite.PutFill w) throws SQLException {
        var f = w.fill();
        PreparedStatement insert = writer.prepareStatement("INSERT INTO fills(venue, exec_id, cl_ord_id, plan_id, symbol, side, "
                + "quantity, price, fee, exec_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, f.venue());
        insert.setString(2, f.execId().value());
        insert.setString(3, f.clOrdId().value());
        insert.setString(4, w.planId());
        insert.setString(5, f.symbol());
        insert.setString(6, f.side().name());
        insert.setBigDecimal(7, f.quantity());
        insert.setBigDecimal(8, f.price());
        insert.setBigDecimal(9, f.fee());
        insert.setObject(10, ts(f.time()));
        insert.executeUpdate();
    }

    private static void putQuarantined(WriterStatements writer, JournalWrite.PutQuarantined q) throws SQLException {
        // A venue that re-sends the same bad report finds its row: kept once (portable: no vendor upsert).
        PreparedStatement delete = writer.prepareStatement("DELETE FROM quarantined_reports WHERE venue = ? AND cl_ord_id = ? "
                + "AND exec_id = ?");
        delete.setString(1, q.venue());
        delete.setString(2, q.clOrdId());
        delete.setString(3, q.execId());
        delete.executeUpdate();
        PreparedStatement insert = writer.prepareStatement("INSERT INTO quarantined_reports(venue, cl_ord_id, exec_id, plan_id, "
                + "reason, report, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, q.venue());
        insert.setString(2, q.clOrdId());
        insert.setString(3, q.execId());
        insert.setString(4, q.planId());
        insert.setString(5, truncate(q.reason(), 1000));
        insert.setString(6, truncate(q.report(), 8000));
        insert.setObject(7, ts(q.receivedAt()));
        insert.executeUpdate();
    }

    /** Venue reports quarantined (newest first), for operators: GET /v1/quarantine. */
    public List<Map<String, Object>> quarantined(int limit) {
        return db.read(c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT venue, cl_ord_id, exec_id, plan_id, reason, report, received_at "
                    + "FROM quarantined_reports ORDER BY received_at DESC")) {
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("venue", rs.getString(1));
                        row.put("cl_ord_id", rs.getString(2));
                        row.put("exec_id", rs.getString(3));
                        row.put("plan_id", rs.getString(4));
                        row.put("reason", rs.getString(5));
                        row.put("report", rs.getString(6));
                        row.put("received_at", rs.getObject(7, OffsetDateTime.class).toInstant().toString());
                        out.add(row);
                    }
                }
            }
            return out;
        });
    }

    private static void putPosition(WriterStatements writer, JournalWrite.PutPosition w) throws SQLException {
        Position p = w.position();
        PreparedStatement update = writer.prepareStatement("UPDATE positions SET quantity = ?, avg_price = ?, realized_pnl = ?, "
                + "fees_paid = ?, opened_at = ?, updated_at = ? WHERE symbol = ?");
        update.setBigDecimal(1, p.quantity());
        update.setBigDecimal(2, p.avgPrice());
        update.setBigDecimal(3, p.realizedPnl());
        update.setBigDecimal(4, p.feesPaid());
        update.setObject(5, ts(p.openedAt()));
        update.setObject(6, ts(w.at()));
        update.setString(7, p.symbol());
        if (update.executeUpdate() > 0) return;
        PreparedStatement insert = writer.prepareStatement("INSERT INTO positions(symbol, quantity, avg_price, realized_pnl, "
                + "fees_paid, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, p.symbol());
        insert.setBigDecimal(2, p.quantity());
        insert.setBigDecimal(3, p.avgPrice());
        insert.setBigDecimal(4, p.realizedPnl());
        insert.setBigDecimal(5, p.feesPaid());
        insert.setObject(6, ts(p.openedAt()));
        insert.setObject(7, ts(w.at()));
        insert.executeUpdate();
    }

    private static void putReport(WriterStatements writer, JournalWrite.PutReport r) throws SQLException {
        PreparedStatement ps = writer.prepareStatement("INSERT INTO exec_reports(sequence, report_id, plan_id, cl_ord_id, "
                + "status, created_at, report_json) VALUES (?, ?, ?, ?, ?, ?, ?)");
        ps.setLong(1, r.sequence());
        ps.setString(2, r.reportId());
        ps.setString(3, r.planId());
        ps.setString(4, r.clOrdId());
        ps.setString(5, r.status());
        ps.setObject(6, ts(r.createdAt()));
        ps.setString(7, r.json().text());
        ps.executeUpdate();
    }

    private static void putGatewayState(WriterStatements writer, String name, String value, Instant at) throws SQLException {
        PreparedStatement update = writer.prepareStatement(
                "UPDATE gateway_state SET state_value = ?, updated_at = ? WHERE name = ?");
        update.setString(1, value);
        update.setObject(2, ts(at));
        update.setString(3, name);
        if (update.executeUpdate() > 0) return;
        PreparedStatement insert = writer.prepareStatement(
                "INSERT INTO gateway_state(name, state_value, updated_at) VALUES (?, ?, ?)");
        insert.setString(1, name);
        insert.setString(2, value);
        insert.setObject(3, ts(at));
        insert.executeUpdate();
    }

    @Override
    public Optional<TradingState> tradingState() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state_value FROM gateway_state WHERE name = 'trading_state'");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(TradingState.valueOf(rs.getString(1))) : Optional.empty();
            }
        });
    }

    private static void putVenueStats(WriterStatements writer, JournalWrite.PutVenueStats v) throws SQLException {
        PreparedStatement update = writer.prepareStatement(
                "UPDATE venue_stats SET stats_json = ?, updated_at = ? WHERE venue = ?");
        update.setString(1, v.statsJson().text());
        update.setObject(2, ts(v.at()));
        update.setString(3, v.venue());
        if (update.executeUpdate() > 0) return;
        PreparedStatement insert = writer.prepareStatement(
                "INSERT INTO venue_stats(venue, stats_json, updated_at) VALUES (?, ?, ?)");
        insert.setString(1, v.venue());
        insert.setString(2, v.statsJson().text());
        insert.setObject(3, ts(v.at()));
        insert.executeUpdate();
    }

    @Override
    public Optional<StoredPlan> findPlan(String planId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM plans WHERE plan_id = ?")) {
                ps.setString(1, planId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(plan(rs)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Calls {@code each} with every stored {@code plan_id} (one pass over the plans, for {@link KeyFilter}), reading the
     * tables as they are: the plans journaled but not in them yet are added to the filter by the journal's commit.
     */
    void forEachPlanId(Consumer<String> each) {
        db.readAsItIs(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT plan_id FROM plans");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) each.accept(rs.getString(1));
            }
            return null;
        });
    }

    /** Calls {@code each} with the key of every stored fill, as {@link #forEachPlanId} does with plan ids. */
    void forEachFillKey(Consumer<Fill.Key> each) {
        db.readAsItIs(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT venue, cl_ord_id, exec_id FROM fills");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    each.accept(new Fill.Key(rs.getString(1), new ClOrdId(rs.getString(2)), new ExecId(rs.getString(3))));
                }
            }
            return null;
        });
    }

    /**
     * Plans in {@code plan_id} order after {@code afterPlanId} (null = from the start), optionally of one state only:
     * keyset paging for {@code GET /v1/plans}. The full plan text and progress are left out (the single-plan view has them).
     */
    public List<StoredPlan> listPlans(PlanState state, String afterPlanId, int limit) {
        return db.read(c -> {
            String sql = "SELECT plan_id, content_hash, '' AS plan_json, symbol, state, '{}' AS progress_json, received_at, updated_at"
                    + " FROM plans WHERE plan_id > ?" + (state == null ? "" : " AND state = ?") + " ORDER BY plan_id LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setString(i++, afterPlanId == null ? "" : afterPlanId);
                if (state != null) ps.setString(i++, state.name());
                ps.setInt(i, limit);
                List<StoredPlan> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(plan(rs));
                }
                return out;
            }
        });
    }

    @Override
    public boolean fillExists(String venue, ClOrdId clOrdId, ExecId execId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM fills WHERE venue = ? AND cl_ord_id = ? AND exec_id = ?")) {
                ps.setString(1, venue);
                ps.setString(2, clOrdId.value());
                ps.setString(3, execId.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public Recovered recover() {
        return db.read(c -> {
            List<StoredPlan> plans = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM plans WHERE state IN ('PENDING_ENTRY', 'WORKING', 'OPEN', 'EXITING') ORDER BY received_at");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) plans.add(plan(rs));
            }
            List<Order> open = orders(c, "SELECT * FROM orders WHERE status NOT IN ('FILLED', 'CANCELED', 'REJECTED', 'EXPIRED') ORDER BY seq_no");
            List<Order> ofOpenPlans = orders(c, "SELECT o.* FROM orders o JOIN plans p ON p.plan_id = o.plan_id "
                    + "WHERE p.state IN ('PENDING_ENTRY', 'WORKING', 'OPEN', 'EXITING') ORDER BY o.seq_no");
            List<Position> positions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM positions ORDER BY symbol");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    positions.add(new Position(rs.getString("symbol"), rs.getBigDecimal("quantity").stripTrailingZeros(),
                            rs.getBigDecimal("avg_price").stripTrailingZeros(), rs.getBigDecimal("realized_pnl").stripTrailingZeros(),
                            rs.getBigDecimal("fees_paid").stripTrailingZeros(), instant(rs, "opened_at")));
                }
            }
            Map<String, String> stats = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT venue, stats_json FROM venue_stats");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) stats.put(rs.getString(1), rs.getString(2));
            }
            return new Recovered(plans, open, ofOpenPlans, positions, stats,
                    scalarLong(c, "SELECT COALESCE(MAX(sequence), 0) FROM exec_reports"),
                    scalarLong(c, "SELECT COALESCE(MAX(seq_no), 0) FROM orders"));
        });
    }

    @Override
    public Optional<Order> findOrder(ClOrdId clOrdId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM orders WHERE cl_ord_id = ?")) {
                ps.setString(1, clOrdId.value());
                return orders(ps).stream().findFirst();
            }
        });
    }

    /** Orders of one plan, oldest first (API view). */
    public List<Order> ordersOfPlan(String planId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM orders WHERE plan_id = ? ORDER BY seq_no")) {
                ps.setString(1, planId);
                return orders(ps);
            }
        });
    }

    /**
     * A plan's fills, found through its orders: fills are indexed by ClOrdID, not by plan (every fill is booked against
     * one of the plan's orders), and {@code WHERE plan_id = ?} alone read the whole table.
     */
    static final String FILLS_OF_PLAN = "SELECT venue, exec_id, cl_ord_id, side, quantity, price, fee, exec_time FROM fills "
            + "WHERE cl_ord_id IN (SELECT cl_ord_id FROM orders WHERE plan_id = ?) AND plan_id = ? ORDER BY exec_time, exec_id";

    /** Fills of one plan as rows (venue, exec_id, cl_ord_id, quantity, price, fee, exec_time), oldest first. */
    public List<Map<String, Object>> fillsOfPlan(String planId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(FILLS_OF_PLAN)) {
                ps.setString(1, planId);
                ps.setString(2, planId);
                List<Map<String, Object>> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("venue", rs.getString("venue"));
                        row.put("exec_id", rs.getString("exec_id"));
                        row.put("cl_ord_id", rs.getString("cl_ord_id"));
                        row.put("side", rs.getString("side").toLowerCase(Locale.ROOT));
                        row.put("quantity", strip(rs.getBigDecimal("quantity")));
                        row.put("price", strip(rs.getBigDecimal("price")));
                        row.put("fee", strip(rs.getBigDecimal("fee")));
                        row.put("exec_time", instant(rs, "exec_time"));
                        out.add(row);
                    }
                }
                return out;
            }
        });
    }

    private static List<Order> orders(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return orders(ps);
        }
    }

    private static List<Order> orders(PreparedStatement ps) throws SQLException {
        List<Order> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(order(rs));
        }
        return out;
    }

    private static Order order(ResultSet rs) throws SQLException {
        String venueOrderId = rs.getString("venue_order_id");
        String pending = rs.getString("pending_request");
        Order.Origin origin = new Order.Origin(new ClOrdId(rs.getString("cl_ord_id")), rs.getLong("seq_no"),
                rs.getString("plan_id"), Leg.valueOf(rs.getString("leg")), rs.getInt("slice_no"), rs.getString("venue"),
                strip(rs.getBigDecimal("expected_price")), rs.getDouble("venue_score"), instant(rs, "created_at"));
        Order.Terms terms = new Order.Terms(rs.getString("symbol"), Side.valueOf(rs.getString("side")),
                OrderType.valueOf(rs.getString("ord_type")), TimeInForce.valueOf(rs.getString("tif")),
                strip(rs.getBigDecimal("quantity")), strip(rs.getBigDecimal("limit_price")), instant(rs, "expire_time"));
        Order.Progress progress = new Order.Progress(OrderStatus.valueOf(rs.getString("status")),
                strip(rs.getBigDecimal("cum_qty")), strip(rs.getBigDecimal("avg_px")), strip(rs.getBigDecimal("fees")),
                venueOrderId == null ? null : new OrderId(venueOrderId), instant(rs, "sent_at"), instant(rs, "acked_at"),
                pending == null ? null : new ClOrdId(pending), rs.getInt("request_count"), rs.getString("text"));
        return new Order(origin, terms, progress);
    }

    private static StoredPlan plan(ResultSet rs) throws SQLException {
        return new StoredPlan(rs.getString("plan_id"), rs.getString("content_hash"), rs.getString("plan_json"),
                rs.getString("symbol"), PlanState.valueOf(rs.getString("state")), rs.getString("progress_json"),
                instant(rs, "received_at"), instant(rs, "updated_at"));
    }

    private static long scalarLong(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static BigDecimal strip(BigDecimal d) {
        return d == null ? null : (d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros());
    }

    /**
     * Free text (a venue's Text, our reasons) cut to the column, with U+0000 replaced by U+FFFD: a venue may send
     * one, and PostgreSQL text cannot hold it (the whole commit would fail).
     */
    private static String truncate(String s, int max) {
        if (s == null) return null;
        String text = s.replace('\u0000', '\uFFFD');
        return text.length() <= max ? text : text.substring(0, max);
    }

}
