package io.tradergateway.execution;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's bookkeeping for one plan. Deliberately a mutable object: it is confined to the engine thread
 * (single writer) and stored as JSON in the plans table after every change, which is also what
 * {@code GET /v1/plans/{id}} shows as {@code progress}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class PlanProgress {
    /** A new plan starts accepted and not yet triggered; every later move goes through {@link ActivePlan#moveTo}. */
    PlanState state = PlanState.PENDING_ENTRY;
    String reason;

    // entry
    BigDecimal targetQty;
    BigDecimal expectedPrice;
    BigDecimal referencePrice;
    String venue;
    double venueScore;
    List<String> triedVenues = new ArrayList<>();
    boolean failoverUsed;
    Instant triggeredAt;
    String triggerDetail;
    BigDecimal filledQty = BigDecimal.ZERO;
    BigDecimal avgPrice = BigDecimal.ZERO;
    BigDecimal fees = BigDecimal.ZERO;
    Instant firstFillAt;
    Long latencyMs;
    boolean stopEntry;
    boolean cancelRequested;

    // twap
    Instant twapStart;
    int slicesSent;

    // exit
    String exitReason;
    String exitDetail;
    Instant exitTriggeredAt;
    BigDecimal exitTargetQty;
    BigDecimal exitExpectedPrice;
    BigDecimal exitFilledQty = BigDecimal.ZERO;
    BigDecimal exitAvgPrice = BigDecimal.ZERO;
    BigDecimal exitPnl = BigDecimal.ZERO;
    int exitAttempts;
    BigDecimal bestPrice;
    /** Times an exit could not be completed in a row: the retries back off, and only the first is reported. */
    int exitBlocks;
    /** An exit blocked until then is not tried again before it (unless a session comes up). */
    Instant exitRetryAt;

    /** What the gateway stopped retrying and an operator should look at, by ClOrdID (or {@code exit}). */
    Map<String, String> attention = new TreeMap<>();

    public PlanProgress() {
    }

    /**
     * A copy that shares nothing mutable with this progress (its lists and maps are copied; every other field is
     * immutable), so its JSON can be written on another thread while the engine goes on changing this one. Every field
     * is copied: {@code PlanProgressTest} checks that the copy's JSON is the original's with every field set.
     */
    private PlanProgress(PlanProgress p) {
        state = p.state;
        reason = p.reason;
        targetQty = p.targetQty;
        expectedPrice = p.expectedPrice;
        referencePrice = p.referencePrice;
        venue = p.venue;
        venueScore = p.venueScore;
        triedVenues = new ArrayList<>(p.triedVenues);
        failoverUsed = p.failoverUsed;
        triggeredAt = p.triggeredAt;
        triggerDetail = p.triggerDetail;
        filledQty = p.filledQty;
        avgPrice = p.avgPrice;
        fees = p.fees;
        firstFillAt = p.firstFillAt;
        latencyMs = p.latencyMs;
        stopEntry = p.stopEntry;
        cancelRequested = p.cancelRequested;
        twapStart = p.twapStart;
        slicesSent = p.slicesSent;
        exitReason = p.exitReason;
        exitDetail = p.exitDetail;
        exitTriggeredAt = p.exitTriggeredAt;
        exitTargetQty = p.exitTargetQty;
        exitExpectedPrice = p.exitExpectedPrice;
        exitFilledQty = p.exitFilledQty;
        exitAvgPrice = p.exitAvgPrice;
        exitPnl = p.exitPnl;
        exitAttempts = p.exitAttempts;
        bestPrice = p.bestPrice;
        exitBlocks = p.exitBlocks;
        exitRetryAt = p.exitRetryAt;
        attention = new TreeMap<>(p.attention);
    }

    /** This progress as it stands now, for its JSON to be written later (see the copy constructor). */
    PlanProgress snapshot() {
        return new PlanProgress(this);
    }

    public PlanState state() {
        return state;
    }

    public BigDecimal filledQty() {
        return filledQty;
    }

    public BigDecimal targetQty() {
        return targetQty;
    }

    /** Quantity this plan still holds: entry fills minus exit fills. */
    BigDecimal openQty() {
        return filledQty.subtract(exitFilledQty);
    }

    void addEntryFill(BigDecimal qty, BigDecimal price, BigDecimal fee) {
        avgPrice = weighted(filledQty, avgPrice, qty, price);
        filledQty = filledQty.add(qty);
        fees = fees.add(fee);
    }

    void addExitFill(BigDecimal qty, BigDecimal price, BigDecimal pnl) {
        exitAvgPrice = weighted(exitFilledQty, exitAvgPrice, qty, price);
        exitFilledQty = exitFilledQty.add(qty);
        exitPnl = exitPnl.add(pnl);
    }

    static BigDecimal weighted(BigDecimal q1, BigDecimal p1, BigDecimal q2, BigDecimal p2) {
        BigDecimal total = q1.add(q2);
        if (total.signum() == 0) return BigDecimal.ZERO;
        return q1.multiply(p1).add(q2.multiply(p2)).divide(total, MathContext.DECIMAL64).stripTrailingZeros();
    }
}
