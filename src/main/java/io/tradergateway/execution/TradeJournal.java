package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.position.Position;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The engine's durable memory. Implemented on JDBC in the store package; only the engine thread writes. */
public interface TradeJournal {
    /**
     * Writes all rows in one transaction, all or nothing, after every batch committed before them. They are durable when
     * this returns, or (a journal that forces in the background) before any effect {@link #release}d after it runs.
     */
    void commit(List<JournalWrite> writes);

    /**
     * Runs {@code effects}, in order and after those released before, once every batch committed so far is durable:
     * what leaves the process (FIX messages, API answers, exec-reports) never runs ahead of the rows that decided it.
     * By default at once ({@link #commit} is durable when it returns).
     */
    default void release(List<Runnable> effects) {
        effects.forEach(Runnable::run);
    }

    /** {@link #commit} then {@link #release} (when there are effects): a journal may hand both over at once. */
    default void commit(List<JournalWrite> writes, List<Runnable> effects) {
        commit(writes);
        if (!effects.isEmpty()) release(effects);
    }

    Optional<StoredPlan> findPlan(String planId);

    /** A fill of order {@code clOrdId} with this ExecID from this venue is stored (a re-sent report). */
    boolean fillExists(String venue, ClOrdId clOrdId, ExecId execId);

    /** An order by its ClOrdID, whether or not it is still working (for reports about orders no longer in memory). */
    Optional<Order> findOrder(ClOrdId clOrdId);

    /** The trading state last stored; empty when it never changed (then it is {@link TradingState#ACTIVE}). */
    default Optional<TradingState> tradingState() {
        return Optional.empty();
    }

    /** What the engine needs to resume after a restart. */
    Recovered recover();

    /** Random id of this database, part of every ClOrdID so ids never repeat even against a fresh database. */
    String instanceId();

    /**
     * What every ClOrdID of this run starts with (then {@code -<order number>}). The JDBC journal adds a start-up epoch
     * that is stored durably before use, so a ClOrdID is never issued twice, even by a restored older copy of the data.
     */
    default String clOrdIdPrefix() {
        return "TG-" + instanceId();
    }

    record Recovered(List<StoredPlan> openPlans, List<Order> openOrders, List<Order> ordersOfOpenPlans,
                     List<Position> positions, Map<String, String> venueStatsJson, long lastReportSequence,
                     long lastOrderSeqNo) {
    }
}
