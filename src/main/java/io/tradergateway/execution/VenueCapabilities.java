package io.tradergateway.execution;

import io.tradergateway.domain.Instrument;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one venue session can do, from the gateway keys of its {@code [session]} block in {@code fix-config/}
 * (SPEC 4.2). The defaults fit the bundled simulated venue. The engine asks this record, never the FIX version,
 * what it may send: a venue is a set of settings, not a code path.
 *
 * @param venue               the session's TargetCompID, the venue name everywhere in the gateway
 * @param fixVersion          {@code FIX.4.2}, {@code FIX.4.4} or {@code FIX.5.0SP2} (a FIXT.1.1 session)
 * @param instruments         instruments configured with {@code Instruments} (traded without a SecurityList)
 * @param securityListRequest ask for the SecurityList (35=x) at logon
 * @param marketDataRequest   subscribe to market data (35=V) on this session
 * @param routeOrders         false for a market-data-only session: never a routing candidate
 * @param orderTypes          order types the venue takes
 * @param timeInForce         TIFs the venue takes
 * @param cancelRequest       the venue takes OrderCancelRequest (35=F)
 * @param orderStatusRequest  the venue answers OrderStatusRequest (35=H)
 * @param orderFields         fixed tags added to every order (tag to value), e.g. Account (1), ExDestination (100)
 * @param logonUsername       Username (553) sent on Logon, null when none (the password is never kept here)
 */
public record VenueCapabilities(String venue, String fixVersion, List<Instrument> instruments,
                                boolean securityListRequest, boolean marketDataRequest, boolean routeOrders,
                                Set<OrderType> orderTypes, Set<TimeInForce> timeInForce, boolean cancelRequest,
                                boolean orderStatusRequest, Map<Integer, String> orderFields, String logonUsername) {
    public static final String FIX42 = "FIX.4.2";
    public static final String FIX44 = "FIX.4.4";
    public static final String FIX50SP2 = "FIX.5.0SP2";

    public VenueCapabilities {
        instruments = List.copyOf(instruments);
        orderTypes = Set.copyOf(orderTypes);
        timeInForce = Set.copyOf(timeInForce);
        orderFields = Map.copyOf(orderFields);
        if (orderTypes.isEmpty()) throw new IllegalArgumentException("venue " + venue + ": no order type");
        if (timeInForce.isEmpty()) throw new IllegalArgumentException("venue " + venue + ": no time in force");
    }

    /** Everything on, nothing configured: the bundled simulated venue on FIX 4.4. */
    public static VenueCapabilities defaults(String venue) {
        return new VenueCapabilities(venue, FIX44, List.of(), true, true, true, EnumSet.allOf(OrderType.class),
                EnumSet.allOf(TimeInForce.class), true, true, Map.of(), null);
    }

    public boolean takes(OrderType type) {
        return orderTypes.contains(type);
    }

    public boolean takes(TimeInForce tif) {
        return timeInForce.contains(tif);
    }
}
