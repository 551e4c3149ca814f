package io.tradergateway.position;

import io.tradergateway.domain.Direction;
import io.tradergateway.domain.Fill;
import io.tradergateway.domain.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's position in one symbol, with average-cost P&amp;L.
 *
 * <h2>Accounting rules ({@link #apply})</h2>
 * <table border="1">
 *   <caption>How one fill changes the position</caption>
 *   <tr><th>fill</th><th>quantity / avg price</th><th>realizedPnl</th><th>pnl_impact</th></tr>
 *   <tr><td>opens (flat before) or adds (same direction)</td>
 *       <td>avg = (|q|·avg + fillQty·price) / (|q| + fillQty)</td>
 *       <td>− fee</td><td><b>0</b></td></tr>
 *   <tr><td>reduces or closes (opposite side, fillQty ≤ |q|)</td>
 *       <td>avg unchanged; 0 (and openedAt cleared) when flat</td>
 *       <td>+ (price − avg)·closedQty·sign(q) − fee</td><td>(price − avg)·closedQty·sign(q) − fee</td></tr>
 *   <tr><td>flips (opposite side, fillQty &gt; |q|)</td>
 *       <td>closes |q| then opens the remainder at the fill price; openedAt = fill time</td>
 *       <td>+ (price − avg)·|q|·sign(q) − fee</td>
 *       <td>(price − avg)·|q|·sign(q) − fee·|q|/fillQty (fee share of the closing part)</td></tr>
 * </table>
 * <p><b>Fees.</b> Every fee is added to {@code feesPaid} and subtracted from {@code realizedPnl} when it is
 * paid, so {@code realizedPnl} is always net of all fees. The SPEC defines {@code pnl_impact} as 0 for an
 * opening fill, so the fee of an opening fill (or of the opening part of a flip) appears in
 * {@code realizedPnl} but in no {@code pnl_impact}: Σ pnl_impact = realizedPnl + opening fees.
 *
 * <p><b>Rounding.</b> The average price is kept to {@value #PRICE_SCALE} decimals (HALF_EVEN); it is the
 * only division besides the fee split of a flip (same scale). Sums and products are exact.
 *
 * <p>The engine never sends an exit that flips a position ({@link #reduceOnlyQuantity}); the flip rule
 * exists so that an unexpected venue over-fill is still accounted for correctly.
 *
 * @param symbol      instrument
 * @param quantity    signed open quantity: long &gt; 0, short &lt; 0, 0 flat
 * @param avgPrice    average cost of the open quantity; 0 when flat
 * @param realizedPnl realized P&amp;L since the position record began, net of all fees
 * @param feesPaid    total fees paid
 * @param openedAt    time of the fill that opened the current position; null when flat
 */
public record Position(String symbol, BigDecimal quantity, BigDecimal avgPrice, BigDecimal realizedPnl,
                       BigDecimal feesPaid, Instant openedAt) {

    /** Decimals kept for average prices (and a flip's fee split). */
    public static final int PRICE_SCALE = 8;

    public Position {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(avgPrice, "avgPrice");
        Objects.requireNonNull(realizedPnl, "realizedPnl");
        Objects.requireNonNull(feesPaid, "feesPaid");
        if (quantity.signum() == 0 && (avgPrice.signum() != 0 || openedAt != null)) {
            throw new IllegalArgumentException("flat position in " + symbol
                    + " must have avg price 0 and no openedAt: " + avgPrice + ", " + openedAt);
        }
        if (quantity.signum() != 0 && openedAt == null) {
            throw new IllegalArgumentException("open position in " + symbol + " needs openedAt");
        }
    }

    /** No position and no history. */
    public static Position flat(String symbol) {
        return new Position(symbol, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null);
    }

    /** Applies one fill (see the class comment for the rules). */
    public PositionUpdate apply(Fill fill) {
        Objects.requireNonNull(fill, "fill");
        if (!fill.symbol().equals(symbol)) {
            throw new IllegalArgumentException("fill for " + fill.symbol() + " applied to position in " + symbol);
        }
        BigDecimal fillQty = fill.quantity();
        BigDecimal price = fill.price();
        BigDecimal fee = fill.fee();
        BigDecimal signedFillQty = fill.side() == Side.BUY ? fillQty : fillQty.negate();
        BigDecimal newQuantity = quantity.add(signedFillQty);
        BigDecimal newFees = feesPaid.add(fee);

        if (quantity.signum() == 0 || quantity.signum() == fill.side().sign()) {
            BigDecimal open = quantity.abs();
            BigDecimal newAvg = open.signum() == 0
                    ? price
                    : open.multiply(avgPrice).add(fillQty.multiply(price))
                            .divide(open.add(fillQty), PRICE_SCALE, RoundingMode.HALF_EVEN);
            Instant opened = quantity.signum() == 0 ? fill.time() : openedAt;
            Position after = new Position(symbol, newQuantity, newAvg, realizedPnl.subtract(fee), newFees, opened);
            return new PositionUpdate(after, BigDecimal.ZERO);
        }

        BigDecimal open = quantity.abs();
        BigDecimal closedQty = fillQty.min(open);
        BigDecimal openedQty = fillQty.subtract(closedQty);
        BigDecimal gross = price.subtract(avgPrice).multiply(closedQty)
                .multiply(BigDecimal.valueOf(quantity.signum()));
        BigDecimal closingFee = openedQty.signum() == 0
                ? fee
                : fee.multiply(closedQty).divide(fillQty, PRICE_SCALE, RoundingMode.HALF_EVEN);
        BigDecimal newRealized = realizedPnl.add(gross).subtract(fee);

        Position after;
        if (newQuantity.signum() == 0) {
            after = new Position(symbol, BigDecimal.ZERO, BigDecimal.ZERO, newRealized, newFees, null);
        } else if (openedQty.signum() > 0) {
            after = new Position(symbol, newQuantity, price, newRealized, newFees, fill.time());
        } else {
            after = new Position(symbol, newQuantity, avgPrice, newRealized, newFees, openedAt);
        }
        return new PositionUpdate(after, gross.subtract(closingFee));
    }

    /**
     * The part of an exit order of {@code requested} on {@code side} that only reduces this position: capped
     * at the open quantity so an exit never flips the position, and 0 when {@code side} would increase it
     * (or the position is flat).
     */
    public BigDecimal reduceOnlyQuantity(Side side, BigDecimal requested) {
        return reduceOnlyQuantity(side, requested, BigDecimal.ZERO);
    }

    /**
     * As {@link #reduceOnlyQuantity(Side, BigDecimal)}, when reduce-only orders on the same {@code side} for
     * {@code alreadyReducing} are already working: they will take that much off the position, so a new exit is capped at
     * what is left after them (0 when they already cover it all). Without this, two exits fired together would each be
     * capped at the whole position and, both filled, flip it.
     */
    public BigDecimal reduceOnlyQuantity(Side side, BigDecimal requested, BigDecimal alreadyReducing) {
        Objects.requireNonNull(side, "side");
        if (requested == null || requested.signum() < 0) {
            throw new IllegalArgumentException("requested exit quantity must not be negative: " + requested);
        }
        if (alreadyReducing == null || alreadyReducing.signum() < 0) {
            throw new IllegalArgumentException("quantity already reducing must not be negative: " + alreadyReducing);
        }
        if (quantity.signum() == 0 || quantity.signum() == side.sign()) {
            return BigDecimal.ZERO;
        }
        return requested.min(quantity.abs().subtract(alreadyReducing).max(BigDecimal.ZERO));
    }

    /** (mark − avg) × quantity: positive when a long is above its cost or a short below it; 0 when flat. */
    public BigDecimal unrealizedPnl(BigDecimal markPrice) {
        Objects.requireNonNull(markPrice, "markPrice");
        if (quantity.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return markPrice.subtract(avgPrice).multiply(quantity);
    }

    /** realizedPnl + unrealizedPnl(mark). */
    public BigDecimal totalPnl(BigDecimal markPrice) {
        return realizedPnl.add(unrealizedPnl(markPrice));
    }

    public boolean isFlat() {
        return quantity.signum() == 0;
    }

    /** LONG or SHORT; empty when flat. */
    public Optional<Direction> direction() {
        return switch (quantity.signum()) {
            case 1 -> Optional.of(Direction.LONG);
            case -1 -> Optional.of(Direction.SHORT);
            default -> Optional.empty();
        };
    }

    /** The side of an order that reduces this position (SELL for a long, BUY for a short); empty when flat. */
    public Optional<Side> exitSide() {
        return direction().map(Direction::exitSide);
    }
}
