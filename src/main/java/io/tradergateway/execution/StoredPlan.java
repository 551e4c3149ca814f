package io.tradergateway.execution;

import io.tradergateway.report.JsonText;

import java.time.Instant;

/**
 * A plan as the journal keeps it: the canonical input JSON (idempotency: same hash = same plan) and the
 * engine's progress on it as JSON, so that new progress fields need no schema change.
 */
public record StoredPlan(String planId, String contentHash, String planJson, String symbol, PlanState state,
                         JsonText progressJson, Instant receivedAt, Instant updatedAt) {

    public StoredPlan(String planId, String contentHash, String planJson, String symbol, PlanState state,
                      String progressJson, Instant receivedAt, Instant updatedAt) {
        this(planId, contentHash, planJson, symbol, state, JsonText.of(progressJson), receivedAt, updatedAt);
    }

    /** This plan as a later progress row leaves it. */
    public StoredPlan withProgress(JournalWrite.PutPlanProgress p) {
        if (!p.planId().equals(planId)) throw new IllegalArgumentException("progress of " + p.planId() + " for plan " + planId);
        return new StoredPlan(planId, contentHash, planJson, symbol, p.state(), p.progressJson(), receivedAt, p.updatedAt());
    }
}
