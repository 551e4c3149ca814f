package io.tradergateway.market;

import java.math.BigDecimal;
import java.util.Objects;

/** One price level of one side of a venue's order book: the total size resting at a price. */
public record BookLevel(BigDecimal price, BigDecimal size) {
    public BookLevel {
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(size, "size");
    }

    public static BookLevel of(String price, String size) {
        return new BookLevel(new BigDecimal(price), new BigDecimal(size));
    }
}
