package io.tradergateway.execution;

import io.tradergateway.domain.Fill;
import io.tradergateway.position.Position;
import io.tradergateway.report.JsonText;

import java.time.Instant;

/** One row the engine writes; a list of them is committed in one transaction. */
public sealed interface JournalWrite {
    /** A plan's first row: its canonical JSON and everything else (written once per plan). */
    record PutPlan(StoredPlan plan) implements JournalWrite {
    }

    /**
     * A stored plan's later progress: what changes after its first row ({@link StoredPlan#withProgress}), without the
     * plan's JSON again (a plan's rows are otherwise mostly its own text, written at every step).
     */
    record PutPlanProgress(String planId, PlanState state, JsonText progressJson, Instant updatedAt) implements JournalWrite {
        public PutPlanProgress(String planId, PlanState state, String progressJson, Instant updatedAt) {
            this(planId, state, JsonText.of(progressJson), updatedAt);
        }
    }

    record PutOrder(Order order) implements JournalWrite {
    }

    record PutFill(Fill fill, String planId) implements JournalWrite {
    }

    record PutPosition(Position position, Instant at) implements JournalWrite {
    }

    /** An exec-report for the outbox: its JSON is written off the engine thread, when first needed. */
    record PutReport(long sequence, String reportId, String planId, String clOrdId, String status, Instant createdAt,
                     JsonText json) implements JournalWrite {
        public PutReport(long sequence, String reportId, String planId, String clOrdId, String status, Instant createdAt,
                         String json) {
            this(sequence, reportId, planId, clOrdId, status, createdAt, JsonText.of(json));
        }
    }

    /** A venue report that failed its checks, kept as received and never booked (see ReportCheck). */
    record PutQuarantined(String venue, String clOrdId, String planId, String execId, String reason, String report,
                          Instant receivedAt) implements JournalWrite {
    }

    record PutVenueStats(String venue, JsonText statsJson, Instant at) implements JournalWrite {
        public PutVenueStats(String venue, String statsJson, Instant at) {
            this(venue, JsonText.of(statsJson), at);
        }
    }

    record PutTradingState(TradingState state, Instant at) implements JournalWrite {
    }
}
