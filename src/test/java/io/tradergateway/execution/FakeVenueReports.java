package io.tradergateway.execution;

import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.OrderId;
import io.tradergateway.domain.Side;

import java.math.BigDecimal;
import java.time.Clock;

/**
 * ExecutionReports a fake venue sends about orders the engine sent it, stamped with the test's clock and numbered
 * ExecIDs ({@code E-1}, {@code E-2}, ...): shared by {@link EngineFixture} and {@link DeterministicEngine}.
 */
final class FakeVenueReports {
    private final Clock clock;
    private int execIds;

    FakeVenueReports(Clock clock) {
        this.clock = clock;
    }

    /** A report on {@code order}; a fill of {@code fillQty} at {@code price} when both are given. */
    VenueExecutionReport report(OrderCommand.NewOrder order, ExecType type, OrderStatus status, BigDecimal fillQty, BigDecimal price) {
        return report(order, type, status, fillQty, price, "E-" + (++execIds), order.symbol(), order.side());
    }

    /** A report on {@code order}; a fill at its limit (100.01 for a market order). */
    VenueExecutionReport report(OrderCommand.NewOrder order, ExecType type, OrderStatus status, BigDecimal fillQty) {
        BigDecimal price = order.limitPrice() == null ? new BigDecimal("100.01") : order.limitPrice();
        return report(order, type, status, fillQty, price);
    }

    VenueExecutionReport report(OrderCommand.NewOrder order, ExecType type, OrderStatus status, BigDecimal fillQty,
                                BigDecimal price, String execId, String symbol, Side side) {
        boolean fill = fillQty != null;
        return new VenueExecutionReport(order.venue(), order.clOrdId(), null, new OrderId("O-" + order.clOrdId()),
                new ExecId(execId), type, status, symbol, side, fill ? fillQty : BigDecimal.ZERO, fill ? price : null,
                fill ? fillQty : BigDecimal.ZERO, fill ? BigDecimal.ZERO : order.quantity(), fill ? price : BigDecimal.ZERO,
                BigDecimal.ZERO, type == ExecType.REJECTED ? "order type not allowed" : null, clock.instant(), false,
                clock.instant());
    }
}
