/**
 * Trading plans ({@code dm-decision-1.0}): the schema check that answers 400 ({@link io.tradergateway.plan.PlanParser}),
 * the business rules that answer 422 ({@link io.tradergateway.plan.PlanValidator}), position sizing, tick rounding
 * and the TWAP slice schedule. Pure domain code: no I/O, no clock reads (time is always passed in), no QuickFIX/J.
 */
package io.tradergateway.plan;
