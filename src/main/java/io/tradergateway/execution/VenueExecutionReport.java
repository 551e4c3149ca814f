package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.OrderId;
import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A venue's ExecutionReport (35=8) translated out of FIX. {@code origClOrdId} is set for answers to a cancel
 * or replace; {@code ordStatus} may be null when the venue sent a status we do not model.
 */
public record VenueExecutionReport(
        String venue,
        ClOrdId clOrdId,
        ClOrdId origClOrdId,
        OrderId orderId,
        ExecId execId,
        ExecType execType,
        OrderStatus ordStatus,
        String symbol,
        Side side,
        BigDecimal lastQty,
        BigDecimal lastPx,
        BigDecimal cumQty,
        BigDecimal leavesQty,
        BigDecimal avgPx,
        BigDecimal commission,
        String text,
        Instant transactTime,
        boolean possDup,
        Instant receivedAt) {

    public boolean isFill() {
        return execType == ExecType.TRADE && lastQty != null && lastQty.signum() > 0;
    }
}
