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
    /** venue -> symbol -> instrument, from each venue's SecurityList. */
    final Map<String, Map<String, Instrument>> instruments = new LinkedHashMap<>();
    final Map<String, Boolean> sessions = new LinkedHashMap<>();
    final VenueStatsBook venueStats;
    long lastReportSequence;
    long lastOrderSeqNo;
    /** Stored with each change (journal row), restored at start-up; HALTED is the kill switch. */
    TradingState tradingState = TradingState.ACTIVE;
    Instant lastPrune = Instant.EPOCH;

    EngineState(Collection<String> venues, TradingEngine.Settings settings, VenueStatsBook venueStats) {
        for (String venue : venues) {
            sessions.put(venue, false);
            instruments.put(venue, new LinkedHashMap<>());
        }
        this.market = new MarketBook(settings.marketWindow());
        this.venueStats = venueStats;
    }

    boolean sessionUp(String venue) {
        return Boolean.TRUE.equals(sessions.get(venue));
    }

    /** Symbols listed by at least one venue whose session is up. */
    Set<String> tradeableSymbols() {
        Set<String> out = new TreeSet<>();
        instruments.forEach((venue, listed) -> {
            if (sessionUp(venue)) out.addAll(listed.keySet());
        });
        return out;
    }

    Optional<Instrument> instrument(String symbol) {
        for (Map<String, Instrument> listed : instruments.values()) {
            Instrument i = listed.get(symbol);
            if (i != null) return Optional.of(i);
        }
        return Optional.empty();
    }

    Optional<Instrument> instrument(String venue, String symbol) {
        return Optional.ofNullable(instruments.getOrDefault(venue, Map.of()).get(symbol));
    }

    Optional<BigDecimal> price(String symbol) {
        return market.symbol(symbol).price();
    }
}
