package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.Direction;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.ExecutionStrategy;
import io.tradergateway.domain.Fill;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.Side;
import io.tradergateway.market.MarketDataEvent;
import io.tradergateway.market.MarketView;
import io.tradergateway.market.SymbolMarket;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanIssue;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.plan.PlanValidator;
import io.tradergateway.plan.TradingPlan;
import io.tradergateway.plan.ValidationContext;
import io.tradergateway.position.ExitMonitor;
import io.tradergateway.position.ExitSignal;
import io.tradergateway.position.Position;
import io.tradergateway.report.ExecReport;
import io.tradergateway.report.Json;
import io.tradergateway.report.JsonText;
import io.tradergateway.report.ReportFactory;
import io.tradergateway.report.ReportInput;
import io.tradergateway.report.ReportPublisher;
import io.tradergateway.report.review.Slippage;
import io.tradergateway.risk.Exposure;
import io.tradergateway.risk.OrderIntent;
import io.tradergateway.risk.RateLimiter;
import io.tradergateway.risk.RiskDenial;
import io.tradergateway.risk.RiskGate;
import io.tradergateway.routing.ExecutionObservation;
import io.tradergateway.routing.OrderRequirements;
import io.tradergateway.routing.VenueCandidate;
import io.tradergateway.routing.VenueRanking;
import io.tradergateway.routing.VenueScore;
import io.tradergateway.routing.VenueSelector;
import io.tradergateway.routing.VenueStats;
import org.slf4j.Logger;
import org.slf4j.MDC;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The engine's event handlers: plan intake, entry triggers, venue choice, strategies, the order state
 * machine, fills into positions, exits and reports. Runs only on the engine thread (see {@link TradingEngine}).
 * This class is the coordinator: it owns the transaction and group-commit mechanics, recovery, intake, the queries and
 * the helpers every leg shares (routing, new orders and cancels, reports, plan ends, learning), and hands the rest to
 * package-private parts that run on the same thread: one plan goes from {@link #submit} through {@link Entries}
 * (trigger, sizing, routing, TWAP slices, how the entry ended), {@link VenueEvents} (acks, fills, rejects,
 * reconciliation, late fills) and {@link Exits} (exit orders, close), with {@link Timers} for what time alone triggers.
 * Each handler adds rows to the current {@link Tx}; what leaves the process (sending FIX, answering the API,
 * publishing reports) is registered with {@link Tx#effect} and happens once the rows are durable; engine work that
 * follows the commit (transmitting an order, which may itself write rows) with {@link Tx#afterCommit}.
 */
final class Execution {
    private static final Logger log = OpsLog.LOG;

    private final EngineState state;
    private final TradeJournal journal;
    private final VenueGateway venues;
    private final ReportPublisher publisher;
    private final Consumer<Runnable> handBack;
    private final Clock clock;
    private final TradingEngine.Settings settings;
    private final PlanParser parser = new PlanParser();
    private final PlanValidator validator = new PlanValidator();
    private final ReportFactory reports;
    private final Exits exits;
    private final Entries entries;
    private final Timers timers;
    private final VenueEvents venueEvents;
    private final RiskGate risk;
    private final RateLimiter rate;
    /** Orders refused by the risk gate, by code; read by other threads for /metrics. */
    private final Map<String, LongAdder> riskDenials = new ConcurrentSkipListMap<>();
    private Tx tx;

    /**
     * @param handBack how an effect that failed outside the engine's thread (an order the FIX session no longer took)
     *                 comes back to it as an event
     */
    Execution(EngineState state, TradeJournal journal, VenueGateway venues, ReportPublisher publisher, Clock clock,
              TradingEngine.Settings settings, Consumer<Runnable> handBack) {
        this.handBack = handBack;
        this.state = state;
        this.journal = journal;
        this.venues = venues;
        this.publisher = publisher;
        this.clock = clock;
        this.settings = settings;
        this.reports = new ReportFactory(clock);
        this.risk = new RiskGate(settings.risk());
        this.rate = new RateLimiter(settings.risk().maxOrdersPerSecond());
        for (String code : List.of(RiskDenial.ORDER_NOTIONAL, RiskDenial.ORDER_QUANTITY, RiskDenial.POSITION_NOTIONAL,
                RiskDenial.GROSS_NOTIONAL, RiskDenial.PRICE_COLLAR, RiskDenial.RATE, RiskDenial.OPEN_ORDERS,
                RiskDenial.TRADING_STATE)) {
            riskDenials.put(code, new LongAdder());
        }
        this.exits = new Exits(this, state, reports, clock);
        this.entries = new Entries(this, state, reports, clock, exits, settings);
        this.timers = new Timers(this, state, reports, clock, entries, exits, venues);
        this.venueEvents = new VenueEvents(this, state, reports, clock, entries, exits, journal);
    }

    // ================================================================= transactions

    /** The rows of one event and what to do once they are committed. */
    static final class Tx {
        final List<JournalWrite> writes = new ArrayList<>();
        final List<Runnable> afterCommit = new ArrayList<>();
        final List<Runnable> effects = new ArrayList<>();
        final List<Runnable> onRollback = new ArrayList<>();
        /** Plans whose row this transaction writes, once each, at its commit (see {@link #storePlan}). */
        final Map<String, ActivePlan> plans = new LinkedHashMap<>();
        /** The fills among {@link #writes}, by what makes a fill unique (a batch holds hundreds of rows). */
        final Set<Fill.Key> fills = new HashSet<>();

        void afterCommit(Runnable action) {
            afterCommit.add(action);
        }

        /** What leaves the process because of this transaction: it happens once its rows are durable. */
        void effect(Runnable action) {
            effects.add(action);
        }
    }

    /** Runs {@code work}, commits its rows in one transaction, then runs its after-commit actions. */
    void inTransaction(Runnable work) {
        Tx outer = tx;
        Tx current = new Tx();
        tx = current;
        try {
            work.run();
            store(current);
        } catch (RuntimeException e) {
            current.onRollback.forEach(Runnable::run);
            throw e;
        } finally {
            tx = outer;
        }
        for (Runnable action : current.afterCommit) {
            inTransaction(action);
        }
    }

    /**
     * Journals a transaction's rows, then hands its effects (FIX messages, API answers, exec-reports) to the journal,
     * which lets them out once those rows are durable: with the file journal, while the engine goes on with the next
     * events.
     */
    private void store(Tx t) {
        if (!t.plans.isEmpty()) {
            Instant now = clock.instant();
            for (ActivePlan ap : t.plans.values()) t.writes.add(planRow(ap, now));
        }
        journal.commit(t.writes, List.copyOf(t.effects));
    }

    /** Most queued events the engine commits in one transaction (group commit). */
    static final int MAX_BATCH = 256;

    /**
     * Group commit: runs the events already queued one after the other, commits all their rows in <b>one</b>
     * transaction, hands their effects (FIX sends, API answers, report publication) to the journal, which runs them in
     * order once the rows are durable, then runs their after-commit actions. Nothing leaves the process before the
     * shared commit is durable, so write-ahead holds as for a single event; under load one file write serves many
     * events. If the batch fails before its commit, the state is reloaded from the journal and each
     * event runs again on its own, so a bad event costs only itself, as without batching.
     */
    void runBatch(List<Runnable> events) {
        if (events.size() == 1) {
            runAlone(events.get(0));
            return;
        }
        Tx current = new Tx();
        tx = current;
        try {
            for (Runnable event : events) {
                try {
                    event.run();
                } finally {
                    MDC.clear();
                }
            }
            store(current);
        } catch (JournalFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            // No rollback actions here: they would answer "not stored" to API calls that the replay below may still
            // store. The reload resets every in-memory effect; each event's own run decides its answer.
            log.error("a batch of {} engine events failed before its commit; reloading the state and running each "
                    + "event on its own", events.size(), e);
            tx = null;
            reloadAfterFailure();
            events.forEach(this::runAlone);
            return;
        } finally {
            tx = null;
        }
        current.afterCommit.forEach(this::runAlone);
    }

    /** One event in its own transaction; a failure reloads the state from the journal instead of stopping trading. */
    private void runAlone(Runnable event) {
        try {
            inTransaction(event);
        } catch (JournalFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("engine event failed; reloading state from the journal", e);
            reloadAfterFailure();
        } finally {
            MDC.clear();
        }
    }

    /** Runs {@code action} once the current event's rows are committed (with the rest of its batch). */
    void afterCommit(Runnable action) {
        tx.afterCommit(action);
    }

    /** Lets {@code action} (something leaving the process) happen once the current event's rows are durable. */
    void effect(Runnable action) {
        tx.effect(action);
    }

    /** Adds a row to the current event's transaction. */
    void write(JournalWrite row) {
        tx.writes.add(row);
        if (row instanceof JournalWrite.PutFill f) tx.fills.add(f.fill().key());
    }

    /** A fill of this order with this (venue, ExecID) is stored, or is in the rows of the transaction being built. */
    boolean fillKnown(String venue, ClOrdId order, ExecId execId) {
        if (tx.fills.contains(new Fill.Key(venue, order, execId))) return true;
        // An order in memory with nothing filled has no fill stored: its fills and its filled quantity are written together.
        Order known = state.orders.get(order);
        if (known != null && known.cumQty().signum() == 0) return false;
        return journal.fillExists(venue, order, execId);
    }

    /**
     * After a failed commit, memory is made exactly what the database says: every durable book (plans, orders, request
     * ids, positions, learned venue stats, sequences) is dropped and loaded again, so a replayed event cannot apply
     * twice what the failed batch had applied in memory. Market data is not durable and stays (a book snapshot
     * replayed is the same snapshot).
     */
    void reloadAfterFailure() {
        state.plans.clear();
        state.orders.clear();
        state.requestIds.clear();
        state.positions.clear();
        state.venueStats.clear();
        recover(journal.recover());
    }

    // ================================================================= recovery

    void recover(TradeJournal.Recovered r) {
        state.tradingState = journal.tradingState().orElse(TradingState.ACTIVE);
        committedTradingState = state.tradingState;
        if (state.tradingState != TradingState.ACTIVE) log.warn("trading state {} (stored): {}", state.tradingState.wireName(),
                state.tradingState == TradingState.HALTED ? "kill switch engaged, no new plans" : "only plans that reduce a position");
        state.lastReportSequence = r.lastReportSequence();
        state.lastOrderSeqNo = r.lastOrderSeqNo();
        r.positions().forEach(state.positions::restore);
        r.venueStatsJson().forEach((venue, json) -> state.venueStats.restore(Json.read(json, VenueStats.class)));
        for (StoredPlan stored : r.openPlans()) {
            ActivePlan ap = restorePlan(stored);
            state.plans.put(ap.id(), ap);
        }
        for (Order o : r.ordersOfOpenPlans()) remember(o);
        for (Order o : r.openOrders()) remember(o);
        log.info("recovered {} open plans, {} working orders, {} positions, report sequence {}, order number {}",
                r.openPlans().size(), r.openOrders().size(), r.positions().size(), state.lastReportSequence, state.lastOrderSeqNo);
    }

    ActivePlan restorePlan(StoredPlan stored) {
        TradingPlan plan = storedPlan(stored.planId(), stored.planJson());
        PlanProgress progress = Json.read(stored.progressJson().text(), PlanProgress.class);
        ActivePlan ap = new ActivePlan(plan, stored.planJson(), stored.contentHash(), stored.receivedAt(), progress);
        ap.firstRowWritten = true;
        if (progress.state == PlanState.OPEN || progress.state == PlanState.EXITING) {
            ap.exitMonitor = ExitMonitor.restore(plan.direction(), progress.avgPrice, progress.firstFillAt,
                    ap.exitRules(), progress.bestPrice == null ? progress.avgPrice : progress.bestPrice);
        }
        if (plan.executionStrategy() == ExecutionStrategy.TWAP && progress.twapStart != null) {
            ap.twap = entries.twapFor(ap, progress.twapStart);
        }
        return ap;
    }

    private TradingPlan storedPlan(String planId, String json) {
        if (parser.parse(json) instanceof ParseResult.Parsed parsed) return parsed.plan();
        throw new IllegalStateException("stored plan " + planId + " no longer parses");
    }

    void remember(Order o) {
        state.orders.put(o);
        if (o.pendingRequest() != null) state.requestIds.put(o.pendingRequest(), o.clOrdId());
    }

    // ================================================================= intake

    void submit(TradingPlan plan, String planJson, CompletableFuture<TradingEngine.SubmitOutcome> answer) {
        tx.onRollback.add(() -> answer.complete(new TradingEngine.SubmitOutcome(500, plan.planId(), null, List.of(),
                "the plan could not be stored; nothing was sent")));
        MDC.put("plan_id", plan.planId());
        ActivePlan active = state.plans.get(plan.planId());
        Optional<StoredPlan> stored = active != null ? Optional.empty() : journal.findPlan(plan.planId());
        if (active != null || stored.isPresent()) {
            TradingPlan previous = active != null ? active.plan : storedPlan(plan.planId(), stored.get().planJson());
            String stateName = active != null ? active.state().wireName() : stored.get().state().wireName();
            if (plan.sameContentAs(previous)) {
                OpsLog.info(plan.planId(), currentOrder(plan.planId()), "re-sent with the same content: no new order (state {})", stateName);
                reply(answer, 200, plan.planId(), stateName, List.of(), "plan already accepted");
            } else {
                OpsLog.warn(plan.planId(), currentOrder(plan.planId()), "re-sent with different content: refused");
                reply(answer, 409, plan.planId(), stateName, List.of(), "plan_id " + plan.planId() + " was already used for a different plan");
            }
            return;
        }
        if (state.tradingState == TradingState.HALTED) {
            OpsLog.warn(plan.planId(), currentOrder(plan.planId()), "refused: kill switch engaged");
            reply(answer, 503, plan.planId(), null, List.of(), "kill switch engaged: no new plans until it is released");
            return;
        }
        if (state.tradingState == TradingState.REDUCING && !reducesPosition(plan.symbol(), plan.direction())) {
            OpsLog.warn(plan.planId(), currentOrder(plan.planId()), "refused: trading state reducing");
            reply(answer, 503, plan.planId(), null, List.of(), "trading state reducing: only plans that reduce the position in "
                    + plan.symbol() + " are accepted");
            return;
        }
        Instant now = clock.instant();
        ActivePlan ap = new ActivePlan(plan, planJson, sha256(planJson), now, new PlanProgress());
        List<PlanIssue> issues = new ArrayList<>(validator.validate(plan, validationContext(now)));
        preferredVenuesIssue(plan).ifPresent(issues::add);
        Optional<PlanIssue> unpriced = issues.isEmpty() ? noMarketPriceIssue(plan) : Optional.empty();
        if (unpriced.isPresent() && firstPricesOnTheirWay(plan.symbol())) {
            // Just after a logon the subscription is out but its first prices are not in: a transient refusal that does
            // not use up the plan_id (the client retries).
            OpsLog.info(plan.planId(), currentOrder(plan.planId()), "refused for now: no price for {} yet, its market data "
                    + "subscription is under {} old", plan.symbol(), FIRST_PRICES_WAIT);
            String why = "no market price for " + plan.symbol() + " yet: its market data subscription was just sent; retry shortly";
            reply(answer, 503, plan.planId(), null, List.of(new PlanIssue("no_market_price_yet", "symbol", why)), why);
            return;
        }
        unpriced.ifPresent(issues::add);
        if (!issues.isEmpty()) {
            String why = issues.stream().map(i -> i.code() + ": " + i.message()).collect(Collectors.joining("; "));
            OpsLog.warn(plan.planId(), currentOrder(plan.planId()), "invalid: {}", why);
            ap.moveTo(PlanState.FAILED, "validation: " + why);
            ap.progress.reason = why;
            storePlan(ap);
            emit(reports.validationFailed(ap.plan, issues, state.positions.get(plan.symbol()), state.price(plan.symbol()).orElse(null)));
            reply(answer, 422, plan.planId(), PlanState.FAILED.wireName(), issues, why);
            return;
        }
        state.plans.put(plan.planId(), ap);
        OpsLog.info(plan.planId(), currentOrder(plan.planId()), "validated: {} {} {}% of equity via {}{}{}{}{}",
                plan.direction().wireName(), plan.symbol(), plan.positionSize().toPlainString(),
                plan.executionStrategy().wireName(), plan.venuePreferences().isEmpty() ? "" : ", venues ",
                plan.venuePreferences().isEmpty() ? "" : plan.venuePreferences(),
                plan.executionNotes() == null ? "" : ", notes: ", plan.executionNotes() == null ? "" : plan.executionNotes());
        if (!plan.entryConditions().isEmpty()) {
            // A new plan's progress starts PENDING_ENTRY: it stays there until its entry conditions hold.
            OpsLog.info(plan.planId(), currentOrder(plan.planId()), "waiting for entry conditions {}", plan.entryConditions());
            storePlan(ap);
            entries.evaluateEntry(ap);
        } else {
            entries.startEntry(ap, "no entry conditions");
            String why = ap.progress.reason;
            if (ap.state() == PlanState.FAILED && why != null && why.startsWith("risk_")) {
                // Refused up front by the risk gate: the plan is answered 422 (its failed report is already emitted).
                String code = why.substring(0, why.indexOf(':'));
                reply(answer, 422, plan.planId(), PlanState.FAILED.wireName(), List.of(new PlanIssue(code, "position_size",
                        why.substring(why.indexOf(':') + 2))), why);
                return;
            }
        }
        reply(answer, 202, plan.planId(), ap.state().wireName(), List.of(), "accepted");
    }

    /**
     * The symbol is tradeable somewhere, but not at any venue the plan allows: as business-invalid as a symbol listed
     * nowhere (422), so the Decision Maker hears it at once rather than from a failed routing.
     */
    private Optional<PlanIssue> preferredVenuesIssue(TradingPlan plan) {
        if (plan.venuePreferences().isEmpty() || !state.tradeableSymbols().contains(plan.symbol())) return Optional.empty();
        boolean noKnownVenue = plan.venuePreferences().stream().noneMatch(state.sessions::containsKey);
        if (noKnownVenue) return Optional.empty(); // the validator already says so
        boolean listed = plan.venuePreferences().stream()
                .anyMatch(v -> state.sessionUp(v) && state.instrument(v, plan.symbol()).isPresent());
        if (listed) return Optional.empty();
        return Optional.of(new PlanIssue("not_tradeable", "venue_preferences", "symbol " + plan.symbol()
                + " is not listed by any connected preferred venue " + plan.venuePreferences()
                + " (each of them is down or does not list it)"));
    }

    /** How long after a subscription a symbol without a price is "prices on their way" (503) rather than unpriced (422). */
    static final Duration FIRST_PRICES_WAIT = Duration.ofSeconds(10);

    /** A logged-on session was subscribed to the symbol less than {@link #FIRST_PRICES_WAIT} ago. */
    private boolean firstPricesOnTheirWay(String symbol) {
        Instant now = clock.instant();
        for (Map.Entry<String, Set<String>> e : state.subscribed.entrySet()) {
            Instant at = state.subscribedAt.get(e.getKey());
            if (state.sessionUp(e.getKey()) && e.getValue().contains(symbol) && at != null
                    && now.isBefore(at.plus(FIRST_PRICES_WAIT))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A plan that needs a market price (to size a market or TWAP entry, to check entry conditions, to watch a stop
     * loss, take profit or price exit) when no session gives one for its symbol: refused now, with the reason, rather
     * than accepted and failed a moment later. A limit plan without such needs is sized on its entry_price.
     */
    private Optional<PlanIssue> noMarketPriceIssue(TradingPlan plan) {
        if (markPrice(plan.symbol()).isPresent()) return Optional.empty();
        List<String> needs = new ArrayList<>();
        if (plan.executionStrategy() != ExecutionStrategy.LIMIT) {
            needs.add("a " + plan.executionStrategy().wireName() + " entry is sized and priced on it");
        }
        if (!plan.entryConditions().isEmpty()) needs.add("entry_conditions are checked on it");
        if (plan.stopLoss() != null || plan.takeProfit() != null || plan.exitConditions().needsPrice()) {
            needs.add("its exits watch it");
        }
        if (needs.isEmpty()) return Optional.empty();
        List<String> feeds = state.sessions.keySet().stream().filter(v -> state.capabilities(v).marketDataRequest()).toList();
        return Optional.of(new PlanIssue("no_market_price", "symbol", "no session provides a market price for "
                + plan.symbol() + " (" + String.join(", ", needs) + "); market-data sessions: "
                + (feeds.isEmpty() ? "none configured (MarketDataRequest=N everywhere)" : feeds)));
    }

    private void reply(CompletableFuture<TradingEngine.SubmitOutcome> answer, int status, String planId, String state,
                       List<PlanIssue> issues, String message) {
        TradingEngine.SubmitOutcome outcome = new TradingEngine.SubmitOutcome(status, planId, state, issues, message);
        tx.effect(() -> answer.complete(outcome));
    }

    private ValidationContext validationContext(Instant now) {
        return ValidationContext.of(now, state.tradeableSymbols(), state.sessions.keySet(), state::price);
    }

    void cancelPlan(String planId, String why, CompletableFuture<TradingEngine.SubmitOutcome> answer) {
        MDC.put("plan_id", planId);
        ActivePlan ap = state.plans.get(planId);
        if (ap == null) {
            Optional<StoredPlan> stored = journal.findPlan(planId);
            if (stored.isEmpty()) {
                reply(answer, 404, planId, null, List.of(), "no plan " + planId);
            } else {
                String storedState = stored.get().state().wireName();
                reply(answer, 409, planId, storedState, List.of(), "plan " + planId + " is already " + storedState);
            }
            return;
        }
        if (ap.state() != PlanState.PENDING_ENTRY && ap.state() != PlanState.WORKING) {
            reply(answer, 409, planId, ap.state().wireName(), List.of(),
                    "plan " + planId + " has no pending entry or working entry orders (state " + ap.state().wireName() + ")");
            return;
        }
        requestCancel(ap, why, true);
        reply(answer, 202, planId, ap.state().wireName(), List.of(), ap.state().isTerminal() ? "cancelled" : "cancel requested");
    }

    /** Cancels a pending entry at once, or asks the venues to cancel the working entry orders. */
    private void requestCancel(ActivePlan ap, String why, boolean byOperator) {
        PlanProgress p = ap.progress;
        if (p.state == PlanState.PENDING_ENTRY) {
            OpsLog.info(ap.id(), currentOrder(ap.id()), "cancelled while waiting for entry: {}", why);
            endPlan(ap, PlanState.CANCELLED, why);
            emit(reports.terminal(inputFor(ap, Leg.ENTRY, null, ExecReport.Status.CANCELLED, why)));
            return;
        }
        p.cancelRequested = true;
        p.stopEntry = true;
        p.reason = why;
        boolean anyWorking = false;
        for (Order o : ordersOf(ap, Leg.ENTRY)) {
            if (o.status().isWorking()) {
                anyWorking = true;
                if (byOperator) sendCancelNow(o, why);
                else sendCancel(o, why);
            }
        }
        storePlan(ap);
        if (!anyWorking) entries.finishEntryIfDone(ap);
    }

    void killSwitch(boolean engaged, CompletableFuture<Boolean> answer) {
        tradingState(engaged ? TradingState.HALTED : TradingState.ACTIVE, new CompletableFuture<>());
        tx.effect(() -> answer.complete(engaged));
    }

    /**
     * Sets and stores the trading state. HALTED (the kill switch) cancels every pending entry and working entry order;
     * REDUCING cancels those that would add to their symbol's position; exits are always left to finish (they reduce risk).
     */
    void tradingState(TradingState wanted, CompletableFuture<TradingState> answer) {
        TradingState before = state.tradingState;
        state.tradingState = wanted;
        tx.onRollback.add(() -> state.tradingState = before);
        write(new JournalWrite.PutTradingState(wanted, clock.instant()));
        switch (wanted) {
            case HALTED -> log.warn("KILL SWITCH ENGAGED (trading state halted): cancelling every pending entry and working order, "
                    + "refusing new plans");
            case REDUCING -> log.warn("trading state reducing: cancelling entries that add to a position, accepting only plans that "
                    + "reduce one");
            case ACTIVE -> log.warn("trading state active{}: accepting plans again",
                    before == TradingState.HALTED ? " (kill switch released)" : "");
        }
        if (wanted != TradingState.ACTIVE) {
            for (ActivePlan ap : new ArrayList<>(state.plans.values())) {
                MDC.put("plan_id", ap.id());
                boolean entry = ap.state() == PlanState.PENDING_ENTRY || ap.state() == PlanState.WORKING;
                if (entry && (wanted == TradingState.HALTED || !reducesPosition(ap.plan.symbol(), ap.plan.direction()))) {
                    requestCancel(ap, wanted == TradingState.HALTED ? "kill switch engaged" : "trading state reducing", false);
                } else if (ap.state() == PlanState.EXITING) {
                    OpsLog.warn(ap.id(), currentOrder(ap.id()), "exit left working under trading state {} (it reduces risk)",
                            wanted.wireName());
                }
            }
        }
        tx.effect(() -> {
            committedTradingState = wanted;
            answer.complete(wanted);
        });
    }

    /** The trading state as last committed, for readers off the engine thread ({@code /health}, {@code /metrics}). */
    private volatile TradingState committedTradingState = TradingState.ACTIVE;

    TradingState committedTradingState() {
        return committedTradingState;
    }

    /** An entry in this direction would reduce the symbol's current position (a buy against a short, a sell against a long). */
    private boolean reducesPosition(String symbol, Direction direction) {
        int held = state.positions.get(symbol).quantity().signum();
        return direction == Direction.LONG ? held < 0 : held > 0;
    }

    // ================================================================= routing and orders (entry leg: see Entries)

    VenueRanking rank(TradingPlan plan, Side side, BigDecimal qty, Collection<String> exclude) {
        BigDecimal expected = markPrice(plan.symbol()).orElse(plan.entryPrice());
        return rank(plan.symbol(), expected, side,
                new OrderRequirements(qty, plan.maxSlippage(), plan.maxLatencyMs(), plan.venuePreferences()), exclude);
    }

    VenueRanking rank(String symbol, BigDecimal expected, Side side, OrderRequirements requirements,
                      Collection<String> exclude) {
        List<VenueCandidate> candidates = new ArrayList<>();
        for (String venue : state.sessions.keySet()) {
            if (exclude.contains(venue) || !state.routable(venue)) continue;
            BigDecimal depth = expected == null ? BigDecimal.ZERO
                    : state.market.symbol(symbol).depthWithin(venue, side, expected, requirements.maxSlippage());
            VenueStats stats = state.venueStats.get(venue);
            candidates.add(new VenueCandidate(venue, state.sessionUp(venue), state.instrument(venue, symbol).isPresent(),
                    depth, stats, stats.evidenceWeight(clock.instant(), settings.venueStatsHalfLife())));
        }
        return new VenueSelector().rankExplained(candidates, requirements);
    }

    ClOrdId clOrdIdOf(long seq) {
        return new ClOrdId(journal.clOrdIdPrefix() + "-" + seq);
    }

    /** The plan's current (latest) order, named by plan-level ops lines; null before it has one. */
    ClOrdId currentOrder(String planId) {
        return state.orders.latestOf(planId);
    }

    /**
     * Stores order number {@code seq} (from {@code ++state.lastOrderSeqNo}) and sends it once committed. The order is made
     * to fit its venue first ({@link VenueOrderTerms}): a MARKET order at a venue without MARKET is stored and sent as
     * a marketable LIMIT capped by the plan's {@code max_slippage}; the time in force is kept as wanted and mapped to
     * one the venue takes when sent.
     */
    Optional<RiskDenial> newOrder(ActivePlan ap, long seq, Leg leg, VenueScore venue, Side side, BigDecimal qty, OrderType type,
                  BigDecimal limit, TimeInForce tif, Instant expire, int slice, BigDecimal expectedPrice) {
        ClOrdId id = clOrdIdOf(seq);
        Instant now = clock.instant();
        VenueCapabilities caps = state.capabilities(venue.venue());
        String adapted = "";
        String refused = null;
        if (type == OrderType.MARKET && !caps.takes(OrderType.MARKET)) {
            BigDecimal price = markPrice(ap.plan.symbol()).orElse(expectedPrice);
            BigDecimal tick = state.instrument(venue.venue(), ap.plan.symbol()).or(() -> state.instrument(ap.plan.symbol()))
                    .map(Instrument::tickSize).orElse(new BigDecimal("0.01"));
            if (price == null) {
                refused = "not sent: " + venue.venue() + " takes no MARKET orders and there is no price to cap a limit at";
            } else {
                type = OrderType.LIMIT;
                limit = VenueOrderTerms.marketableLimit(side, price, ap.plan.maxSlippage(), tick);
                adapted = " (a marketable limit: " + venue.venue() + " takes no MARKET orders)";
            }
        } else if (type == OrderType.LIMIT && !caps.takes(OrderType.LIMIT)) {
            refused = "not sent: " + venue.venue() + " takes no LIMIT orders (OrderTypes=" + caps.orderTypes() + ")";
        }
        if (refused == null) {
            Optional<RiskDenial> denial = risk.check(new OrderIntent(ap.plan.symbol(), side, qty, limit, leg == Leg.EXIT), exposure());
            if (denial.isPresent()) {
                riskDenied(ap.id(), id, leg.wireName() + " order of " + qty.toPlainString() + " " + ap.plan.symbol() + " to "
                        + venue.venue(), denial.get());
                return denial;
            }
        }
        TimeInForce wire = VenueOrderTerms.wireTif(caps, tif);
        if (wire != tif) {
            adapted += " (sent as " + wire + (VenueOrderTerms.emulatesImmediate(caps, tif) ? ": the gateway cancels what rests"
                    : tif == TimeInForce.GTD ? ": the gateway cancels it at its expiry" : "") + ")";
        }
        Order order = new Order(new Order.Origin(id, seq, ap.id(), leg, slice, venue.venue(), expectedPrice, venue.total(), now),
                new Order.Terms(ap.plan.symbol(), side, type, tif, qty, limit, expire), Order.Progress.pendingNew(now));
        state.orders.put(order);
        tx.writes.add(new JournalWrite.PutOrder(order));
        // One line for the order (its TWAP slice included); the send itself is DEBUG unless it waited for the order rate.
        if (slice > 0 && ap.twap != null) {
            OpsLog.info(ap.id(), id, "new {} order (TWAP slice {}/{}): {} {} {} {}{}{} tif {} to {}{}", leg.wireName(), slice,
                    ap.twap.sliceCount(), side.wireName(), qty.toPlainString(), ap.plan.symbol(), type.wireName(),
                    limit == null ? "" : " ", limit == null ? "" : limit.toPlainString(), tif, venue.venue(), adapted);
        } else {
            OpsLog.info(ap.id(), id, "new {} order: {} {} {} {}{}{} tif {} to {}{}", leg.wireName(), side.wireName(),
                    qty.toPlainString(), ap.plan.symbol(), type.wireName(), limit == null ? "" : " ",
                    limit == null ? "" : limit.toPlainString(), tif, venue.venue(), adapted);
        }
        if (refused != null) {
            String why = refused;
            // Not a venue answer: the venue learns nothing, and the plan fails over like after a reject.
            tx.afterCommit(() -> notSent(id, why));
            return Optional.empty();
        }
        // Write-ahead: the order row is committed before the NewOrderSingle leaves.
        tx.afterCommit(() -> transmit(id));
        return Optional.empty();
    }

    /** A risk denial: one ops line, counted by code. What it means for the plan is its caller's. */
    void riskDenied(String planId, ClOrdId id, String what, RiskDenial denial) {
        riskDenials.computeIfAbsent(denial.code(), k -> new LongAdder()).increment();
        OpsLog.warn(planId, id, "RISK DENIED {}: {}", what, denial);
    }

    Map<String, Long> riskDenials() {
        Map<String, Long> out = new TreeMap<>();
        riskDenials.forEach((code, n) -> out.put(code, n.sum()));
        return out;
    }

    /** The gateway's holdings and working orders, valued at the market, as the risk gate sees them. */
    private Exposure exposure() {
        return new Exposure() {
            @Override
            public Optional<BigDecimal> price(String symbol) {
                return markPrice(symbol);
            }

            @Override
            public BigDecimal position(String symbol) {
                return state.positions.get(symbol).quantity();
            }

            @Override
            public BigDecimal working(String symbol) {
                return state.orders.leaves(symbol).net();
            }

            @Override
            public BigDecimal grossNotional() {
                Map<String, BigDecimal> bySymbol = new HashMap<>();
                for (Position p : state.positions.all()) bySymbol.merge(p.symbol(), p.quantity().abs(), BigDecimal::add);
                state.orders.leavesBySymbol().forEach((symbol, leaves) -> bySymbol.merge(symbol, leaves.gross(), BigDecimal::add));
                BigDecimal gross = BigDecimal.ZERO;
                for (Map.Entry<String, BigDecimal> e : bySymbol.entrySet()) {
                    Optional<BigDecimal> px = markPrice(e.getKey());
                    if (px.isPresent()) gross = gross.add(e.getValue().multiply(px.get()));
                }
                return gross;
            }

            @Override
            public int openOrders() {
                return state.orders.working().size();
            }
        };
    }

    private void transmit(ClOrdId id) {
        transmit(id, false);
    }

    /** @param queueHead the order leaves the rate-limit queue (orders behind it do not hold it back) */
    private void transmit(ClOrdId id, boolean queueHead) {
        Order order = state.orders.get(id);
        if (order == null || order.status() != OrderStatus.PENDING_NEW || order.venueOrderId() != null) return;
        MDC.put("plan_id", order.planId());
        MDC.put("cl_ord_id", id.value());
        // Stamped before the send: a fast venue's ack (stamped on the FIX thread) can otherwise predate it.
        Instant sendTime = clock.instant();
        boolean queued = !queueHead && state.rateWaiting.values().stream().anyMatch(w -> w.venue().equals(order.venue()));
        if (queued || !rate.tryAcquire(order.venue(), sendTime)) {
            // Over the venue's order rate: it waits its turn (in order), never a burst; refused if it waits too long.
            if (state.rateWaiting.putIfAbsent(id, new EngineState.RateWait(id, order.venue(), sendTime)) == null) {
                OpsLog.info(order.planId(), id, "waiting for the order rate of {} ({} a second)", order.venue(),
                        settings.risk().maxOrdersPerSecond());
            }
            return;
        }
        state.rateWaiting.remove(id);
        TimeInForce wire = wireTif(order);
        Instant expire = wire != TimeInForce.GTD ? null
                : order.expireTime() != null ? order.expireTime() : order.createdAt().plus(Duration.ofDays(1));
        OrderCommand.NewOrder command = new OrderCommand.NewOrder(order.venue(), id, order.symbol(), order.side(), order.type(),
                order.quantity(), order.limitPrice(), wire, expire, sendTime);
        if (venues.accepts(command)) {
            // It leaves once its row is durable; a session that goes down before that hands it back, not sent.
            String venue = order.venue();
            tx.effect(() -> {
                if (!venues.send(command)) {
                    handBack.accept(() -> onOrderNotSent(id, "not sent: FIX session to " + venue + " went down before it left"));
                }
            });
            Order stamped = order.withSent(sendTime);
            state.orders.put(stamped);
            if (queueHead) {
                OpsLog.info(order.planId(), id, "sent NewOrderSingle to {} (it waited for the order rate)", order.venue());
            } else {
                OpsLog.debug(order.planId(), id, "sent NewOrderSingle to {}", order.venue());
            }
        } else {
            OpsLog.warn(order.planId(), id, "not sent: FIX session to {} is not logged on", order.venue());
            notSent(id, "not sent: FIX session to " + order.venue() + " is down");
        }
    }

    /** The FIX adapter took the order but it never left (its session went down first). */
    void onOrderNotSent(ClOrdId id, String why) {
        Order order = state.orders.get(id);
        if (order == null || order.status() != OrderStatus.PENDING_NEW) return;
        OpsLog.warn(order.planId(), id, "{}", why);
        notSent(id, why);
    }

    /** An order that never left: rejected without a venue answer, and its plan fails over or ends. */
    private void notSent(ClOrdId id, String why) {
        Order order = state.orders.get(id);
        if (order == null || order.status() != OrderStatus.PENDING_NEW) return;
        MDC.put("plan_id", order.planId());
        MDC.put("cl_ord_id", id.value());
        Order rejected = order.withStatus(OrderStatus.REJECTED, why);
        state.orders.put(rejected);
        tx.writes.add(new JournalWrite.PutOrder(rejected));
        ActivePlan ap = state.plans.get(order.planId());
        if (ap != null) entries.onOrderRejected(ap, rejected, rejected.text(), false);
    }

    // ================================================================= venue events

    void onSessionState(String venue, boolean up) {
        Boolean before = state.sessions.put(venue, up);
        if (!up && Boolean.TRUE.equals(before)) log.warn("venue {} session down: it is excluded from routing", venue);
        state.subscribed.remove(venue);
        if (!up) state.market.clearVenue(venue); // its quotes are stale until the next snapshot
        if (up) {
            VenueCapabilities caps = state.capabilities(venue);
            // Reconcile: any order at this venue whose outcome we do not know is asked about, never assumed.
            for (Order o : new ArrayList<>(state.orders.working())) {
                if (o.venue().equals(venue)) {
                    if (!askStatus(o, "reconciling " + o.status() + " order with " + venue + " after logon")) {
                        OpsLog.warn(o.planId(), o.clOrdId(), "{} order at {} cannot be reconciled after logon: the venue "
                                + "takes no OrderStatusRequest; it stays {} until the venue reports on it", o.status(), venue,
                                o.status());
                    }
                }
            }
            // Without a SecurityList, what the venue trades is its configured Instruments (or, for a market-data
            // session that lists nothing, every symbol the routable venues trade).
            subscribeMarketData(venue, !caps.securityListRequest());
            // A blocked exit may go through now.
            for (ActivePlan ap : state.plans.values()) {
                if (ap.state() == PlanState.OPEN && caps.routeOrders()) exits.retryBlockedExit(ap, true);
            }
        }
    }

    /**
     * Asks the venue for an order's status, unless it takes no OrderStatusRequest (configured, or it refused one in
     * this run) or the order has had {@value #MAX_STATUS_REQUESTS} already; false when nothing was sent.
     */
    boolean askStatus(Order o, String why) {
        VenueCapabilities caps = state.capabilities(o.venue());
        if (!caps.orderStatusRequest() || state.statusRequestsRefused.contains(o.venue())) return false;
        int asked = state.statusRequests.getOrDefault(o.clOrdId(), 0);
        if (asked >= MAX_STATUS_REQUESTS) return false;
        state.statusRequests.put(o.clOrdId(), asked + 1);
        state.statusAsked.put(o.clOrdId(), clock.instant());
        OpsLog.info(o.planId(), o.clOrdId(), "{}: OrderStatusRequest {} of {} to {}", why, asked + 1, MAX_STATUS_REQUESTS, o.venue());
        tx.effect(() -> venues.send(new OrderCommand.StatusRequest(o.venue(), o.clOrdId(), o.symbol(), o.side())));
        return true;
    }

    /** Most OrderStatusRequests one order gets in a run: a venue that never answers is not asked for ever. */
    static final int MAX_STATUS_REQUESTS = 5;

    void onInstruments(String venue, List<Instrument> listed) {
        Map<String, Instrument> bySymbol = new LinkedHashMap<>();
        state.capabilities(venue).instruments().forEach(i -> bySymbol.put(i.symbol(), i));
        listed.forEach(i -> bySymbol.put(i.symbol(), i)); // the venue's own list wins for lot and tick
        state.instruments.put(venue, bySymbol);
        log.info("venue {} lists {}", venue, bySymbol.keySet());
        for (ActivePlan ap : state.plans.values()) {
            // A TWAP restored at start-up was scheduled before any venue had listed its lot size.
            if (ap.twap != null && bySymbol.containsKey(ap.plan.symbol())) ap.twap = entries.twapFor(ap, ap.progress.twapStart);
        }
        subscribeMarketData(venue, false);
        // Market-data sessions that list nothing of their own follow what the routable venues trade.
        for (String other : state.sessions.keySet()) {
            if (!other.equals(venue) && state.sessionUp(other) && !state.capabilities(other).securityListRequest()
                    && state.instruments.getOrDefault(other, Map.of()).isEmpty()) {
                subscribeMarketData(other, true);
            }
        }
    }

    /**
     * Subscribes a venue's session to market data (35=V) for the symbols it trades that it is not yet subscribed to;
     * nothing for a venue with {@code MarketDataRequest=N}. A venue that lists nothing is subscribed to every symbol a
     * routable venue trades when {@code orAllKnown} (a market-data-only session without a SecurityList).
     */
    private void subscribeMarketData(String venue, boolean orAllKnown) {
        if (!state.capabilities(venue).marketDataRequest() || !state.sessionUp(venue)) return;
        Set<String> symbols = new TreeSet<>(state.instruments.getOrDefault(venue, Map.of()).keySet());
        if (symbols.isEmpty() && orAllKnown) {
            state.instruments.forEach((v, listed) -> {
                if (state.routable(v)) symbols.addAll(listed.keySet());
            });
        }
        symbols.removeAll(state.subscribed.getOrDefault(venue, Set.of()));
        if (symbols.isEmpty()) return;
        state.subscribed.computeIfAbsent(venue, v -> new HashSet<>()).addAll(symbols);
        state.subscribedAt.put(venue, clock.instant());
        String requestId = "MD-" + venue + "-" + clock.millis();
        tx.effect(() -> venues.send(new OrderCommand.SubscribeMarketData(venue, requestId, List.copyOf(symbols))));
    }

    /** Market-data facts about symbols nobody asked for, dropped (written on the engine thread, read by any). */
    private final LongAdder ignoredMarketData = new LongAdder();

    void onMarketData(MarketDataEvent event) {
        if (!state.expectsMarketData(event.venue(), event.symbol())) {
            ignoredMarketData.increment();
            long dropped = ignoredMarketData.sum();
            if (isPowerOfTen(dropped)) {
                log.warn("market data from {} about {}, a symbol the gateway neither asked it for nor knows: dropped "
                        + "({} such facts so far)", event.venue(), event.symbol(), dropped);
            }
            return;
        }
        state.market.apply(event);
        String symbol = event.symbol();
        Instant now = clock.instant();
        Optional<BigDecimal> price = state.price(symbol);
        // Only plans waiting for their entry or watching their exits look at prices: not the (many, under load) plans
        // whose orders are working. Picked first, as the steps below may end plans.
        List<ActivePlan> watching = new ArrayList<>();
        for (ActivePlan ap : state.plans.values()) {
            if (ap.plan.symbol().equals(symbol) && (ap.state() == PlanState.PENDING_ENTRY || ap.state() == PlanState.OPEN)) {
                watching.add(ap);
            }
        }
        for (ActivePlan ap : watching) {
            MDC.put("plan_id", ap.id());
            if (ap.state() == PlanState.PENDING_ENTRY) {
                entries.evaluateEntry(ap);
            } else if (ap.state() == PlanState.OPEN && ap.exitMonitor != null && price.isPresent()) {
                BigDecimal bestBefore = ap.exitMonitor.bestPrice();
                Optional<ExitSignal> signal = ap.exitMonitor.onPrice(price.get(), now);
                if (signal.isPresent()) {
                    exits.startExit(ap, signal.get(), price.get());
                } else if (bestBefore.compareTo(ap.exitMonitor.bestPrice()) != 0) {
                    ap.progress.bestPrice = ap.exitMonitor.bestPrice();
                    storePlan(ap);
                }
            }
        }
    }

    long ignoredMarketData() {
        return ignoredMarketData.sum();
    }

    /** 1, 10, 100, ...: when a repeated drop is logged again (a few lines however long it goes on). */
    private static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) n /= 10;
        return n == 1;
    }

    /** A venue's ExecutionReport (35=8): see {@link VenueEvents}. */
    void onExecutionReport(VenueExecutionReport r) {
        venueEvents.onExecutionReport(r);
    }

    /** A venue's OrderCancelReject (35=9): see {@link VenueEvents}. */
    void onCancelReject(VenueCancelReject reject) {
        venueEvents.onCancelReject(reject);
    }

    /** The venue refused our OrderStatusRequest for an order: see {@link VenueEvents}. */
    void onStatusRequestRefused(String venue, ClOrdId clOrdId, String reason) {
        venueEvents.onStatusRequestRefused(venue, clOrdId, reason);
    }

    /** How many venue ExecutionReports were ignored, by reason (thread-safe snapshot). */
    Map<String, Long> ignoredReports() {
        return venueEvents.ignoredReports();
    }

    // ================================================================= reports

    ReportInput inputFor(ActivePlan ap, Leg leg, Order order, ExecReport.Status status, String error) {
        PlanProgress p = ap.progress;
        String symbol = ap.plan.symbol();
        boolean entry = leg == Leg.ENTRY;
        ReportInput.LegFigures figures = new ReportInput.LegFigures(
                entry ? ap.plan.direction().entrySide() : ap.plan.direction().exitSide(),
                entry ? p.avgPrice : p.exitAvgPrice, entry ? p.filledQty : p.exitFilledQty,
                entry ? p.targetQty : p.exitTargetQty != null ? p.exitTargetQty : p.exitFilledQty,
                entry ? p.expectedPrice : p.exitExpectedPrice,
                order != null && order.latencyMs() != null ? order.latencyMs() : (entry ? p.latencyMs : null),
                order != null ? order.venue() : p.venue, order != null ? order.venueScore() : p.venueScore);
        ReportInput.Holding holding = new ReportInput.Holding(state.positions.get(symbol), markPrice(symbol).orElse(null),
                entry ? BigDecimal.ZERO : null);
        return new ReportInput(ap.plan, leg, entry ? null : p.exitReason, status, order, figures, holding, error,
                p.triggeredAt == null ? null : waitForEntry(ap.receivedAt, p.triggeredAt), null);
    }

    /**
     * Receipt to trigger. Never negative: a plan reloaded from the database has its receipt time at the column's precision
     * (microseconds), its trigger time at the clock's, so the same instant can read a few nanoseconds apart.
     */
    private static Duration waitForEntry(Instant received, Instant triggered) {
        Duration wait = Duration.between(received, triggered);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    void emit(ExecReport unsequenced) {
        long sequence = ++state.lastReportSequence;
        ExecReport report = ReportFactory.withSequence(unsequenced, sequence);
        JsonText json = JsonText.later(report);
        tx.writes.add(new JournalWrite.PutReport(sequence, report.reportId(), report.planId(), report.clOrdId(),
                report.status(), report.createdAt(), json));
        tx.onRollback.add(() -> state.lastReportSequence = Math.min(state.lastReportSequence, sequence - 1));
        tx.afterCommit(() -> {
            Object orderId = report.clOrdId() != null ? report.clOrdId() : currentOrder(report.planId());
            OpsLog.info(report.planId(), orderId, "exec-report #{} {} {} {} @ {} (slippage {}, latency {} ms, adherence {})",
                    report.sequence(), report.leg(), report.status(), plain(report.executedQuantity()),
                    plain(report.executedPrice()), plain(report.slippage()),
                    report.latencyMs() == null ? "-" : report.latencyMs(), fmt(report.adherenceScore()));
        });
        tx.effect(() -> publisher.publish(report, json));
    }

    // ================================================================= plan completion

    static String describeEnd(Order last) {
        if (last == null) return "no order was sent";
        String venueText = last.text() == null ? "" : " (" + last.text() + ")";
        return switch (last.status()) {
            case EXPIRED -> "order " + last.clOrdId() + " expired at " + last.venue() + venueText;
            case CANCELED -> "order " + last.clOrdId() + " cancelled by " + last.venue() + venueText;
            case REJECTED -> "order " + last.clOrdId() + " rejected by " + last.venue() + venueText;
            default -> "order " + last.clOrdId() + " ended " + last.status() + venueText;
        };
    }

    void failPlan(ActivePlan ap, Order order, String why) {
        OpsLog.warn(ap.id(), currentOrder(ap.id()), "failed: {}", why);
        endPlan(ap, PlanState.FAILED, why);
        emit(reports.terminal(inputFor(ap, Leg.ENTRY, order, ExecReport.Status.FAILED, why)));
    }

    /**
     * Ends the plan in {@code terminal} when the table allows it from where it is; a refused end (logged with
     * {@code why}) leaves the plan as it is, in memory and watched, and returns false.
     */
    boolean endPlan(ActivePlan ap, PlanState terminal, String why) {
        return endPlan(ap, terminal, why, null);
    }

    /**
     * As {@link #endPlan(ActivePlan, PlanState, String)}, with its own done line: {@code donePattern} starts
     * {@code "done: {}"} (the terminal state), {@code args} fill the rest.
     */
    boolean endPlan(ActivePlan ap, PlanState terminal, String why, String donePattern, Object... args) {
        if (!ap.moveTo(terminal, "end " + terminal.wireName() + (why == null ? "" : ": " + why))) return false;
        if (why != null) ap.progress.reason = why;
        ap.exitMonitor = null;
        storePlan(ap);
        if (donePattern != null) OpsLog.info(ap.id(), currentOrder(ap.id()), donePattern, withFirst(terminal.wireName(), args));
        else if (why == null) OpsLog.info(ap.id(), currentOrder(ap.id()), "done: {}", terminal.wireName());
        else OpsLog.info(ap.id(), currentOrder(ap.id()), "done: {} ({})", terminal.wireName(), why);
        state.plans.remove(ap.id());
        tx.onRollback.add(() -> state.plans.putIfAbsent(ap.id(), ap));
        return true;
    }

    // ================================================================= timers

    /** The engine's timer tick (every 250 ms): see {@link Timers}. */
    void onTick() {
        releaseRateWaiting();
        timers.onTick();
        int flags = 0;
        for (ActivePlan ap : state.plans.values()) flags += ap.progress.attention.size();
        needingAttention = flags;
    }

    /** Orders held back by the rate limit go in order as the rate allows; one that waited too long is refused. */
    private void releaseRateWaiting() {
        if (state.rateWaiting.isEmpty()) return;
        Instant now = clock.instant();
        Map<String, Integer> slots = new HashMap<>();
        for (EngineState.RateWait w : new ArrayList<>(state.rateWaiting.values())) {
            int free = slots.computeIfAbsent(w.venue(), v -> rate.available(v, now));
            if (free > 0) {
                slots.put(w.venue(), free - 1);
                afterCommit(() -> transmit(w.id(), true));
            } else if (Duration.between(w.since(), now).toMillis() > settings.risk().maxRateWaitMs()) {
                state.rateWaiting.remove(w.id());
                RiskDenial denial = new RiskDenial(RiskDenial.RATE, "waited " + Duration.between(w.since(), now).toMillis()
                        + " ms for the order rate of " + w.venue() + " (" + settings.risk().maxOrdersPerSecond() + " a second)");
                Order o = state.orders.get(w.id());
                if (o != null) {
                    riskDenied(o.planId(), w.id(), "order to " + w.venue(), denial);
                    afterCommit(() -> notSent(w.id(), denial.toString()));
                }
            }
        }
    }

    /** Operator flags on open plans (refused cancels, unknown outcomes, blocked exits), as of the last tick. */
    private volatile int needingAttention;

    int needingAttention() {
        return needingAttention;
    }

    // ================================================================= cancels

    /** Cancel request ids are {@code <ClOrdID>-C<n>}; a venue names a cancelled order by it from then on. */
    private static final Pattern CANCEL_REQUEST_ID = Pattern.compile("(.+)-C\\d+");

    /** The order a cancel request id of ours ({@link #sendCancel}) was for, if {@code id} is one. */
    static Optional<ClOrdId> cancelledOrderOf(ClOrdId id) {
        var m = CANCEL_REQUEST_ID.matcher(id.value());
        return m.matches() ? Optional.of(new ClOrdId(m.group(1))) : Optional.empty();
    }

    /** Most OrderCancelRequests one order gets: a venue that refuses them is not asked again in a loop. */
    static final int MAX_CANCEL_ATTEMPTS = 3;
    /** Wait after the first cancel before a second; doubled for each further attempt. */
    static final Duration CANCEL_BACKOFF = Duration.ofSeconds(2);

    /**
     * Asks the order's venue to cancel it, unless a request is already in flight, the venue takes no
     * OrderCancelRequest, the order had {@value #MAX_CANCEL_ATTEMPTS} already, or the back-off since the last one has
     * not passed. An order that cannot be cancelled is left to its time in force and flagged for an operator (once).
     *
     * @return true when a cancel request was sent
     */
    boolean sendCancel(Order order, String why) {
        return sendCancel(order, why, false);
    }

    /** A cancel an operator asked for (through the API): no back-off and no cap, but never to a venue without 35=F. */
    boolean sendCancelNow(Order order, String why) {
        return sendCancel(order, why, true);
    }

    private boolean sendCancel(Order order, String why, boolean byOperator) {
        if (order.pendingRequest() != null) return false;
        VenueCapabilities caps = state.capabilities(order.venue());
        if (!caps.cancelRequest()) {
            flag(order, "cancel", "cannot cancel (" + why + "): " + order.venue() + " takes no OrderCancelRequest (CancelRequest=N); "
                    + "the order is left to its time in force " + wireTif(order));
            return false;
        }
        if (!byOperator && order.requestCount() >= MAX_CANCEL_ATTEMPTS) {
            flag(order, "cancel", "cancel unresolved (" + why + "): " + order.venue() + " refused " + order.requestCount()
                    + " OrderCancelRequests; the order is left to its time in force " + wireTif(order));
            return false;
        }
        Instant now = clock.instant();
        Instant last = state.cancelSentAt.get(order.clOrdId());
        if (!byOperator && last != null && now.isBefore(last.plus(CANCEL_BACKOFF.multipliedBy(1L << Math.max(0, order.requestCount() - 1))))) {
            return false;
        }
        ClOrdId requestId = new ClOrdId(order.clOrdId().value() + "-C" + (order.requestCount() + 1));
        Order pending = order.withPendingRequest(requestId);
        if (pending.status().canMoveTo(OrderStatus.PENDING_CANCEL)) pending = pending.withStatus(OrderStatus.PENDING_CANCEL, null);
        state.orders.put(pending);
        state.requestIds.put(requestId, order.clOrdId());
        state.cancelSentAt.put(order.clOrdId(), now);
        tx.writes.add(new JournalWrite.PutOrder(pending));
        OpsLog.info(order.planId(), order.clOrdId(), "cancel requested ({}): OrderCancelRequest {} to {}{}", why,
                requestId, order.venue(), order.requestCount() == 0 ? "" : " (attempt " + (order.requestCount() + 1) + " of "
                        + MAX_CANCEL_ATTEMPTS + ")");
        tx.effect(() -> venues.send(new OrderCommand.Cancel(order.venue(), requestId, order.clOrdId(), order.symbol(),
                order.side(), order.quantity(), clock.instant())));
        return true;
    }

    /**
     * Something the gateway stopped retrying about an order, for an operator: one ERROR line, kept in the plan's
     * {@code progress.attention} (GET /v1/plans/{id}) until the order ends, counted in /metrics.
     */
    void flag(Order order, String kind, String message) {
        String key = order.clOrdId().value() + " " + kind;
        ActivePlan ap = state.plans.get(order.planId());
        if (ap == null) {
            if (state.flaggedWithoutPlan.add(key)) OpsLog.error(order.planId(), order.clOrdId(), "NEEDS ATTENTION: {}", message);
            return;
        }
        if (ap.progress.attention.containsKey(key)) return;
        ap.progress.attention.put(key, message);
        OpsLog.error(order.planId(), order.clOrdId(), "NEEDS ATTENTION: {}", message);
        storePlan(ap);
    }

    /**
     * An ended order no longer needs an operator's attention, except for what it quarantined: a venue report that was
     * not booked stays named in the plan's attention until an operator has looked, whatever the order did next.
     */
    void clearFlags(ActivePlan ap, Order order) {
        String prefix = order.clOrdId().value() + " ";
        if (ap != null && ap.progress.attention.keySet().removeIf(k -> k.startsWith(prefix) && !k.startsWith(prefix + "quarantine "))) {
            storePlan(ap);
        }
    }

    /** The time in force the order went out with at its venue. */
    TimeInForce wireTif(Order order) {
        return VenueOrderTerms.wireTif(state.capabilities(order.venue()), order.timeInForce());
    }

    // ================================================================= learning

    /** Feeds an ended order's measured latency, slippage and outcome into its venue's statistics. */
    /**
     * Teaches the venue what {@code order} measured. An order that ended unfilled because we ended it — cancelled after
     * our own cancel request (a TWAP slice coming due, a plan cancel, the kill switch, our expiry cancel) or expired at
     * the time we gave it — is no evidence about the venue: it adds no sample (it was counted a failure before).
     */
    void learn(Order order) {
        boolean endedByUs = order.status() == OrderStatus.EXPIRED
                || (order.status() == OrderStatus.CANCELED && order.requestCount() > 0);
        if (endedByUs && order.cumQty().signum() == 0) {
            OpsLog.debug(order.planId(), order.clOrdId(), "venue {} not scored on this order: ended unfilled by us ({})",
                    order.venue(), order.status());
            return;
        }
        Double slippage = null;
        if (order.cumQty().signum() > 0 && order.expectedPrice() != null && order.expectedPrice().signum() > 0) {
            slippage = Slippage.adverseFraction(order.side(), order.expectedPrice(), order.avgPx()).doubleValue();
        }
        boolean success = order.cumQty().signum() > 0;
        ExecutionObservation observation = new ExecutionObservation(order.venue(), order.latencyMs(), slippage, success, clock.instant());
        VenueStats stats = state.venueStats.observe(observation);
        tx.writes.add(new JournalWrite.PutVenueStats(order.venue(), JsonText.later(stats), clock.instant()));
        if (OpsLog.isDebugEnabled()) {
            OpsLog.debug(order.planId(), order.clOrdId(), "venue {} learned from {}: latency {} ms, slippage {}, success {} "
                    + "-> avg latency {} ms, avg slippage {}, success rate {}", order.venue(), order.clOrdId(), order.latencyMs(),
                    bps(slippage), success, fmt(stats.avgLatencyMs()), bps(stats.avgSlippage()), fmt(stats.successRate()));
        }
    }

    // ================================================================= helpers

    /**
     * The price positions are marked at for unrealized P&L: the mid of the best bid and best offer across the venues'
     * live books; the last trade only when no venue shows a two-sided book. The last trade alone goes stale when the
     * books move without printing (and after our own fill it is our own price), so a position would not be marked to
     * the market it could be closed in. For the same reason it is the arrival price entries are sized, routed and
     * priced from (a stale trade would cap marketable limits away from the market and misstate slippage).
     */
    Optional<BigDecimal> markPrice(String symbol) {
        Optional<BigDecimal> mid = state.market.find(symbol).flatMap(SymbolMarket::mid);
        return mid.isPresent() ? mid : state.price(symbol);
    }

    /**
     * Writes the plan's row with the current transaction: once, at its commit, however many steps of the plan the
     * transaction holds (its progress as it then stands).
     */
    void storePlan(ActivePlan ap) {
        tx.plans.put(ap.id(), ap);
    }

    /** The plan's first row (its JSON and all), or after it only its progress. */
    private static JournalWrite planRow(ActivePlan ap, Instant now) {
        JsonText progress = JsonText.later(ap.progress.snapshot());
        if (ap.firstRowWritten) return new JournalWrite.PutPlanProgress(ap.id(), ap.progress.state, progress, now);
        ap.firstRowWritten = true;   // a failed commit reloads every plan from the journal: no flag outlives it
        return new JournalWrite.PutPlan(new StoredPlan(ap.id(), ap.contentHash, ap.planJson, ap.plan.symbol(),
                ap.progress.state, progress, ap.receivedAt, now));
    }

    List<Order> ordersOf(ActivePlan ap, Leg leg) {
        List<Order> out = new ArrayList<>();
        for (Order o : state.orders.ofPlan(ap.id())) {
            if (o.leg() == leg) out.add(o);
        }
        return out;
    }

    Order lastOrder(ActivePlan ap, Leg leg) {
        List<Order> list = ordersOf(ap, leg);
        return list.isEmpty() ? null : list.get(list.size() - 1);
    }

    /** SHA-256 of the engine's thread, made once: looking the algorithm up among the providers cost more than hashing. */
    private final MessageDigest sha256 = sha256Digest();

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Engine thread only: {@link MessageDigest#digest} leaves the digest reset for the next plan. */
    private String sha256(String text) {
        return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Three decimals ({@code 0.740}), as {@code %.3f} wrote them, without a Formatter (ops lines are on the hot path). */
    static String fmt(double d) {
        if (!Double.isFinite(d)) return Double.toString(d);
        return BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_UP).toPlainString();
    }

    private static Object[] withFirst(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static String plain(BigDecimal d) {
        return d == null ? "-" : d.toPlainString();
    }

    /** A slippage fraction as basis points for the ops log ({@code 6.31 bps}); {@code -} when there is none. */
    static String bps(Double fraction) {
        if (fraction == null) return "-";
        double bps = fraction * 10_000;
        if (!Double.isFinite(bps)) return bps + " bps";
        return BigDecimal.valueOf(bps).setScale(2, RoundingMode.HALF_UP).toPlainString() + " bps";
    }

    // ================================================================= queries

    TradingEngine.EngineView view() {
        return new TradingEngine.EngineView() {
            @Override
            public Collection<Position> positions() {
                return List.copyOf(state.positions.all());
            }

            @Override
            public Optional<BigDecimal> markPrice(String symbol) {
                return Execution.this.markPrice(symbol);
            }

            @Override
            public MarketView market(String symbol) {
                return MarketView.of(state.market.peek(symbol), clock.instant());
            }

            @Override
            public Map<String, Boolean> sessions() {
                return Map.copyOf(state.sessions);
            }

            @Override
            public Map<String, Map<String, Instrument>> instruments() {
                Map<String, Map<String, Instrument>> copy = new LinkedHashMap<>();
                state.instruments.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
                return copy;
            }

            @Override
            public Map<String, VenueStats> venueStats() {
                Map<String, VenueStats> out = new TreeMap<>();
                for (String venue : state.sessions.keySet()) out.put(venue, state.venueStats.get(venue));
                return out;
            }

            @Override
            public VenueRanking rankVenues(String symbol, Side side, BigDecimal quantity, BigDecimal maxSlippage, long maxLatencyMs) {
                return rank(symbol, state.price(symbol).orElse(null), side,
                        new OrderRequirements(quantity, maxSlippage, maxLatencyMs, List.of()), List.of());
            }

            @Override
            public boolean killSwitchEngaged() {
                return state.tradingState == TradingState.HALTED;
            }

            @Override
            public Map<String, Long> planCounts() {
                return state.plans.values().stream().collect(Collectors.groupingBy(ap -> ap.state().wireName(), TreeMap::new, Collectors.counting()));
            }
        };
    }
}
