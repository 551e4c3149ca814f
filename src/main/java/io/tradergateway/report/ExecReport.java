package io.tradergateway.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One {@code exec-report-1.0} event (SPEC §2). {@code executedPrice}/{@code executedQuantity} describe this
 * report's fill; {@code avgPrice}/{@code cumulativeQuantity}/{@code orderQuantity} the plan leg so far.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ExecReport(
        String eventType,
        String reportId,
        long sequence,
        String executionId,
        String planId,
        String signalId,
        String decisionId,
        String symbol,
        String venue,
        String clOrdId,
        String leg,
        String exitReason,
        String side,
        String status,
        BigDecimal executedPrice,
        BigDecimal executedQuantity,
        BigDecimal avgPrice,
        BigDecimal cumulativeQuantity,
        BigDecimal orderQuantity,
        BigDecimal expectedPrice,
        BigDecimal slippage,
        Long latencyMs,
        double adherenceScore,
        double venueScore,
        PositionAfter positionAfter,
        BigDecimal pnlImpact,
        BigDecimal fees,
        List<String> whatWorked,
        List<String> whatDidntWork,
        List<String> lessonsLearned,
        String errorMessage,
        Instant executionTime,
        Instant createdAt,
        List<String> reportedTo) {

    public static final String EVENT_TYPE = "exec-report-1.0";
    public static final List<String> CONSUMERS = List.of("alpha_detector", "decision_maker", "learning_systems");

    /** {@code position_after}: the symbol's position once this execution is applied (signed: short < 0). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PositionAfter(String symbol, BigDecimal quantity, BigDecimal avgPrice, BigDecimal realizedPnl,
                                BigDecimal unrealizedPnl, BigDecimal stopLoss, BigDecimal takeProfit) {
    }

    public enum Status {
        FILLED, PARTIAL, FAILED, CANCELLED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
