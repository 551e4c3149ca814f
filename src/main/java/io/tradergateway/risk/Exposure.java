package io.tradergateway.risk;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * What the gateway holds and has working, as the risk gate needs it: signed quantities (short &lt; 0), prices from the
 * market. Implemented by the engine over its live state.
 */
public interface Exposure {
    /** The market price the gate values orders at; empty when nobody provides one. */
    Optional<BigDecimal> price(String symbol);

    /** Signed position quantity in the symbol. */
    BigDecimal position(String symbol);

    /** Signed quantity still working in orders on the symbol (buys positive, sells negative). */
    BigDecimal working(String symbol);

    /** Sum over symbols of |position| x price plus |working| x price. */
    BigDecimal grossNotional();

    /** Working orders at every venue. */
    int openOrders();
}
