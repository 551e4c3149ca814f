/**
 * Positions and P&amp;L per symbol ({@link io.tradergateway.position.Position}, applied fill by fill),
 * and exit monitoring of an open plan position ({@link io.tradergateway.position.ExitMonitor}: stop
 * loss, take profit and the plan's exit conditions).
 *
 * <p>Pure domain code: no sockets, no database, no QuickFIX/J; called from the engine's single trading
 * thread. Money and quantities are {@code BigDecimal}.
 */
package io.tradergateway.position;
