package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The orders the engine holds in memory, by ClOrdID and by plan. The per-plan index exists because the engine asks
 * "the orders of this plan" several times per event, and memory holds every order of the last minute (tens of
 * thousands at a few hundred plans per second): a scan of all of them per question would grow with the rate.
 * Engine thread only.
 */
final class OrdersInMemory {
    private static final Comparator<Order> BY_SEQ_NO = Comparator.comparingLong(Order::seqNo);

    private final Map<ClOrdId, Order> byId = new HashMap<>();
    /**
     * The working orders only (the risk gate's exposure and open-order count on every new order): memory also holds
     * every order that ended in the last minute, far more under load, which a scan per new order would walk.
     */
    private final Map<ClOrdId, Order> working = new LinkedHashMap<>();
    /** Per plan, its orders' ids in sending order (seq_no). */
    private final Map<String, List<ClOrdId>> byPlan = new HashMap<>();
    /**
     * Per symbol, what its working orders still have to fill: the risk gate asks on every new order, so these totals
     * follow each order's versions rather than being summed over every working order per question (hundreds of them
     * with batches in flight).
     */
    private final Map<String, Leaves> leavesBySymbol = new HashMap<>();

    /** A symbol's working orders' leaves: signed (buys minus sells) and gross (buys plus sells). */
    record Leaves(BigDecimal net, BigDecimal gross) {
        static final Leaves NONE = new Leaves(BigDecimal.ZERO, BigDecimal.ZERO);

        Leaves plus(Order o, int sign) {
            BigDecimal leaves = sign > 0 ? o.leavesQty() : o.leavesQty().negate();
            return new Leaves(net.add(o.side() == Side.BUY ? leaves : leaves.negate()), gross.add(leaves));
        }
    }

    Order get(ClOrdId id) {
        return byId.get(id);
    }

    /** Adds a new order or replaces the current version of one (same ClOrdID). */
    void put(Order order) {
        Order before = byId.put(order.clOrdId(), order);
        Order wasWorking = order.status().isWorking() ? working.put(order.clOrdId(), order) : working.remove(order.clOrdId());
        if (wasWorking != null) count(wasWorking, -1);
        if (order.status().isWorking()) count(order, 1);
        if (before != null) return;
        List<ClOrdId> ofPlan = byPlan.computeIfAbsent(order.planId(), p -> new ArrayList<>(2));
        ofPlan.add(order.clOrdId());
        int n = ofPlan.size();
        if (n > 1 && byId.get(ofPlan.get(n - 2)).seqNo() > order.seqNo()) {
            // Only at recovery can orders arrive out of sending order.
            ofPlan.sort(Comparator.comparing(byId::get, BY_SEQ_NO));
        }
    }

    /** The plan's orders in sending order. */
    List<Order> ofPlan(String planId) {
        List<ClOrdId> ids = byPlan.get(planId);
        if (ids == null) return List.of();
        List<Order> out = new ArrayList<>(ids.size());
        for (ClOrdId id : ids) out.add(byId.get(id));
        return out;
    }

    /** The ClOrdID of the plan's latest order, or null if it has none in memory. */
    ClOrdId latestOf(String planId) {
        List<ClOrdId> ids = byPlan.get(planId);
        return ids == null || ids.isEmpty() ? null : ids.get(ids.size() - 1);
    }

    Collection<Order> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    /** The orders still working at their venues. */
    Collection<Order> working() {
        return Collections.unmodifiableCollection(working.values());
    }

    /** The leaves of the symbol's working orders. */
    Leaves leaves(String symbol) {
        return leavesBySymbol.getOrDefault(symbol, Leaves.NONE);
    }

    /** The leaves of working orders, by symbol (symbols without working orders left out). */
    Map<String, Leaves> leavesBySymbol() {
        return Collections.unmodifiableMap(leavesBySymbol);
    }

    private void count(Order o, int sign) {
        Leaves after = leaves(o.symbol()).plus(o, sign);
        if (after.gross().signum() == 0 && after.net().signum() == 0) leavesBySymbol.remove(o.symbol());
        else leavesBySymbol.put(o.symbol(), after);
    }

    Set<ClOrdId> ids() {
        return Collections.unmodifiableSet(byId.keySet());
    }

    void removeIf(Predicate<Order> condition) {
        byId.values().removeIf(condition);
        working.values().removeIf(o -> {
            if (!condition.test(o)) return false;
            count(o, -1);
            return true;
        });
        byPlan.values().forEach(ids -> ids.removeIf(id -> !byId.containsKey(id)));
        byPlan.values().removeIf(List::isEmpty);
    }

    void clear() {
        byId.clear();
        working.clear();
        byPlan.clear();
        leavesBySymbol.clear();
    }

    int size() {
        return byId.size();
    }
}
