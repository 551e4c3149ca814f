package io.tradergateway.execution;

import io.tradergateway.position.ExitSignal;
import io.tradergateway.report.ExecReport;
import io.tradergateway.report.ReportFactory;
import org.slf4j.MDC;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;

/**
 * What the engine does on its timer tick, for what no venue or market event will trigger: ends pending entries whose
 * {@code valid_until} passed, sends due TWAP slices and ends a TWAP at the end of its schedule, cancels a GTD limit
 * still working after its ExpireTime and an IOC order a venue leaves working, fires time-based (and re-armed) exits in
 * a quiet market, retries an incomplete exit, asks a venue for the status of an order it has not answered (or that a
 * cancel reject said ended without an execution report), and now and then forgets finished orders. It holds no state
 * of its own (the times it uses are in {@link EngineState}); rows and FIX messages go through the coordinator
 * {@link Execution} and its current transaction. Called only on the engine thread (see {@link TradingEngine}), so it
 * needs no locks.
 */
final class Timers extends ExecutionCollaborator {
    /** Orders unanswered for this long get an OrderStatusRequest. */
    static final Duration UNANSWERED = Duration.ofSeconds(10);
    /** A GTD order still working this long after its ExpireTime is cancelled by us. */
    private static final Duration EXPIRY_GRACE = Duration.ofSeconds(2);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    /** An IOC order still working this long after its ack is cancelled by us. */
    private static final Duration IOC_GRACE = Duration.ofSeconds(5);

    private final Entries entries;
    private final Exits exits;
    private final VenueGateway venues;

    Timers(Execution coordinator, EngineState state, ReportFactory reports, Clock clock, Entries entries, Exits exits,
           VenueGateway venues) {
        super(coordinator, state, reports, clock);
        this.entries = entries;
        this.exits = exits;
        this.venues = venues;
    }

    void onTick() {
        Instant now = clock.instant();
        for (ActivePlan ap : new ArrayList<>(state.plans.values())) {
            MDC.put("plan_id", ap.id());
            PlanProgress p = ap.progress;
            switch (p.state) {
                case PENDING_ENTRY -> {
                    if (!now.isBefore(ap.plan.validUntil())) {
                        OpsLog.info(ap.id(), execution.currentOrder(ap.id()), "valid_until {} passed while waiting for entry conditions",
                                ap.plan.validUntil());
                        String why = "valid_until " + ap.plan.validUntil() + " passed before the entry conditions held";
                        execution.endPlan(ap, PlanState.CANCELLED, why);
                        execution.emit(reports.terminal(execution.inputFor(ap, Leg.ENTRY, null, ExecReport.Status.CANCELLED, why)));
                    }
                }
                case WORKING -> {
                    if (ap.twap != null && !p.stopEntry) {
                        entries.sendDueSlices(ap, now);
                        if (p.slicesSent >= ap.twap.sliceCount() && !now.isBefore(ap.twap.endsAt())) {
                            p.stopEntry = true;
                            for (Order o : execution.ordersOf(ap, Leg.ENTRY)) {
                                // A child not yet acknowledged (a catch-up slice sent on this very tick after a restart)
                                // is an IOC the venue answers at once, and is asked about if it does not.
                                if (o.status().isWorking() && o.status() != OrderStatus.PENDING_NEW && o.pendingRequest() == null) {
                                    execution.sendCancel(o, "TWAP schedule ended");
                                }
                            }
                            execution.storePlan(ap);
                            entries.finishEntryIfDone(ap);
                        }
                    }
                    for (Order o : execution.ordersOf(ap, Leg.ENTRY)) {
                        if (o.status().isWorking() && o.pendingRequest() == null && o.expireTime() != null
                                && now.isAfter(o.expireTime().plus(EXPIRY_GRACE))) {
                            p.reason = "limit order not filled before valid_until " + ap.plan.validUntil();
                            execution.sendCancel(o, "past its ExpireTime");
                        }
                    }
                }
                case OPEN -> {
                    if (ap.exitMonitor != null) {
                        exits.retryBlockedExit(ap, false);
                        // Prices are re-checked on the tick too: a stop re-armed after a failed exit must fire again
                        // in a quiet market, without waiting for the next trade print.
                        Optional<BigDecimal> last = state.price(ap.plan.symbol());
                        Optional<ExitSignal> signal = ap.exitMonitor.onTime(now);
                        if (signal.isEmpty() && last.isPresent()) signal = ap.exitMonitor.onPrice(last.get(), now);
                        signal.ifPresent(sig -> exits.startExit(ap, sig, last.orElse(p.avgPrice)));
                    }
                }
                case EXITING -> {
                    if (p.exitTargetQty != null && execution.ordersOf(ap, Leg.EXIT).stream().noneMatch(o -> o.status().isWorking())
                            && p.exitFilledQty.compareTo(p.exitTargetQty) < 0) {
                        exits.finishExitIfDone(ap);
                    }
                }
                default -> {
                }
            }
        }
        for (Order o : new ArrayList<>(state.orders.working())) {
            // IOC means the venue answers at once; one it leaves working would hold its plan forever. At a venue that
            // takes no IOC the order went out as DAY and what rests is cancelled right after the ack.
            boolean emulated = VenueOrderTerms.emulatesImmediate(state.capabilities(o.venue()), o.timeInForce());
            if ((o.timeInForce() == TimeInForce.IOC || emulated) && o.status().isWorking() && o.status() != OrderStatus.PENDING_NEW
                    && o.pendingRequest() == null && o.ackedAt() != null
                    && (emulated || Duration.between(o.ackedAt(), now).compareTo(IOC_GRACE) > 0)) {
                execution.sendCancel(o, emulated ? "IOC at a venue without IOC: cancelling what rests"
                        : "IOC order still working " + Duration.between(o.ackedAt(), now).toSeconds() + " s after its ack");
                continue;
            }
            boolean unanswered = o.status() == OrderStatus.PENDING_NEW && o.sentAt() != null && o.ackedAt() == null
                    && Duration.between(o.sentAt(), now).compareTo(UNANSWERED) > 0;
            Instant doubted = state.inDoubt.get(o.clOrdId());
            boolean endUnreported = doubted != null && o.status().isWorking() && Duration.between(doubted, now).compareTo(UNANSWERED) > 0;
            if ((unanswered || endUnreported) && state.sessionUp(o.venue())) {
                Instant asked = state.statusAsked.get(o.clOrdId());
                int times = state.statusRequests.getOrDefault(o.clOrdId(), 0);
                // 10 s, then 20, 40, ... between requests
                if (asked != null && Duration.between(asked, now).compareTo(UNANSWERED.multipliedBy(1L << Math.max(0, times - 1))) < 0) {
                    continue;
                }
                String why = (unanswered ? "unanswered" : "said ended by a cancel reject but no execution report") + " for "
                        + Duration.between(unanswered ? o.sentAt() : doubted, now).toSeconds() + " s";
                if (!execution.askStatus(o, why + ": asking " + o.venue() + " for its status")) {
                    execution.flag(o, "status", why + " and " + o.venue() + (times >= Execution.MAX_STATUS_REQUESTS
                            ? " did not answer " + times + " OrderStatusRequests" : " takes no OrderStatusRequest")
                            + ": its outcome is unknown until the venue reports on it");
                }
            }
        }
        if (Duration.between(state.lastPrune, now).compareTo(PRUNE_EVERY) >= 0) {
            state.lastPrune = now;
            pruneFinishedOrders(now);
        }
        MDC.remove("plan_id");
    }

    /**
     * Forgets orders that are done and belong to a plan that is done, some time after the fact: the journal
     * keeps them; memory keeps only what can still change. A very late report for a forgotten order is logged.
     */
    private void pruneFinishedOrders(Instant now) {
        state.orders.removeIf(o -> o.status().isTerminal() && !state.plans.containsKey(o.planId())
                && o.createdAt().plus(PRUNE_EVERY).isBefore(now));
        state.statusAsked.keySet().retainAll(state.orders.ids());
        state.inDoubt.keySet().retainAll(state.orders.ids());
        state.requestIds.values().retainAll(state.orders.ids());
    }
}
