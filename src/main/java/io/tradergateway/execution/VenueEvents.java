package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.FigureBounds;
import io.tradergateway.domain.Fill;
import io.tradergateway.position.PositionUpdate;
import io.tradergateway.report.ExecReport;
import io.tradergateway.report.ReportFactory;
import org.slf4j.Logger;
import org.slf4j.MDC;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the venues tell the engine about our orders: an ExecutionReport (35=8) is matched to its order (by ClOrdID,
 * OrigClOrdID, a cancel request id, or from the journal for an order no longer in memory), de-duplicated per (venue,
 * ExecID) and against fills a reconciliation already booked, booked as a fill into the order, the position and the
 * plan's figures (with its exec-report; a fill for an ended plan is a reported late fill), reconciled when it answers
 * an OrderStatusRequest, and moved through the order state machine; a cancel reject (35=9) puts the order back to
 * working. An order that ends is handed back to the entry or exit leg that sent it. It also counts the reports it
 * ignores, for /metrics. Apart from those counters (read by other threads, hence concurrent) it holds no state of its
 * own; rows go through the coordinator {@link Execution} and its current transaction. Called only on the engine thread
 * (see {@link TradingEngine}), so it needs no locks.
 */
final class VenueEvents extends ExecutionCollaborator {
    private static final Logger log = OpsLog.LOG;

    private final Entries entries;
    private final Exits exits;
    private final TradeJournal journal;

    VenueEvents(Execution coordinator, EngineState state, ReportFactory reports, Clock clock, Entries entries,
                Exits exits, TradeJournal journal) {
        super(coordinator, state, reports, clock);
        this.entries = entries;
        this.exits = exits;
        this.journal = journal;
    }

    void onExecutionReport(VenueExecutionReport r) {
        ClOrdId orderId = r.clOrdId();
        Order order = state.orders.get(orderId);
        if (order == null && r.origClOrdId() != null) {
            orderId = r.origClOrdId();
            order = state.orders.get(orderId);
        }
        if (order == null) {
            ClOrdId target = state.requestIds.get(r.clOrdId());
            if (target != null) {
                orderId = target;
                order = state.orders.get(target);
            }
        }
        if (order == null) {
            // Orders of ended plans leave memory (and are not loaded at start-up), but a venue may still report on
            // one, e.g. a fill it failed to report in time: the journal has every order we ever sent. An id we cannot
            // have issued is not looked up (a query with U+0000 fails on PostgreSQL).
            Optional<Order> stored = findOrder(r.clOrdId());
            if (stored.isEmpty() && r.origClOrdId() != null) stored = findOrder(r.origClOrdId());
            if (stored.isEmpty()) stored = Execution.cancelledOrderOf(r.clOrdId()).flatMap(this::findOrder);
            if (stored.isEmpty() || !stored.get().venue().equals(r.venue())) {
                log.warn("execution report {} {} for unknown ClOrdID {} from {} ignored", r.execType(), r.execId(), r.clOrdId(), r.venue());
                countIgnored(IGNORED_UNKNOWN_ORDER);
                return;
            }
            order = stored.get();
            orderId = order.clOrdId();
            OpsLog.warn(order.planId(), orderId, "{} report (ExecID {}) from {} for an order no longer in memory ({}): "
                    + "reloaded from the journal", r.execType(), r.execId(), r.venue(), order.status());
            execution.remember(order);
        }
        MDC.put("plan_id", order.planId());
        MDC.put("cl_ord_id", orderId.value());
        ActivePlan ap = state.plans.get(order.planId());
        Optional<String> unstorable = ReportCheck.ids(r);
        if (unstorable.isPresent()) {
            quarantine(order, r, unstorable.get());
            return;
        }
        Order before = order;
        order = order.withVenueAnswer(r.orderId(), r.receivedAt());
        Optional<String> bad = r.execType() == ExecType.ORDER_STATUS ? ReportCheck.statusAnswer(order, r, execution.markPrice(order.symbol()))
                : r.isFill() ? Optional.empty() : ReportCheck.identity(order, r);
        if (bad.isPresent()) {
            quarantine(order, r, bad.get());
            return;
        }
        if (r.execType() == ExecType.ORDER_STATUS) {
            order = reconcile(ap, order, r);
        } else if (r.isFill()) {
            // Keyed by the order and the ExecID: a venue that restarts may number its executions from 1 again.
            if (execution.fillKnown(r.venue(), orderId, r.execId())) {
                OpsLog.info(order.planId(), orderId, "duplicate ExecID {} from {} (possDup={}) ignored",
                        r.execId(), r.venue(), r.possDup());
                countIgnored(IGNORED_DUPLICATE_EXEC_ID);
                return;
            }
            if (r.cumQty() != null && r.cumQty().compareTo(order.cumQty()) <= 0) {
                // The venue's CumQty with this fill is no more than we have booked: a reconciliation after a disconnect
                // already booked it (as a RECON- fill), and this is the original report arriving late (a FIX resend).
                OpsLog.warn(order.planId(), orderId, "fill ExecID {} of {} from {} (CumQty {}) is already covered by the {} booked: "
                        + "not booked again", r.execId(), r.lastQty().toPlainString(), r.venue(),
                        r.cumQty().toPlainString(), order.cumQty().toPlainString());
                countIgnored(IGNORED_ALREADY_COVERED);
                return;
            }
            bad = ReportCheck.fill(order, r, execution.markPrice(order.symbol()));
            if (bad.isPresent()) {
                quarantine(order, r, bad.get());
                return;
            }
            Fill fill = new Fill(r.venue(), r.execId(), orderId, order.symbol(), order.side(), r.lastQty(), r.lastPx(),
                    r.commission() == null ? BigDecimal.ZERO : FigureBounds.money(r.commission()), r.transactTime());
            order = applyFill(ap, order, fill);
        }
        OrderStatus next = r.ordStatus();
        // An OrderStatusRequest answered Rejected: the venue does not know the ClOrdID (FIX 4.4: OrdRejReason 5, unknown
        // order), so the order never reached it - lost with a dropped connection or a crash between commit and send.
        boolean unknownToVenue = r.execType() == ExecType.ORDER_STATUS && next == OrderStatus.REJECTED;
        // One it had acknowledged or filled, it has forgotten (a venue restart, a day roll): the order is over at that
        // venue with what we booked, so it ends cancelled and its plan goes on; nothing is asked again.
        boolean forgotten = unknownToVenue && (before.ackedAt() != null || order.cumQty().signum() > 0);
        boolean neverPlaced = unknownToVenue && !forgotten;
        String answer = " (status answer: " + (r.text() == null ? "unknown order" : r.text()) + ")";
        String text = neverPlaced ? "never placed: " + r.venue() + " does not know the order" + answer
                : forgotten ? r.venue() + " no longer knows the order; it ended with " + order.cumQty().toPlainString() + " of "
                + order.quantity().toPlainString() + " filled" + answer : r.text();
        if (forgotten) {
            next = OrderStatus.CANCELED;
            OpsLog.warn(order.planId(), orderId, "{}", text);
        }
        if (next != null && next != order.status()) {
            if (order.status().canMoveTo(next)) {
                order = order.withStatus(next, text);
            } else {
                OpsLog.warn(order.planId(), orderId, "illegal transition {} -> {} on ExecType {} (ExecID {}): kept {}",
                        order.status(), next, r.execType(), r.execId(), order.status());
            }
        }
        if (r.execType() == ExecType.REPLACED && r.cumQty() != null && r.leavesQty() != null) {
            order = order.withReplaced(r.cumQty().add(r.leavesQty()), order.limitPrice());
        }
        if (order.pendingRequest() != null && (r.execType() == ExecType.CANCELED || r.execType() == ExecType.REPLACED)) {
            state.requestIds.remove(order.pendingRequest());
            order = order.withPendingRequest(null);
        }
        state.orders.put(order);
        execution.write(new JournalWrite.PutOrder(order));
        logVenueEvent(order, before, r);
        if (order.status().isTerminal()) {
            state.inDoubt.remove(order.clOrdId());
            execution.clearFlags(ap, order);
        }
        if (ap == null) return;
        if (before.status() != OrderStatus.REJECTED && order.status() == OrderStatus.REJECTED) {
            entries.onOrderRejected(ap, order, text, !neverPlaced);
        } else if (!before.status().isTerminal() && order.status().isTerminal()) {
            execution.learn(order);
            if (order.leg() == Leg.ENTRY) entries.finishEntryIfDone(ap);
            else exits.finishExitIfDone(ap);
        }
    }

    /**
     * A report that failed its checks ({@link ReportCheck}): stored as received, not booked (no fill, no position, no
     * state change, nothing learned), one ERROR line, counted, and the order flagged for an operator.
     */
    private void quarantine(Order order, VenueExecutionReport r, String why) {
        String execId = ReportCheck.storable(r.execId().value(), ReportCheck.MAX_EXEC_ID);
        execution.write(new JournalWrite.PutQuarantined(r.venue(), order.clOrdId().value(), order.planId(), execId, why,
                r.toString(), r.receivedAt()));
        countIgnored(IGNORED_QUARANTINED);
        execution.flag(order, "quarantine " + execId, "QUARANTINED " + r.execType() + " report ExecID " + execId + " from "
                + r.venue() + ": " + why + "; not booked (GET /v1/quarantine)");
    }

    /** The stored order with this ClOrdID; none for an id the gateway cannot have issued. */
    private Optional<Order> findOrder(ClOrdId id) {
        return ReportCheck.couldBeOurs(id.value()) ? journal.findOrder(id) : Optional.empty();
    }

    private void logVenueEvent(Order order, Order before, VenueExecutionReport r) {
        switch (r.execType()) {
            // DEBUG: the fill, reject, cancel or expiry line says what came of the order.
            case NEW -> OpsLog.debug(order.planId(), order.clOrdId(), "acked by {} (OrderID {}, {} ms)",
                    order.venue(), order.venueOrderId(), order.latencyMs());
            case REJECTED -> OpsLog.warn(order.planId(), order.clOrdId(), "rejected by {}: {}", order.venue(), r.text());
            case CANCELED -> OpsLog.info(order.planId(), order.clOrdId(), "cancelled at {} with {} of {} filled{}",
                    order.venue(), order.cumQty().toPlainString(), order.quantity().toPlainString(), r.text() == null ? "" : ": " + r.text());
            case EXPIRED -> OpsLog.info(order.planId(), order.clOrdId(), "expired at {} with {} of {} filled",
                    order.venue(), order.cumQty().toPlainString(), order.quantity().toPlainString());
            case TRADE -> {
            }
            default -> {
                if (before.status() != order.status()) {
                    OpsLog.info(order.planId(), order.clOrdId(), "{} -> {} ({})", before.status(), order.status(), r.execType());
                }
            }
        }
    }

    /**
     * An OrderStatus answer after a restart or a silence: whatever the venue filled that we never heard of becomes
     * one reconciliation fill (average price derived from the venue's CumQty/AvgPx), so money is never lost.
     */
    private Order reconcile(ActivePlan ap, Order order, VenueExecutionReport r) {
        if (r.cumQty() == null || r.avgPx() == null || r.cumQty().compareTo(order.cumQty()) <= 0) return order;
        BigDecimal missing = r.cumQty().subtract(order.cumQty());
        BigDecimal price = ReportCheck.missingPrice(order, r).setScale(8, RoundingMode.HALF_EVEN).stripTrailingZeros();
        var execId = new ExecId("RECON-" + order.clOrdId() + "-" + r.cumQty().toPlainString());
        if (execution.fillKnown(r.venue(), order.clOrdId(), execId)) return order;
        OpsLog.warn(order.planId(), order.clOrdId(), "reconciliation: venue reports {} filled, we had {}: booking {} @ {}",
                r.cumQty().toPlainString(), order.cumQty().toPlainString(), missing.toPlainString(), price.toPlainString());
        return applyFill(ap, order, new Fill(r.venue(), execId, order.clOrdId(), order.symbol(), order.side(), missing, price,
                BigDecimal.ZERO, r.transactTime()));
    }

    void onCancelReject(VenueCancelReject reject) {
        ClOrdId target = reject.origClOrdId() != null ? reject.origClOrdId() : state.requestIds.get(reject.clOrdId());
        Order order = target == null ? null : state.orders.get(target);
        if (order == null) {
            log.warn("cancel reject for unknown order {} / {} from {}: {}", reject.clOrdId(), reject.origClOrdId(), reject.venue(), reject.text());
            return;
        }
        MDC.put("plan_id", order.planId());
        MDC.put("cl_ord_id", order.clOrdId().value());
        state.requestIds.remove(reject.clOrdId());
        // A 35=9 carries no quantities: an order it says is over (filled, cancelled, unknown) ends only by an
        // ExecutionReport, which has its CumQty. Until that comes the order stays working for us (a fill in flight is
        // booked normally, not as a late fill), and if it does not come an OrderStatusRequest settles it (onTick).
        OrderStatus claimed = reject.ordStatus();
        boolean claimsEnded = claimed != null && claimed.isTerminal() && !order.status().isTerminal();
        // An order never acknowledged keeps its state: it may yet be acknowledged, or turn out rejected or unknown.
        OrderStatus back = claimed != null && !claimed.isTerminal() ? claimed
                : order.cumQty().signum() > 0 ? OrderStatus.PARTIALLY_FILLED
                : order.ackedAt() == null ? order.status() : OrderStatus.NEW;
        Order updated = order.withPendingRequest(null);
        if (updated.status().canMoveTo(back)) updated = updated.withStatus(back, reject.text());
        state.orders.put(updated);
        execution.write(new JournalWrite.PutOrder(updated));
        OpsLog.warn(order.planId(), order.clOrdId(), "{} rejected by {}: {} (order is {})",
                reject.forReplace() ? "replace" : "cancel", reject.venue(), reject.text(), updated.status());
        if (claimsEnded) {
            state.inDoubt.putIfAbsent(order.clOrdId(), clock.instant());
            OpsLog.warn(order.planId(), order.clOrdId(), "{} says the order is {} with {} of {} booked here: waiting for its "
                    + "execution report (status request in {} s if none comes)", reject.venue(), claimed,
                    order.cumQty().toPlainString(), order.quantity().toPlainString(), Timers.UNANSWERED.toSeconds());
        }
        ActivePlan ap = state.plans.get(order.planId());
        // Only a transition into a terminal state ends the order here: a 35=9 for an order already done (a cancel that
        // crossed its fill) was learned from, and its plan told, when it ended.
        if (ap != null && !order.status().isTerminal() && updated.status().isTerminal()) {
            execution.learn(updated);
            if (updated.leg() == Leg.ENTRY) entries.finishEntryIfDone(ap);
            else exits.finishExitIfDone(ap);
        }
    }

    /** The venue will not answer OrderStatusRequests for this order (35=j or 35=3 on our 35=H). */
    void onStatusRequestRefused(String venue, ClOrdId clOrdId, String reason) {
        Order order = state.orders.get(clOrdId);
        if (order == null) {
            log.warn("{} refused a status request for {} (no longer in memory): {}", venue, clOrdId, reason);
            return;
        }
        state.statusRequestsRefused.add(venue);
        OpsLog.warn(order.planId(), clOrdId, "{} refused our OrderStatusRequest: {}; it is not asked again", venue, reason);
        if (order.status().isWorking()) {
            execution.flag(order, "status", venue + " refuses OrderStatusRequests (" + reason + "): the " + order.status()
                    + " order's outcome is unknown until the venue reports on it");
        }
    }

    private Order applyFill(ActivePlan ap, Order order, Fill fill) {
        Order updated = order.withFill(fill.quantity(), fill.price(), fill.fee());
        execution.write(new JournalWrite.PutFill(fill, order.planId()));
        PositionUpdate update = state.positions.apply(fill);
        execution.write(new JournalWrite.PutPosition(update.after(), clock.instant()));
        OpsLog.info(order.planId(), order.clOrdId(), "fill {} {} @ {} at {} (ExecID {}, fee {}); order {}/{}; position {} {} avg {}",
                fill.side().wireName(), fill.quantity().toPlainString(), fill.price().toPlainString(), fill.venue(), fill.execId(),
                fill.fee().toPlainString(), updated.cumQty().toPlainString(), updated.quantity().toPlainString(),
                update.after().symbol(), update.after().quantity().toPlainString(),
                Execution.plain(update.after().avgPrice().stripTrailingZeros()));
        // The fill and the position above are the money facts. What derives from them (the plan's figures, its
        // report, an entry completed or an exit closed) must never lose them: a failure there is reported, not thrown.
        try {
            if (ap == null) {
                reportLateFill(updated, fill, update);
                return updated;
            }
            PlanProgress p = ap.progress;
            if (order.leg() == Leg.ENTRY && p.latencyMs == null) p.latencyMs = updated.latencyMs();
            ExecReport.Status status = addToProgress(p, order.leg(), fill, update);
            execution.emit(reports.fill(execution.inputFor(ap, order.leg(), updated, status, null).withFill(fill, update)));
            if (status == ExecReport.Status.FILLED) {
                if (order.leg() == Leg.ENTRY) entries.completeEntry(ap);
                else exits.closePlan(ap);
            } else {
                execution.storePlan(ap);
            }
        } catch (RuntimeException e) {
            log.error("plan={} clOrdId={} fill {} booked in the {} position, but its plan bookkeeping failed", order.planId(),
                    order.clOrdId(), fill.execId(), fill.symbol(), e);
            execution.flag(updated, "derived " + fill.execId(), "fill " + fill.execId() + " of " + fill.quantity().toPlainString()
                    + " is booked in the position, but the plan's figures or report failed: " + e);
        }
        return updated;
    }

    /** Adds a fill to the plan's leg figures; {@code filled} once the leg's quantity is complete, else {@code partial}. */
    private static ExecReport.Status addToProgress(PlanProgress p, Leg leg, Fill fill, PositionUpdate update) {
        if (leg == Leg.ENTRY) {
            p.addEntryFill(fill.quantity(), fill.price(), fill.fee());
            if (p.firstFillAt == null) p.firstFillAt = fill.time();
            return p.filledQty.compareTo(p.targetQty) >= 0 ? ExecReport.Status.FILLED : ExecReport.Status.PARTIAL;
        }
        p.addExitFill(fill.quantity(), fill.price(), update.realizedPnlImpact());
        if (p.exitTargetQty == null) {
            // A late fill of an exit given up on (blocked, the plan watching again): it closes what it closes.
            return p.openQty().signum() <= 0 ? ExecReport.Status.FILLED : ExecReport.Status.PARTIAL;
        }
        return p.exitFilledQty.compareTo(p.exitTargetQty) >= 0 ? ExecReport.Status.FILLED : ExecReport.Status.PARTIAL;
    }

    /**
     * A fill for an order whose plan has ended: booked in the position like any fill (done by the caller), added to the
     * plan's figures and reported, saying that the plan no longer watches the position it changed. The plan stays ended.
     */
    private void reportLateFill(Order order, Fill fill, PositionUpdate update) {
        Optional<StoredPlan> stored = journal.findPlan(order.planId());
        if (stored.isEmpty()) {
            OpsLog.error(order.planId(), order.clOrdId(), "LATE FILL {} of {} @ {} for a plan that is not in the journal: booked in the "
                    + "position, no report", fill.execId(), fill.quantity().toPlainString(),
                    fill.price().toPlainString());
            return;
        }
        ActivePlan ended = execution.restorePlan(stored.get());
        PlanProgress p = ended.progress;
        ExecReport.Status status = addToProgress(p, order.leg(), fill, update);
        String why = "late fill: " + fill.venue() + " reported ExecID " + fill.execId() + " after the plan had ended "
                + p.state.wireName() + "; it is booked in the " + order.symbol() + " position, which this plan no longer watches";
        OpsLog.error(order.planId(), order.clOrdId(), "LATE FILL {} {} @ {} after the plan ended {}: position now {} {}; "
                        + "no exit watches it", fill.side().wireName(), fill.quantity().toPlainString(), fill.price().toPlainString(),
                p.state.wireName(), update.after().symbol(), update.after().quantity().toPlainString());
        execution.emit(reports.lateFill(execution.inputFor(ended, order.leg(), order, status, why).withFill(fill, update)));
        execution.storePlan(ended);
    }

    static final String IGNORED_UNKNOWN_ORDER = "unknown_order";
    static final String IGNORED_DUPLICATE_EXEC_ID = "duplicate_exec_id";
    static final String IGNORED_ALREADY_COVERED = "already_covered";
    static final String IGNORED_QUARANTINED = "quarantined";
    /** Venue ExecutionReports not acted on, by reason; read by other threads for /metrics. */
    private final Map<String, LongAdder> ignoredReports = new ConcurrentSkipListMap<>();
    private void countIgnored(String reason) {
        ignoredReports.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    /** How many venue ExecutionReports were ignored, by reason (thread-safe snapshot). */
    Map<String, Long> ignoredReports() {
        Map<String, Long> out = new TreeMap<>();
        ignoredReports.forEach((reason, n) -> out.put(reason, n.sum()));
        return out;
    }
}
