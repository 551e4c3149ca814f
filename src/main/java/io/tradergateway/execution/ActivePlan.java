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

    ExitRules exitRules() {
        var x = plan.exitConditions();
        return new ExitRules(plan.stopLoss(), plan.takeProfit(), x.priceAbove(), x.priceBelow(), x.maxHoldSeconds(),
                x.trailingStop());
    }

    boolean hasExitRules() {
        return plan.stopLoss() != null || plan.takeProfit() != null || !plan.exitConditions().isEmpty();
    }
}
