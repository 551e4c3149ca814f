package io.tradergateway.plan;

import io.tradergateway.domain.Direction;
import io.tradergateway.domain.ExecutionStrategy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An approved trading plan ({@code dm-decision-1.0}, SPEC §1), as parsed by {@link PlanParser}.
 * <p>
 * A {@code TradingPlan} is well-formed (every required field present, with the right type) but not necessarily
 * valid: business rules are checked by {@link PlanValidator}. Numbers keep the exact decimal text they were sent with
 * ({@code 2.50} stays {@code 2.50}); compare plans by content with {@link #sameContentAs(TradingPlan)}, which ignores
 * such scale differences.
 *
 * @param positionSize    percent of portfolio equity ({@code 2.5} = 2.5 %)
 * @param maxPositionSize percent cap
 * @param entryPrice      target entry, the limit price for {@code limit}; null when absent
 * @param stopLoss        null when absent
 * @param takeProfit      null when absent
 * @param entryConditions never null ({@link EntryConditions#NONE} when absent)
 * @param exitConditions  never null ({@link ExitConditions#NONE} when absent)
 * @param twapParams      never null ({@link TwapParams#DEFAULT} values for missing keys), for every strategy
 * @param maxSlippage     fraction of the expected price ({@code 0.001} = 10 bps)
 * @param venuePreferences venue names in order of preference; never null, empty = any venue
 * @param executionNotes  free text; null when absent
 */
public record TradingPlan(
        String planId,
        String signalId,
        String decisionId,
        String symbol,
        Direction direction,
        BigDecimal positionSize,
        BigDecimal maxPositionSize,
        BigDecimal entryPrice,
        BigDecimal stopLoss,
        BigDecimal takeProfit,
        EntryConditions entryConditions,
        ExitConditions exitConditions,
        BigDecimal riskRewardRatio,
        BigDecimal confidenceScore,
        ExecutionStrategy executionStrategy,
        TwapParams twapParams,
        BigDecimal maxSlippage,
        long maxLatencyMs,
        List<String> venuePreferences,
        Instant createdAt,
        Instant validUntil,
        String executionNotes) {

    public TradingPlan {
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(signalId, "signalId");
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(positionSize, "positionSize");
        Objects.requireNonNull(maxPositionSize, "maxPositionSize");
        Objects.requireNonNull(riskRewardRatio, "riskRewardRatio");
        Objects.requireNonNull(confidenceScore, "confidenceScore");
        Objects.requireNonNull(executionStrategy, "executionStrategy");
        Objects.requireNonNull(maxSlippage, "maxSlippage");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(validUntil, "validUntil");
        entryConditions = entryConditions == null ? EntryConditions.NONE : entryConditions;
        exitConditions = exitConditions == null ? ExitConditions.NONE : exitConditions;
        twapParams = twapParams == null ? TwapParams.DEFAULT : twapParams;
        venuePreferences = venuePreferences == null ? List.of() : List.copyOf(venuePreferences);
    }

    /**
     * True when both plans say the same thing: every field equal, numbers compared by value
     * ({@code 2.5} equals {@code 2.50}). This is the test for "the same plan re-sent" (idempotent 200)
     * versus "plan_id reused with other content" (409).
     */
    public boolean sameContentAs(TradingPlan other) {
        if (other == null) return false;
        return planId.equals(other.planId)
                && signalId.equals(other.signalId)
                && decisionId.equals(other.decisionId)
                && symbol.equals(other.symbol)
                && direction == other.direction
                && sameNumber(positionSize, other.positionSize)
                && sameNumber(maxPositionSize, other.maxPositionSize)
                && sameNumber(entryPrice, other.entryPrice)
                && sameNumber(stopLoss, other.stopLoss)
                && sameNumber(takeProfit, other.takeProfit)
                && sameNumber(entryConditions.priceAbove(), other.entryConditions.priceAbove())
                && sameNumber(entryConditions.priceBelow(), other.entryConditions.priceBelow())
                && sameNumber(entryConditions.volumeSpike(), other.entryConditions.volumeSpike())
                && sameNumber(entryConditions.volatilityThreshold(), other.entryConditions.volatilityThreshold())
                && sameNumber(exitConditions.priceAbove(), other.exitConditions.priceAbove())
                && sameNumber(exitConditions.priceBelow(), other.exitConditions.priceBelow())
                && Objects.equals(exitConditions.maxHoldSeconds(), other.exitConditions.maxHoldSeconds())
                && sameNumber(exitConditions.trailingStop(), other.exitConditions.trailingStop())
                && sameNumber(riskRewardRatio, other.riskRewardRatio)
                && sameNumber(confidenceScore, other.confidenceScore)
                && executionStrategy == other.executionStrategy
                && twapParams.equals(other.twapParams)
                && sameNumber(maxSlippage, other.maxSlippage)
                && maxLatencyMs == other.maxLatencyMs
                && venuePreferences.equals(other.venuePreferences)
                && createdAt.equals(other.createdAt)
                && validUntil.equals(other.validUntil)
                && Objects.equals(executionNotes, other.executionNotes);
    }

    private static boolean sameNumber(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }
}
