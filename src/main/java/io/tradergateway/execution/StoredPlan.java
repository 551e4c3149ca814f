package io.tradergateway.execution;

import java.time.Instant;

/**
 * A plan as the journal keeps it: the canonical input JSON (idempotency: same hash = same plan) and the
 * engine's progress on it as JSON, so that new progress fields need no schema change.
 */
public record StoredPlan(String planId, String contentHash, String planJson, String symbol, PlanState state,
                         String progressJson, Instant receivedAt, Instant updatedAt) {
}
