package io.tradergateway.execution;

import io.tradergateway.domain.ExecutionStrategy;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.Side;
import io.tradergateway.market.ConditionInputs;
import io.tradergateway.market.EntryConditionEvaluator;
import io.tradergateway.plan.PositionSizer;
import io.tradergateway.plan.PriceTicks;
import io.tradergateway.plan.TradingPlan;
import io.tradergateway.plan.TwapSchedule;
import io.tradergateway.position.ExitMonitor;
import io.tradergateway.report.ExecReport;
import io.tradergateway.report.ReportFactory;
import io.tradergateway.risk.RiskDenial;
import io.tradergateway.routing.VenueRanking;
import io.tradergateway.routing.VenueScore;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The entry leg of a plan, from its trigger to the end of its entry: checks a waiting plan's entry conditions, sizes
 * the entry from the mark price and the portfolio equity, routes it (market IOC, passive limit GTD, or TWAP children
 * sent as their slices fall due, catching up overdue ones in one child), fails over to another venue when an order is
 * rejected, and when the entry's orders are over decides how the entry ended: filled (the plan then watches its exits,
 * see {@link Exits}), partly filled, cancelled or failed. It holds no state of its own: plan progress and the TWAP
 * schedule live in {@link ActivePlan}, orders and market data in {@link EngineState}; orders, rows and reports go
 * through the coordinator {@link Execution} and its current transaction. Called only on the engine thread (see
 * {@link TradingEngine}), so it needs no locks.
 */
final class Entries extends ExecutionCollaborator {
    private final Exits exits;
    private final TradingEngine.Settings settings;
    private final EntryConditionEvaluator entryConditions = new EntryConditionEvaluator();

    Entries(Execution coordinator, EngineState state, ReportFactory reports, Clock clock, Exits exits,
            TradingEngine.Settings settings) {
        super(coordinator, state, reports, clock);
        this.exits = exits;
        this.settings = settings;
    }

    /** Checks a waiting plan's entry conditions against live data; enters when all hold. */
    void evaluateEntry(ActivePlan ap) {
        Instant now = clock.instant();
        if (!now.isBefore(ap.plan.validUntil())) return; // expired: the next tick ends it, it must not enter now
        var evaluation = entryConditions.evaluate(ap.plan.entryConditions(), ConditionInputs.from(state.market.symbol(ap.plan.symbol()), now));
        if (evaluation.allMet()) {
            startEntry(ap, "entry conditions met " + evaluation.observed());
        }
    }

    void startEntry(ActivePlan ap, String trigger) {
        TradingPlan plan = ap.plan;
        PlanProgress p = ap.progress;
        Instant now = clock.instant();
        Optional<BigDecimal> reference = execution.markPrice(plan.symbol());
        if (reference.isEmpty() && plan.executionStrategy() == ExecutionStrategy.LIMIT) {
            // No session gives a price for it: a limit plan is sized and priced on its entry_price.
            reference = Optional.of(plan.entryPrice());
        }
        if (reference.isEmpty()) {
            execution.failPlan(ap, null, "no market data for " + plan.symbol() + " yet: cannot size or price the entry");
            return;
        }
        Instrument instrument = state.instrument(plan.symbol()).orElse(null);
        if (instrument == null) {
            execution.failPlan(ap, null, plan.symbol() + " is not listed by any venue");
            return;
        }
        BigDecimal sizingPrice = plan.executionStrategy() == ExecutionStrategy.LIMIT
                ? plan.entryPrice() : reference.get();
        BigDecimal qty = PositionSizer.quantity(plan.positionSize(), settings.portfolioEquity(), sizingPrice, instrument.lotSize());
        if (qty.signum() <= 0) {
            execution.failPlan(ap, null, "position_size " + plan.positionSize().toPlainString() + "% of equity "
                    + settings.portfolioEquity().toPlainString() + " at " + sizingPrice.toPlainString()
                    + " is less than one lot (" + instrument.lotSize().toPlainString() + ")");
            return;
        }
        p.referencePrice = reference.get();
        p.expectedPrice = plan.executionStrategy() == ExecutionStrategy.LIMIT ? plan.entryPrice() : reference.get();
        p.targetQty = qty;
        p.triggeredAt = now;
        p.triggerDetail = trigger;
        if (!ap.moveTo(PlanState.WORKING, "entry triggered (" + trigger + ")")) return;
        // A plan without entry conditions triggers as it is validated: that is no step of its own (DEBUG).
        if (plan.entryConditions().isEmpty()) {
            OpsLog.debug(plan.planId(), execution.currentOrder(plan.planId()), "triggered ({}): {} {} {} at reference {}", trigger,
                    plan.direction().entrySide().wireName(), qty, plan.symbol(), reference.get());
        } else {
            OpsLog.info(plan.planId(), execution.currentOrder(plan.planId()), "triggered ({}): {} {} {} at reference {}", trigger,
                    plan.direction().entrySide().wireName(), qty.toPlainString(), plan.symbol(), reference.get().toPlainString());
        }
        switch (plan.executionStrategy()) {
            case MARKET -> routeEntry(ap, qty, OrderType.MARKET, null, TimeInForce.IOC, null, 0);
            case LIMIT -> {
                BigDecimal price = PriceTicks.passiveLimit(plan.entryPrice(), instrument.tickSize(), plan.direction().entrySide());
                routeEntry(ap, qty, OrderType.LIMIT, price, TimeInForce.GTD, plan.validUntil(), 0);
            }
            case TWAP -> {
                p.twapStart = now;
                p.slicesSent = 0;
                ap.twap = twapFor(ap, now);
                OpsLog.info(plan.planId(), execution.currentOrder(plan.planId()), "TWAP: {} slices over {} s", ap.twap.sliceCount(),
                        plan.twapParams().durationS());
                sendDueSlices(ap, now);
            }
        }
        execution.storePlan(ap);
    }

    TwapSchedule twapFor(ActivePlan ap, Instant start) {
        BigDecimal lot = state.instrument(ap.plan.symbol()).map(Instrument::lotSize).orElse(BigDecimal.ONE);
        return new TwapSchedule(ap.progress.targetQty, lot, ap.plan.twapParams().slices(), ap.plan.twapParams().duration(), start);
    }

    /**
     * Sends the TWAP slice that is due, carrying the residual of earlier ones. When several are due at once (the gateway
     * was down or every session was), they go as <b>one</b> catch-up child for the cumulative quantity due by now, never
     * as a burst of children cancelling each other. While no FIX session is logged on (just after a restart) due slices
     * wait for the logon; past {@code valid_until} no slice is sent and the entry ends with what it has.
     */
    void sendDueSlices(ActivePlan ap, Instant now) {
        PlanProgress p = ap.progress;
        int due = ap.twap.slicesDueAt(now);
        if (p.stopEntry || due <= p.slicesSent) return;
        if (!now.isBefore(ap.plan.validUntil())) {
            OpsLog.warn(ap.id(), execution.currentOrder(ap.id()), "TWAP: valid_until {} passed with {} of {} slices sent: no more slices",
                    ap.plan.validUntil(), p.slicesSent, ap.twap.sliceCount());
            p.stopEntry = true;
            if (p.reason == null) p.reason = "valid_until " + ap.plan.validUntil() + " passed after " + p.slicesSent + " of "
                    + ap.twap.sliceCount() + " TWAP slices";
            execution.storePlan(ap);
            finishEntryIfDone(ap);
            return;
        }
        if (!state.sessions.containsValue(Boolean.TRUE)) return; // reconnecting: the due slices wait for a logon
        int slice = due - 1;
        int overdue = slice - p.slicesSent;
        // Earlier children still working would double count: cancel them first, they carry over as residual.
        for (Order o : execution.ordersOf(ap, Leg.ENTRY)) {
            if (o.status().isWorking() && o.pendingRequest() == null) execution.sendCancel(o, "TWAP slice " + (slice + 1) + " is due");
        }
        BigDecimal target = ap.twap.targetForSlice(slice, p.filledQty.add(workingQty(ap, Leg.ENTRY)));
        p.slicesSent = due;
        String catchUp = overdue == 0 ? "" : " (catching up " + overdue + " overdue slice" + (overdue == 1 ? "" : "s") + " in this one)";
        if (target.signum() <= 0) {
            OpsLog.info(ap.id(), execution.currentOrder(ap.id()), "TWAP slice {}/{}: nothing to send{}", slice + 1, ap.twap.sliceCount(), catchUp);
        } else {
            BigDecimal limit = marketableLimit(ap.plan, ap.plan.direction().entrySide());
            // The order line names its slice: this one is INFO only when it catches up overdue slices.
            if (overdue == 0) {
                OpsLog.debug(ap.id(), execution.currentOrder(ap.id()), "TWAP slice {}/{}: {} at limit {}", slice + 1,
                        ap.twap.sliceCount(), target, limit == null ? "market" : limit);
            } else {
                OpsLog.info(ap.id(), execution.currentOrder(ap.id()), "TWAP slice {}/{}: {} at limit {}{}", slice + 1,
                        ap.twap.sliceCount(), target.toPlainString(), limit == null ? "market" : limit.toPlainString(), catchUp);
            }
            if (limit == null) {
                routeEntry(ap, target, OrderType.MARKET, null, TimeInForce.IOC, null, slice + 1);
            } else {
                routeEntry(ap, target, OrderType.LIMIT, limit, TimeInForce.IOC, null, slice + 1);
            }
        }
        execution.storePlan(ap);
    }

    /**
     * What an entry order is judged against (its slippage, in reports and in venue learning): the plan's expected price,
     * except for a TWAP child, which is judged against the mark price when it was sent, so that the market's drift
     * between slices is not counted as the venue's slippage.
     */
    private BigDecimal expectedPrice(ActivePlan ap, int slice) {
        if (slice <= 0) return ap.progress.expectedPrice;
        return execution.markPrice(ap.plan.symbol()).orElse(ap.progress.expectedPrice);
    }

    /** A limit that takes liquidity up to max_slippage from the current price, on the tick grid, never beyond. */
    private BigDecimal marketableLimit(TradingPlan plan, Side side) {
        Optional<BigDecimal> price = execution.markPrice(plan.symbol());
        Optional<Instrument> instrument = state.instrument(plan.symbol());
        if (price.isEmpty() || instrument.isEmpty()) return null;
        BigDecimal factor = side == Side.BUY ? BigDecimal.ONE.add(plan.maxSlippage()) : BigDecimal.ONE.subtract(plan.maxSlippage());
        return PriceTicks.passiveLimit(price.get().multiply(factor), instrument.get().tickSize(), side);
    }

    private BigDecimal workingQty(ActivePlan ap, Leg leg) {
        BigDecimal total = BigDecimal.ZERO;
        for (Order o : execution.ordersOf(ap, leg)) {
            if (o.status().isWorking()) total = total.add(o.leavesQty());
        }
        return total;
    }

    /** Chooses the venue for an entry order (honouring preferences and failover) and sends it. */
    private void routeEntry(ActivePlan ap, BigDecimal qty, OrderType type, BigDecimal limit, TimeInForce tif,
                            Instant expire, int slice) {
        PlanProgress p = ap.progress;
        Side side = ap.plan.direction().entrySide();
        Optional<VenueScore> chosen = Optional.empty();
        if (p.venue != null && slice > 1 && state.sessionUp(p.venue)) {
            // TWAP children stay on the venue chosen for the plan unless it failed.
            chosen = execution.rank(ap.plan, side, qty, p.triedVenues).ranked().stream().filter(v -> v.venue().equals(p.venue)).findFirst();
        }
        VenueRanking ranking = null;
        if (chosen.isEmpty()) {
            ranking = execution.rank(ap.plan, side, qty, p.triedVenues);
            if (ranking.best().isEmpty()) {
                OpsLog.warn(ap.id(), execution.currentOrder(ap.id()), "no venue for {}: {}", ap.plan.symbol(), ranking.noVenueMessage());
                if (ap.twap != null && p.slicesSent < ap.twap.sliceCount()) {
                    OpsLog.warn(ap.id(), execution.currentOrder(ap.id()), "TWAP slice {}: its quantity carries into the next slice", slice);
                    return;
                }
                if (p.filledQty.signum() == 0 && workingQty(ap, Leg.ENTRY).signum() == 0) {
                    execution.failPlan(ap, null, "no venue: " + ranking.noVenueMessage());
                } else {
                    // The last TWAP slice found no venue: the entry ends with what it has (or when its working orders end).
                    p.stopEntry = true;
                    if (p.reason == null) p.reason = "no venue for the last slice: " + ranking.noVenueMessage();
                    finishEntryIfDone(ap);
                }
                return;
            }
            chosen = ranking.best();
        }
        VenueScore venue = chosen.get();
        // The ClOrdID is made first, so that the routing line names the order it routes.
        long seq = ++state.lastOrderSeqNo;
        if (ranking != null && OpsLog.isDebugEnabled()) {
            OpsLog.debug(ap.id(), execution.clOrdIdOf(seq), "routed to {} score {} (liquidity {}, latency {}, slippage {}, success {}); "
                    + "others {}",
                    venue.venue(), Execution.fmt(venue.total()), Execution.fmt(venue.liquidity()), Execution.fmt(venue.latency()),
                    Execution.fmt(venue.slippage()), Execution.fmt(venue.success()),
                    ranking.ranked().stream().skip(1).map(v -> v.venue() + "=" + Execution.fmt(v.total())).toList());
        }
        Optional<RiskDenial> denial = execution.newOrder(ap, seq, Leg.ENTRY, venue, side, qty, type, limit, tif, expire, slice,
                expectedPrice(ap, slice));
        if (denial.isPresent()) {
            riskDenied(ap, denial.get());
            return;
        }
        p.venue = venue.venue();
        p.venueScore = venue.total();
    }

    /**
     * The risk gate refused an entry order: a plan with nothing filled or working fails (its reason starts with the
     * denial's {@code risk_*} code), one that has some ends its entry with what it has.
     */
    private void riskDenied(ActivePlan ap, RiskDenial denial) {
        PlanProgress p = ap.progress;
        if (p.filledQty.signum() == 0 && workingQty(ap, Leg.ENTRY).signum() == 0
                && execution.ordersOf(ap, Leg.ENTRY).stream().noneMatch(o -> o.status().isWorking())) {
            execution.failPlan(ap, null, denial.toString());
            return;
        }
        p.stopEntry = true;
        if (p.reason == null) p.reason = denial.toString();
        execution.storePlan(ap);
        finishEntryIfDone(ap);
    }

    void completeEntry(ActivePlan ap) {
        PlanProgress p = ap.progress;
        if (ap.hasExitRules() && p.filledQty.signum() > 0 && !p.cancelRequested) {
            if (!ap.moveTo(PlanState.OPEN, "entry complete (" + p.filledQty.toPlainString() + " filled)")) {
                // A late entry fill after the entry leg ended: the plan keeps its state and exit monitor. A working exit
                // takes the late quantity too: its remaining part is sent when its current orders end (Exits' retry).
                if (p.state == PlanState.EXITING && p.exitTargetQty != null) p.exitTargetQty = p.exitTargetQty.max(p.filledQty);
                execution.storePlan(ap);
                return;
            }
            p.bestPrice = p.avgPrice;
            ap.exitMonitor = new ExitMonitor(ap.plan.direction(), p.avgPrice, p.firstFillAt == null ? clock.instant() : p.firstFillAt,
                    ap.exitRules());
            OpsLog.info(ap.id(), execution.currentOrder(ap.id()), "entry complete: {} {} avg {}; watching exits {}", p.filledQty.toPlainString(),
                    ap.plan.symbol(), p.avgPrice.toPlainString(), ap.exitRules());
            execution.storePlan(ap);
            state.price(ap.plan.symbol()).flatMap(price -> ap.exitMonitor.onPrice(price, clock.instant()))
                    .ifPresent(signal -> exits.startExit(ap, signal, state.price(ap.plan.symbol()).orElseThrow()));
        } else if (p.state != PlanState.WORKING) {
            // A late entry fill after the entry leg ended (the plan is open, exiting or was cancelled with a fill):
            // the fill is booked, the plan keeps its state; FILLED is only where a working entry ends.
            OpsLog.warn(ap.id(), execution.currentOrder(ap.id()), "entry completed late ({} filled) while the plan is {}: it stays {}",
                    p.filledQty.toPlainString(), p.state.wireName(), p.state.wireName());
            execution.storePlan(ap);
        } else {
            // The plan ends here: one line, the done line, says both.
            execution.endPlan(ap, PlanState.FILLED, null, "done: {}: entry complete: {} {} avg {}; no exit rules to watch",
                    p.filledQty.toPlainString(), ap.plan.symbol(), p.avgPrice.toPlainString());
        }
    }

    /** Called when an entry order ended: decides whether the entry leg is over, and how. */
    void finishEntryIfDone(ActivePlan ap) {
        PlanProgress p = ap.progress;
        if (p.state != PlanState.WORKING) return;
        if (workingQty(ap, Leg.ENTRY).signum() > 0 || execution.ordersOf(ap, Leg.ENTRY).stream().anyMatch(o -> o.status().isWorking())) return;
        if (p.filledQty.compareTo(p.targetQty) >= 0) return;
        boolean twapContinues = ap.twap != null && !p.stopEntry && p.slicesSent < ap.twap.sliceCount();
        if (twapContinues) return;
        Order last = execution.lastOrder(ap, Leg.ENTRY);
        String why = p.reason != null ? p.reason : Execution.describeEnd(last);
        if (p.cancelRequested) {
            execution.endPlan(ap, PlanState.CANCELLED, why);
            execution.emit(reports.terminal(execution.inputFor(ap, Leg.ENTRY, last, ExecReport.Status.CANCELLED,
                    "cancelled with " + p.filledQty.toPlainString() + " of " + p.targetQty.toPlainString() + " filled: " + why)));
        } else if (p.filledQty.signum() > 0) {
            execution.emit(reports.terminal(execution.inputFor(ap, Leg.ENTRY, last, ExecReport.Status.CANCELLED,
                    "entry ended with " + p.filledQty.toPlainString() + " of " + p.targetQty.toPlainString() + " filled: " + why)));
            completeEntry(ap);
        } else if (last != null && last.status() == OrderStatus.REJECTED) {
            execution.failPlan(ap, last, why);
        } else {
            execution.endPlan(ap, PlanState.CANCELLED, why);
            execution.emit(reports.terminal(execution.inputFor(ap, Leg.ENTRY, last, ExecReport.Status.CANCELLED, why)));
        }
    }

    /**
     * An order ended Rejected. {@code venueAnswered} is false for an order that never reached its venue (not sent because
     * the session was down, or unknown to the venue's status answer): it is no evidence about the venue, so nothing is
     * learned from it, but like a venue reject it frees the plan to fail over to another live venue.
     */
    void onOrderRejected(ActivePlan ap, Order order, String reason, boolean venueAnswered) {
        if (venueAnswered) execution.learn(order);
        PlanProgress p = ap.progress;
        if (order.leg() == Leg.EXIT) {
            exits.finishExitIfDone(ap);
            return;
        }
        if (!p.triedVenues.contains(order.venue())) p.triedVenues.add(order.venue());
        boolean twap = ap.twap != null;
        if (twap && !p.cancelRequested && !p.stopEntry && p.slicesSent < ap.twap.sliceCount()) {
            // One rejected child does not end a TWAP: its quantity is residual for the next slice, on another venue.
            OpsLog.warn(ap.id(), order.clOrdId(), "TWAP slice {} rejected by {} ({}): its quantity carries into the next slice",
                    order.sliceNo(), order.venue(), reason);
            execution.storePlan(ap);
            return;
        }
        boolean expired = !clock.instant().isBefore(ap.plan.validUntil());
        if (expired) {
            OpsLog.warn(ap.id(), order.clOrdId(), "rejected by {} ({}) after valid_until {}: no failover", order.venue(), reason,
                    ap.plan.validUntil());
        }
        if (!p.failoverUsed && !p.cancelRequested && !expired && (p.filledQty.signum() == 0 || twap)) {
            VenueRanking next = execution.rank(ap.plan, order.side(), order.quantity(), p.triedVenues);
            if (next.best().isPresent()) {
                p.failoverUsed = true;
                OpsLog.warn(ap.id(), order.clOrdId(), "rejected by {} ({}): failing over to {}", order.venue(),
                        reason, next.best().get().venue());
                Optional<RiskDenial> denial = execution.newOrder(ap, ++state.lastOrderSeqNo, Leg.ENTRY, next.best().get(), order.side(),
                        order.quantity(), order.type(), order.limitPrice(), order.timeInForce(), order.expireTime(), order.sliceNo(),
                        expectedPrice(ap, order.sliceNo()));
                if (denial.isEmpty()) {
                    p.venue = next.best().get().venue();
                    p.venueScore = next.best().get().total();
                    execution.storePlan(ap);
                    return;
                }
                reason = reason + "; the failover was refused: " + denial.get();
            }
        }
        p.stopEntry = true;
        if (p.reason == null) p.reason = "rejected by " + order.venue() + ": " + reason;
        execution.storePlan(ap);
        finishEntryIfDone(ap);
    }
}
