package io.tradergateway.risk;

import io.tradergateway.domain.Side;

import java.math.BigDecimal;

/**
 * An order about to be sent, as the risk gate sees it.
 *
 * @param symbol      instrument
 * @param side        buy or sell
 * @param quantity    order quantity
 * @param limitPrice  the limit, null for a market order
 * @param reducing    a reduce-only exit: never denied for size
 */
public record OrderIntent(String symbol, Side side, BigDecimal quantity, BigDecimal limitPrice, boolean reducing) {
}
