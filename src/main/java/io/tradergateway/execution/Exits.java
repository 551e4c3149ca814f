package io.tradergateway.execution;

import io.tradergateway.domain.Side;
import io.tradergateway.position.ExitMonitor;
import io.tradergateway.position.ExitSignal;
import io.tradergateway.report.ExecReport;
import io.tradergateway.report.ReportFactory;
import io.tradergateway.routing.VenueRanking;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The exit leg of a plan: when the {@link ExitMonitor} of an open position fires (stop loss, take profit, trailing
 * stop, time exit), it sends a reduce-only market order, capped by what every plan's working exit orders will already
 * take off the position so that exits fired together never flip it; it retries an incomplete exit (up to
 * {@value #MAX_EXIT_ATTEMPTS} attempts, preferring venues that did not refuse it), reopens the plan to watch again if
 * the exit cannot complete, and closes the plan once the exit is filled. It holds no state of its own: plan progress
 * lives in {@link ActivePlan}, orders and positions in {@link EngineState}, and rows, orders and reports go through the
 * coordinator {@link Execution} and its current transaction. Called only on the engine thread (see
 * {@link TradingEngine}), so it needs no locks.
 */
final class Exits extends ExecutionCollaborator {
    private static final int MAX_EXIT_ATTEMPTS = 3;
    /** A blocked exit is tried again after this, doubled each time it stays blocked, up to {@link #EXIT_RETRY_MAX}. */
    static final Duration EXIT_RETRY = Duration.ofSeconds(5);
    static final Duration EXIT_RETRY_MAX = Duration.ofSeconds(60);

    Exits(Execution coordinator, EngineState state, ReportFactory reports, Clock clock) {
        super(coordinator, state, reports, clock);
    }

    void startExit(ActivePlan ap, ExitSignal signal, BigDecimal price) {
        PlanProgress p = ap.progress;
        Side side = ap.plan.direction().exitSide();
        BigDecimal othersExiting = workingExitQty(ap.plan.symbol(), side);
        BigDecimal qty = state.positions.get(ap.plan.symbol()).reduceOnlyQuantity(side, p.openQty(), othersExiting);
        p.exitReason = signal.reason().wireName();
        p.exitDetail = signal.detail();
        p.exitTriggeredAt = clock.instant();
        p.exitExpectedPrice = price;
        p.bestPrice = ap.exitMonitor.bestPrice();
        if (qty.signum() <= 0) {
            OpsLog.warn(ap.id(), execution.currentOrder(ap.id()),
                    "exit {} ({}) but the {} position is already flat or the other way{}: nothing to send",
                    p.exitReason, signal.detail(), ap.plan.symbol(), othersExiting.signum() == 0 ? ""
                            : ", or other plans' working exit orders (" + othersExiting.toPlainString() + ") already close it");
            execution.endPlan(ap, PlanState.CLOSED, "exit " + p.exitReason + ": position already flat"
                    + (othersExiting.signum() == 0 ? "" : " once other plans' working exits fill"));
            return;
        }
        if (!ap.moveTo(PlanState.EXITING, "exit " + p.exitReason + " (" + signal.detail() + ")")) return;
        p.exitTargetQty = p.exitFilledQty.add(qty);
        OpsLog.info(ap.id(), execution.currentOrder(ap.id()), "exit triggered: {} ({}) at {}; reduce-only {} {}", p.exitReason, signal.detail(),
                price.toPlainString(), side.wireName(), qty.toPlainString());
        sendExitOrder(ap, qty);
        execution.storePlan(ap);
    }

    /**
     * What the reduce-only exit orders still working on {@code symbol} on {@code side} (any plan's) will take off the
     * position: a new exit or a retry is capped at what they leave, so exits fired together never flip the position.
     */
    private BigDecimal workingExitQty(String symbol, Side side) {
        BigDecimal total = BigDecimal.ZERO;
        for (Order o : state.orders.working()) {
            if (o.leg() == Leg.EXIT && o.side() == side && o.symbol().equals(symbol)) total = total.add(o.leavesQty());
        }
        return total;
    }

    private void sendExitOrder(ActivePlan ap, BigDecimal qty) {
        PlanProgress p = ap.progress;
        p.exitAttempts++;
        Side side = ap.plan.direction().exitSide();
        // A venue that rejected this plan's exit is tried again only when no other venue can take it: retrying a
        // stop at the venue that just refused it would leave the position open while the others could close it.
        List<String> rejectedBy = execution.ordersOf(ap, Leg.EXIT).stream().filter(o -> o.status() == OrderStatus.REJECTED)
                .map(Order::venue).distinct().toList();
        VenueRanking ranking = execution.rank(ap.plan, side, qty, rejectedBy);
        if (ranking.best().isEmpty() && !rejectedBy.isEmpty()) ranking = execution.rank(ap.plan, side, qty, List.of());
        if (ranking.best().isEmpty()) {
            OpsLog.warn(ap.id(), execution.currentOrder(ap.id()), "no venue to exit {} {}: {} (attempt {} of {})", qty, ap.plan.symbol(),
                    ranking.noVenueMessage(), p.exitAttempts, MAX_EXIT_ATTEMPTS);
            return;
        }
        // A refusal (the price collar; never size: this order reduces the position) counts as this attempt.
        execution.newOrder(ap, ++state.lastOrderSeqNo, Leg.EXIT, ranking.best().get(), side, qty, OrderType.MARKET, null, TimeInForce.IOC, null, 0,
                p.exitExpectedPrice);
    }

    void finishExitIfDone(ActivePlan ap) {
        PlanProgress p = ap.progress;
        if (p.state != PlanState.EXITING) return;
        if (execution.ordersOf(ap, Leg.EXIT).stream().anyMatch(o -> o.status().isWorking())) return;
        if (p.exitFilledQty.compareTo(p.exitTargetQty) >= 0) return;
        Side side = ap.plan.direction().exitSide();
        BigDecimal remaining = state.positions.get(ap.plan.symbol()).reduceOnlyQuantity(side,
                p.exitTargetQty.subtract(p.exitFilledQty), workingExitQty(ap.plan.symbol(), side));
        Order last = execution.lastOrder(ap, Leg.EXIT);
        if (remaining.signum() > 0 && p.exitAttempts < MAX_EXIT_ATTEMPTS) {
            OpsLog.warn(ap.id(), execution.currentOrder(ap.id()), "exit incomplete ({} of {}): {}; sending the remaining {} again",
                    p.exitFilledQty.toPlainString(), p.exitTargetQty.toPlainString(), Execution.describeEnd(last), remaining.toPlainString());
            sendExitOrder(ap, remaining);
            execution.storePlan(ap);
            return;
        }
        String why = "exit " + p.exitReason + " incomplete after " + p.exitAttempts + " attempts: " + Execution.describeEnd(last);
        // The position stays open and watched, and the exit is blocked: tried again after a back-off (sooner when a
        // session logs on), reported once, never a report per tick.
        p.exitBlocks++;
        Duration wait = EXIT_RETRY.multipliedBy(1L << Math.min(p.exitBlocks - 1, 4));
        if (wait.compareTo(EXIT_RETRY_MAX) > 0) wait = EXIT_RETRY_MAX;
        p.exitRetryAt = clock.instant().plus(wait);
        if (p.exitBlocks == 1) {
            OpsLog.error(ap.id(), execution.currentOrder(ap.id()), "EXIT BLOCKED: {}; retrying in {} s or when a session logs on", why,
                    wait.toSeconds());
            execution.emit(reports.terminal(execution.inputFor(ap, Leg.EXIT, last, ExecReport.Status.FAILED, why)));
        } else {
            OpsLog.warn(ap.id(), execution.currentOrder(ap.id()), "exit still blocked ({} times): {}; retrying in {} s", p.exitBlocks, why,
                    wait.toSeconds());
        }
        p.attention.put("exit", "exit " + p.exitReason + " blocked " + p.exitBlocks + " time(s): " + why);
        ap.reopenAfterFailedExit("exit blocked: " + why);
        p.exitAttempts = 0;
        p.exitTargetQty = null;
        execution.storePlan(ap);
    }

    /** A blocked exit whose back-off has passed fires again: its monitor is re-armed. */
    void retryBlockedExit(ActivePlan ap, boolean now) {
        PlanProgress p = ap.progress;
        if (p.exitRetryAt == null || ap.exitMonitor == null || ap.exitMonitor.triggered().isEmpty()) return;
        if (!now && clock.instant().isBefore(p.exitRetryAt)) return;
        OpsLog.info(ap.id(), execution.currentOrder(ap.id()), "retrying the blocked exit {}", p.exitReason);
        p.exitRetryAt = null;
        ap.exitMonitor.rearm();
    }

    void closePlan(ActivePlan ap) {
        PlanProgress p = ap.progress;
        OpsLog.info(ap.id(), execution.currentOrder(ap.id()), "closed by {}: exited {} avg {}, realized {}", p.exitReason,
                p.exitFilledQty.toPlainString(), p.exitAvgPrice.toPlainString(), p.exitPnl.toPlainString());
        execution.endPlan(ap, PlanState.CLOSED, null);
    }
}
