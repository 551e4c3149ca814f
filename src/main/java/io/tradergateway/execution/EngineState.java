package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.Instrument;
import io.tradergateway.market.MarketBook;
import io.tradergateway.position.PositionBook;
import io.tradergateway.routing.VenueStatsBook;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The engine thread's in-memory trading state (the journal holds the durable copy). */
final class EngineState {
    final Map<String, ActivePlan> plans = new LinkedHashMap<>();
    final OrdersInMemory orders = new OrdersInMemory();
    /** Our cancel/replace request ids, mapped to the order they act on. */
    final Map<ClOrdId, ClOrdId> requestIds = new HashMap<>();
    /** When we last sent an OrderStatusRequest for an unanswered order. */
    final Map<ClOrdId, Instant> statusAsked = new HashMap<>();
    /** Orders a 35=9 said were over (filled, cancelled, unknown) before an ExecutionReport did, since when. */
    final Map<ClOrdId, Instant> inDoubt = new HashMap<>();
    final PositionBook positions = new PositionBook();
    final MarketBook market;
    /** What each venue can take (SPEC 4.2), by venue name. */
    final Map<String, VenueCapabilities> capabilities = new LinkedHashMap<>();
    /** venue -> symbol -> instrument: the venue's configured {@code Instruments} merged with its SecurityList. */
    final Map<String, Map<String, Instrument>> instruments = new LinkedHashMap<>();
    /** Symbols subscribed to on each venue's current session (cleared when it goes down). */
    final Map<String, Set<String>> subscribed = new HashMap<>();
    /** When each venue's latest market-data subscription went out (its first prices may still be on their way). */
    final Map<String, Instant> subscribedAt = new HashMap<>();
    /** Venues that refused an OrderStatusRequest in this run: they are not asked again. */
    final Set<String> statusRequestsRefused = new HashSet<>();
    /** When each order's latest cancel request went out (back-off between attempts; not durable). */
    final Map<ClOrdId, Instant> cancelSentAt = new HashMap<>();
    /** Orders committed but held back by a venue's order rate, in arrival order. */
    final Map<ClOrdId, RateWait> rateWaiting = new LinkedHashMap<>();

    record RateWait(ClOrdId id, String venue, Instant since) {
    }

    /** Operator flags of orders whose plan has ended (logged once each). */
    final Set<String> flaggedWithoutPlan = new HashSet<>();
    /** How many OrderStatusRequests each order has had in this run (bounded). */
    final Map<ClOrdId, Integer> statusRequests = new HashMap<>();
    final Map<String, Boolean> sessions = new LinkedHashMap<>();
    final VenueStatsBook venueStats;
    long lastReportSequence;
    long lastOrderSeqNo;
    /** Stored with each change (journal row), restored at start-up; HALTED is the kill switch. */
    TradingState tradingState = TradingState.ACTIVE;
    Instant lastPrune = Instant.EPOCH;

    EngineState(Collection<VenueCapabilities> venues, TradingEngine.Settings settings, VenueStatsBook venueStats) {
        for (VenueCapabilities venue : venues) {
            sessions.put(venue.venue(), false);
            capabilities.put(venue.venue(), venue);
            Map<String, Instrument> configured = new LinkedHashMap<>();
            venue.instruments().forEach(i -> configured.put(i.symbol(), i));
            instruments.put(venue.venue(), configured);
        }
        this.market = new MarketBook(settings.marketWindow());
        this.venueStats = venueStats;
    }

    /**
     * Whether a market-data fact from {@code venue} about {@code symbol} is one the gateway can use: the symbol is
     * subscribed on that venue's session, listed by a venue, held in a position, or has market state already. Anything
     * else (a venue streaming symbols nobody asked for, or garbage) would hold a book and a trade window in memory
     * each, without bound.
     */
    boolean expectsMarketData(String venue, String symbol) {
        if (subscribed.getOrDefault(venue, Set.of()).contains(symbol) || market.find(symbol).isPresent()) return true;
        for (Map<String, Instrument> listed : instruments.values()) {
            if (listed.containsKey(symbol)) return true;
        }
        return positions.holds(symbol);
    }

    boolean sessionUp(String venue) {
        return Boolean.TRUE.equals(sessions.get(venue));
    }

    VenueCapabilities capabilities(String venue) {
        VenueCapabilities caps = capabilities.get(venue);
        return caps != null ? caps : VenueCapabilities.defaults(venue);
    }

    /** A venue orders may be routed to (not a market-data-only session). */
    boolean routable(String venue) {
        return capabilities(venue).routeOrders();
    }

    /** Symbols listed (by SecurityList or {@code Instruments}) by at least one routable venue whose session is up. */
    Set<String> tradeableSymbols() {
        Set<String> out = new TreeSet<>();
        instruments.forEach((venue, listed) -> {
            if (sessionUp(venue) && routable(venue)) out.addAll(listed.keySet());
        });
        return out;
    }

    /** The symbol's reference data, from a routable venue when one lists it. */
    Optional<Instrument> instrument(String symbol) {
        Instrument fallback = null;
        for (Map.Entry<String, Map<String, Instrument>> e : instruments.entrySet()) {
            Instrument i = e.getValue().get(symbol);
            if (i != null && routable(e.getKey())) return Optional.of(i);
            if (i != null && fallback == null) fallback = i;
        }
        return Optional.ofNullable(fallback);
    }

    Optional<Instrument> instrument(String venue, String symbol) {
        return Optional.ofNullable(instruments.getOrDefault(venue, Map.of()).get(symbol));
    }

    Optional<BigDecimal> price(String symbol) {
        return market.symbol(symbol).price();
    }
}
