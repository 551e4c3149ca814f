package io.tradergateway.report;

import io.tradergateway.domain.Fill;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.Leg;
import io.tradergateway.execution.Order;
import io.tradergateway.plan.TradingPlan;
import io.tradergateway.position.Position;
import io.tradergateway.position.PositionUpdate;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What the engine knows when a report is due: the plan, the leg's figures so far, the position, and (for a fill report)
 * the fill.
 *
 * @param order          the order the report is about, if any
 * @param error          why the leg failed or was cancelled, or what is wrong with a late fill; null otherwise
 * @param waitedForEntry receipt of the plan to its entry trigger (null before the trigger)
 * @param fill           the fill a fill report is about (null for other reports)
 */
public record ReportInput(TradingPlan plan, Leg leg, String exitReason, ExecReport.Status status, Order order,
                          LegFigures figures, Holding holding, String error, Duration waitedForEntry, Fill fill) {

    /**
     * The leg's figures so far.
     *
     * @param side          the leg's side (the plan's entry side, or its exit side)
     * @param avgPrice      average price of the leg so far
     * @param cumQty        executed quantity of the leg so far
     * @param orderQty      the leg's order quantity (plan target for the entry, exit quantity for the exit)
     * @param expectedPrice the price the leg was expected to execute at
     * @param latencyMs     order sent to first venue answer
     * @param venueScore    the routing score of the leg's venue
     */
    public record LegFigures(Side side, BigDecimal avgPrice, BigDecimal cumQty, BigDecimal orderQty,
                             BigDecimal expectedPrice, Long latencyMs, String venue, double venueScore) {
    }

    /**
     * The position after what is reported, and what it is worth.
     *
     * @param markPrice current market price of the symbol, for unrealized P&L (null when unknown)
     * @param pnlImpact realized P&L the reported event caused
     */
    public record Holding(Position position, BigDecimal markPrice, BigDecimal pnlImpact) {
    }

    /** The report about {@code newFill}, with the position and realized P&L it left ({@code newUpdate}). */
    public ReportInput withFill(Fill newFill, PositionUpdate newUpdate) {
        Holding after = new Holding(newUpdate.after(), holding.markPrice(), newUpdate.realizedPnlImpact());
        return new ReportInput(plan, leg, exitReason, status, order, figures, after, error, waitedForEntry, newFill);
    }
}
