package io.tradergateway.store;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Fill;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.execution.Order;
import io.tradergateway.execution.StoredPlan;
import io.tradergateway.execution.TradingState;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rows journaled but not yet in the tables, by key, each with the batch that wrote it last: what the engine thread reads
 * before the tables. The engine adds (after its append), the projector forgets a row once the tables hold its batch,
 * unless a later batch wrote it again.
 */
final class PendingRows {
    private record Row<T>(long sequence, T value) {
    }

    /** A plan's pending row: the whole plan ({@link StoredPlan}), or only its progress (the rest is in the tables). */
    private final Map<String, Row<Object>> plans = new ConcurrentHashMap<>();
    private final Map<ClOrdId, Row<Order>> orders = new ConcurrentHashMap<>();
    private final Map<Fill.Key, Long> fills = new ConcurrentHashMap<>();
    private volatile Row<TradingState> tradingState;

    void add(long sequence, List<JournalWrite> writes) {
        for (JournalWrite w : writes) {
            if (w instanceof JournalWrite.PutPlan p) plans.put(p.plan().planId(), new Row<>(sequence, p.plan()));
            else if (w instanceof JournalWrite.PutPlanProgress p) plans.compute(p.planId(), (k, r) ->
                    new Row<>(sequence, r != null && r.value() instanceof StoredPlan whole ? whole.withProgress(p) : p));
            else if (w instanceof JournalWrite.PutOrder o) orders.put(o.order().clOrdId(), new Row<>(sequence, o.order()));
            else if (w instanceof JournalWrite.PutFill f) fills.put(f.fill().key(), sequence);
            else if (w instanceof JournalWrite.PutTradingState t) tradingState = new Row<>(sequence, t.state());
        }
    }

    void forget(long sequence, List<JournalWrite> writes) {
        for (JournalWrite w : writes) {
            if (w instanceof JournalWrite.PutPlan p) {
                plans.computeIfPresent(p.plan().planId(), (k, r) -> r.sequence() <= sequence ? null : r);
            } else if (w instanceof JournalWrite.PutPlanProgress p) {
                plans.computeIfPresent(p.planId(), (k, r) -> r.sequence() <= sequence ? null : r);
            } else if (w instanceof JournalWrite.PutOrder o) {
                orders.computeIfPresent(o.order().clOrdId(), (k, r) -> r.sequence() <= sequence ? null : r);
            } else if (w instanceof JournalWrite.PutFill f) {
                fills.computeIfPresent(f.fill().key(), (k, s) -> s <= sequence ? null : s);
            }
        }
        Row<TradingState> t = tradingState;
        if (t != null && t.sequence() <= sequence) tradingState = null;
    }

    /** The whole plan when its first row is pending (with any later progress applied), else null. */
    StoredPlan plan(String planId) {
        Row<Object> r = plans.get(planId);
        return r != null && r.value() instanceof StoredPlan whole ? whole : null;
    }

    /** The plan's latest progress when only progress is pending (its first row is in the tables), else null. */
    JournalWrite.PutPlanProgress planProgress(String planId) {
        Row<Object> r = plans.get(planId);
        return r != null && r.value() instanceof JournalWrite.PutPlanProgress p ? p : null;
    }

    Order order(ClOrdId clOrdId) {
        Row<Order> r = orders.get(clOrdId);
        return r == null ? null : r.value();
    }

    boolean hasFill(String venue, ClOrdId clOrdId, ExecId execId) {
        return fills.containsKey(new Fill.Key(venue, clOrdId, execId));
    }

    TradingState tradingState() {
        Row<TradingState> t = tradingState;
        return t == null ? null : t.value();
    }

    /**
     * The rows of several batches as one table write: for a row written by several batches (an order sent, acknowledged,
     * filled) only its last state, in the place of its first; inserts (fills, reports) all, in order. A plan's progress
     * after its first row in the same write is folded into that row.
     */
    static Collection<JournalWrite> latestRows(List<List<JournalWrite>> batches) {
        Map<Object, JournalWrite> rows = new LinkedHashMap<>();
        for (List<JournalWrite> batch : batches) {
            for (JournalWrite w : batch) {
                Object key = key(w);
                if (w instanceof JournalWrite.PutPlanProgress p && rows.get(key) instanceof JournalWrite.PutPlan whole) {
                    rows.put(key, new JournalWrite.PutPlan(whole.plan().withProgress(p)));
                } else {
                    rows.put(key, w);
                }
            }
        }
        return rows.values();
    }

    private static Object key(JournalWrite w) {
        if (w instanceof JournalWrite.PutPlan p) return "plan\u0001" + p.plan().planId();
        if (w instanceof JournalWrite.PutPlanProgress p) return "plan\u0001" + p.planId();
        if (w instanceof JournalWrite.PutOrder o) return o.order().clOrdId();
        if (w instanceof JournalWrite.PutPosition p) return "position\u0001" + p.position().symbol();
        if (w instanceof JournalWrite.PutVenueStats v) return "stats\u0001" + v.venue();
        if (w instanceof JournalWrite.PutTradingState) return "trading_state";
        return new Object();
    }
}
