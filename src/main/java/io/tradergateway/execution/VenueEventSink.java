package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.Instrument;
import io.tradergateway.market.MarketDataEvent;

import java.util.List;

/**
 * Where the FIX adapter delivers what venues say. Implementations must not block: the engine only
 * enqueues (QuickFIX/J callback threads must never wait on trading state or the database).
 */
public interface VenueEventSink {
    void onSessionState(String venue, boolean loggedOn);

    void onInstruments(String venue, List<Instrument> instruments);

    void onExecutionReport(VenueExecutionReport report);

    void onCancelReject(VenueCancelReject reject);

    void onMarketData(MarketDataEvent event);

    void onMarketDataReject(String venue, String symbol, String reason);

    /**
     * The venue refused our OrderStatusRequest (35=H) for {@code clOrdId} at session (35=3) or business (35=j) level:
     * it will not tell us that order's status this way.
     */
    void onStatusRequestRefused(String venue, ClOrdId clOrdId, String reason);

    /**
     * A NewOrderSingle the adapter accepted to send never left: the session went down (or refused it) before it did.
     * The order ends as rejected without a venue answer, as one the adapter refused at once.
     */
    void onOrderNotSent(String venue, ClOrdId clOrdId, String reason);
}
