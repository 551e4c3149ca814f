package io.tradergateway.execution;

import io.tradergateway.domain.Side;
import io.tradergateway.plan.PriceTicks;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * How an order the engine wants is sent to a venue that takes only some order types and times in force (SPEC 4.2).
 * Pure functions of the venue's {@link VenueCapabilities}:
 * <ul>
 *   <li>a MARKET order at a venue without MARKET goes as a LIMIT at the expected price moved by {@code max_slippage}
 *       (a buy at 100.00 with 0.001 is a limit 100.10, a sell 99.90), on the tick grid, never beyond the cap;</li>
 *   <li>a TIF the venue does not take is replaced by the first it takes from a fallback list: IOC and FOK by DAY (the
 *       gateway cancels what rests once the order is acknowledged), GTD by DAY (the gateway cancels at
 *       {@code valid_until}), DAY by GTC and GTC by DAY.</li>
 * </ul>
 */
final class VenueOrderTerms {
    private static final Map<TimeInForce, List<TimeInForce>> FALLBACKS = Map.of(
            TimeInForce.IOC, List.of(TimeInForce.IOC, TimeInForce.DAY, TimeInForce.GTC, TimeInForce.GTD, TimeInForce.FOK),
            TimeInForce.FOK, List.of(TimeInForce.FOK, TimeInForce.DAY, TimeInForce.GTC, TimeInForce.GTD, TimeInForce.IOC),
            TimeInForce.GTD, List.of(TimeInForce.GTD, TimeInForce.DAY, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK),
            TimeInForce.DAY, List.of(TimeInForce.DAY, TimeInForce.GTC, TimeInForce.GTD, TimeInForce.IOC, TimeInForce.FOK),
            TimeInForce.GTC, List.of(TimeInForce.GTC, TimeInForce.DAY, TimeInForce.GTD, TimeInForce.IOC, TimeInForce.FOK));

    private VenueOrderTerms() {
    }

    /** The time in force an order that wants {@code wanted} goes out with at this venue. */
    static TimeInForce wireTif(VenueCapabilities caps, TimeInForce wanted) {
        for (TimeInForce tif : FALLBACKS.get(wanted)) {
            if (caps.takes(tif)) return tif;
        }
        throw new IllegalStateException("venue " + caps.venue() + " takes no time in force"); // the record forbids it
    }

    /** The venue keeps what does not fill at once: the gateway cancels it after the acknowledgement. */
    static boolean emulatesImmediate(VenueCapabilities caps, TimeInForce wanted) {
        TimeInForce wire = wireTif(caps, wanted);
        return (wanted == TimeInForce.IOC || wanted == TimeInForce.FOK) && wire != TimeInForce.IOC && wire != TimeInForce.FOK;
    }

    /**
     * A limit that takes liquidity up to {@code maxSlippage} from {@code price} and never beyond it: rounded on the tick
     * grid towards the price (down for a buy, up for a sell).
     */
    static BigDecimal marketableLimit(Side side, BigDecimal price, BigDecimal maxSlippage, BigDecimal tick) {
        BigDecimal factor = side == Side.BUY ? BigDecimal.ONE.add(maxSlippage) : BigDecimal.ONE.subtract(maxSlippage);
        return PriceTicks.passiveLimit(price.multiply(factor), tick, side);
    }
}
