/**
 * Market data state of the gateway: per-venue order books, last trade, a rolling window of trades for volume and
 * volatility, and the evaluation of plans' entry / exit conditions against them.
 * <p>
 * Pure domain code, fed by {@link io.tradergateway.market.MarketDataEvent}s that the FIX adapter translates from
 * 35=W / 35=X. Not thread-safe by design: the single trading thread owns it (see DESIGN.md "One writer").
 * Time is always passed in; nothing here reads a clock.
 */
package io.tradergateway.market;
