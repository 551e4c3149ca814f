/**
 * Venue choice: scores each venue that can take an order and ranks them, and learns per-venue
 * execution statistics (acknowledgement latency, slippage, success rate) from what the venues did.
 *
 * <p>Pure domain code: no sockets, no database, no QuickFIX/J. Everything here is called from the
 * engine's single trading thread, so nothing is synchronised. {@link io.tradergateway.routing.VenueStats}
 * is an immutable record meant to be persisted as-is; {@link io.tradergateway.routing.VenueStatsBook}
 * is the single-threaded in-memory holder of the current record per venue.
 *
 * <p>Score = 0.3·liquidity + 0.2·latency + 0.2·slippage + 0.3·success, every component in [0, 1]
 * (see {@link io.tradergateway.routing.VenueScorer}); ranking and venue preferences are described in
 * {@link io.tradergateway.routing.VenueSelector}.
 */
package io.tradergateway.routing;
