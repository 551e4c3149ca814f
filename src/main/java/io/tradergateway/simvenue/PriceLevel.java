package io.tradergateway.simvenue;

import java.math.BigDecimal;

/** One price level of a simulated book: price and the quantity available there. */
public record PriceLevel(BigDecimal price, BigDecimal size) { }
