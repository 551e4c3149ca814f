package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.position.Position;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The engine's durable memory. Implemented on JDBC in the store package; only the engine thread writes. */
public interface TradeJournal {
    /** Writes all rows in one transaction: all or nothing. */
    void commit(List<JournalWrite> writes);

    Optional<StoredPlan> findPlan(String planId);

    boolean fillExists(String venue, ExecId execId);

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

    record Recovered(List<StoredPlan> openPlans, List<Order> openOrders, List<Order> ordersOfOpenPlans,
                     List<Position> positions, Map<String, String> venueStatsJson, long lastReportSequence,
                     long lastOrderSeqNo) {
    }
}
