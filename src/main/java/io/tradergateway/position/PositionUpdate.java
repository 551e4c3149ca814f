package io.tradergateway.position;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The result of applying one fill to a position.
 *
 * @param after              the position after the fill
 * @param realizedPnlImpact  the exec-report's {@code pnl_impact}: realized P&amp;L this fill caused, net of
 *                           the fee of its closing part; 0 for a fill that only opens or adds
 *                           (see {@link Position#apply})
 */
public record PositionUpdate(Position after, BigDecimal realizedPnlImpact) {
    public PositionUpdate {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(realizedPnlImpact, "realizedPnlImpact");
    }
}
