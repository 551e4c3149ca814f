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
 * What the engine knows when a report is due: the plan, the leg's figures so far, and (for a fill report) the
 * fill and the position update it caused.
 *
 * @param avgPrice      average price of the leg so far
 * @param cumQty        executed quantity of the leg so far
 * @param orderQty      the leg's order quantity (plan target for the entry, exit quantity for the exit)
 * @param markPrice     current market price of the symbol, for unrealized P&L (null when unknown)
 */
public record ReportInput(TradingPlan plan, Leg leg, String exitReason, ExecReport.Status status, Order order, Side side,
                          BigDecimal avgPrice, BigDecimal cumQty, BigDecimal orderQty, BigDecimal expectedPrice,
                          Long latencyMs, String venue, double venueScore, Position position, BigDecimal markPrice,
                          BigDecimal pnlImpact, String error, Duration waitedForEntry, Fill fill, PositionUpdate update,
                          BigDecimal stopLoss, BigDecimal takeProfit) {

    public ReportInput withFill(Fill newFill, PositionUpdate newUpdate) {
        return new ReportInput(plan, leg, exitReason, status, order, side, avgPrice, cumQty, orderQty, expectedPrice,
                latencyMs, venue, venueScore, newUpdate.after(), markPrice, newUpdate.realizedPnlImpact(), error,
                waitedForEntry, newFill, newUpdate, stopLoss, takeProfit);
    }
}
