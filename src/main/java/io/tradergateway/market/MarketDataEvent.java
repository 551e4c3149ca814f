package io.tradergateway.market;

import java.time.Instant;

/**
 * A market-data fact from one venue about one symbol, as the FIX adapter translates it from
 * MarketDataSnapshotFullRefresh (35=W) and MarketDataIncrementalRefresh (35=X). Applied with
 * {@link MarketBook#apply(MarketDataEvent)}.
 */
public sealed interface MarketDataEvent permits BookSnapshot, BookLevelUpdate, TradePrint {

    String venue();

    String symbol();

    /** When the gateway received the fact (or the venue's time, if the adapter prefers it; be consistent). */
    Instant time();
}
