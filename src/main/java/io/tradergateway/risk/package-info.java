/**
 * Pre-trade risk (SPEC 7): one gate every order passes before it is sent (entries, TWAP children, exits, re-routes,
 * failovers). Pure functions of the order, the limits and an exposure snapshot; a denial is an outcome with a stable
 * {@code risk_*} code, never an exception. Sits between the strategies and execution, as NautilusTrader's RiskEngine.
 */
package io.tradergateway.risk;
