package io.tradergateway.execution;

import io.tradergateway.plan.TradingPlan;
import io.tradergateway.plan.TwapSchedule;
import io.tradergateway.position.ExitMonitor;
import io.tradergateway.position.ExitRules;

import java.time.Instant;

/** A plan the engine is working on: the immutable input, its progress, and what is rebuilt from them. */
final class ActivePlan {
    final TradingPlan plan;
    final String planJson;
    final String contentHash;
    final Instant receivedAt;
    final PlanProgress progress;
    ExitMonitor exitMonitor;
    TwapSchedule twap;
    /** Its first row (the plan's JSON) is journaled: later rows carry its progress only. */
    boolean firstRowWritten;

    ActivePlan(TradingPlan plan, String planJson, String contentHash, Instant receivedAt, PlanProgress progress) {
        this.plan = plan;
        this.planJson = planJson;
        this.contentHash = contentHash;
        this.receivedAt = receivedAt;
        this.progress = progress;
    }

    String id() {
        return plan.planId();
    }

    PlanState state() {
        return progress.state;
    }

    /**
     * Moves the plan to {@code next} when {@link PlanState#canMoveTo} allows it from where it is; otherwise keeps its
     * state, logs the refused move with {@code event} (what tried it), and returns false.
     */
    boolean moveTo(PlanState next, String event) {
        PlanState from = progress.state;
        if (!from.canMoveTo(next)) {
            OpsLog.warn(id(), null, "plan state {} -> {} refused on {}: stays {}", from.wireName(), next.wireName(), event,
                    from.wireName());
            return false;
        }
        progress.state = next;
        return true;
    }

    /** The one way back from EXITING to OPEN: an exit given up after its attempts, the position watched again. */
    boolean reopenAfterFailedExit(String event) {
        if (progress.state != PlanState.EXITING) {
            OpsLog.warn(id(), null, "plan state {} -> open refused on {}: only a working exit can be given up",
                    progress.state.wireName(), event);
            return false;
        }
        progress.state = PlanState.OPEN;
        return true;
    }

    ExitRules exitRules() {
        var x = plan.exitConditions();
        return new ExitRules(plan.stopLoss(), plan.takeProfit(), x.priceAbove(), x.priceBelow(), x.maxHoldSeconds(),
                x.trailingStop());
    }

    boolean hasExitRules() {
        return plan.stopLoss() != null || plan.takeProfit() != null || !plan.exitConditions().isEmpty();
    }
}
