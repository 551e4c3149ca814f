package io.tradergateway.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.Order;
import io.tradergateway.execution.PlanState;
import io.tradergateway.execution.StoredPlan;
import io.tradergateway.execution.TradingEngine;
import io.tradergateway.execution.TradingState;
import io.tradergateway.execution.VenueCapabilities;
import io.tradergateway.fix.SessionControl;
import io.tradergateway.fix.SessionStatus;
import io.tradergateway.kafka.KafkaBridge;
import io.tradergateway.market.BookLevel;
import io.tradergateway.market.ConditionInputs;
import io.tradergateway.market.MarketView;
import io.tradergateway.metrics.GatewayMetrics;
import io.tradergateway.position.Position;
import io.tradergateway.report.Json;
import io.tradergateway.report.delivery.ConsumerStatus;
import io.tradergateway.report.delivery.ReportDispatcher;
import io.tradergateway.report.delivery.ReportOutbox;
import io.tradergateway.routing.VenueRanking;
import io.tradergateway.routing.VenueScore;
import io.tradergateway.routing.VenueStats;
import io.tradergateway.store.JdbcReportOutbox;
import io.tradergateway.store.JdbcTradeJournal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Read-side views for the API: committed plan state from the database, live state asked of the engine. */
public final class ApiQueries {
    private final TradingEngine engine;
    private final JdbcTradeJournal journal;
    private final JdbcReportOutbox outbox;
    private final Supplier<Map<String, Boolean>> sessions;
    private final ReportDispatcher dispatcher;
    private final Supplier<Map<String, SessionStatus>> sessionStatus;
    private final SessionControl sessionControl;
    private final GatewayMetrics metrics;

    public ApiQueries(TradingEngine engine, JdbcTradeJournal journal, JdbcReportOutbox outbox,
                      Supplier<Map<String, Boolean>> sessions, ReportDispatcher dispatcher) {
        this(engine, journal, outbox, sessions, dispatcher, Map::of);
    }

    /**
     * @param sessionStatus per venue: FIX version, effective capabilities and last session problem (the FIX adapter's
     *                      {@code FixVenueGateway::sessionStatus}); shown in {@code GET /v1/venues} and {@code /health}
     */
    public ApiQueries(TradingEngine engine, JdbcTradeJournal journal, JdbcReportOutbox outbox,
                      Supplier<Map<String, Boolean>> sessions, ReportDispatcher dispatcher,
                      Supplier<Map<String, SessionStatus>> sessionStatus) {
        this(engine, journal, outbox, sessions, dispatcher, sessionStatus, null, GatewayMetrics.withoutJvm());
    }

    /**
     * As above, with what operators may do to the venue sessions (null: {@code POST /v1/venues/...} answers 404) and the
     * metrics registry {@code GET /metrics} shows, in which the gateway's own series are registered here.
     */
    public ApiQueries(TradingEngine engine, JdbcTradeJournal journal, JdbcReportOutbox outbox,
                      Supplier<Map<String, Boolean>> sessions, ReportDispatcher dispatcher,
                      Supplier<Map<String, SessionStatus>> sessionStatus, SessionControl sessionControl, GatewayMetrics metrics) {
        this.engine = engine;
        this.sessionControl = sessionControl;
        this.metrics = metrics;
        metrics.bindGateway(engine, sessions, outbox::lastSequence, dispatcher);
        this.journal = journal;
        this.outbox = outbox;
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.sessionStatus = sessionStatus;
    }

    /** An answer: its HTTP status, and a body when it succeeded or else the one-line error message. */
    public record Answer(int status, ObjectNode body, String message) {
    }

    /**
     * {@code POST /v1/venues/{venue}/logon}, {@code .../logout} (body optional: {@code {"reason": "..."}}) and
     * {@code .../sequence} ({@code {"next_sender_seq_num": N, "next_target_seq_num": M}}, either or both; only while
     * the session is logged out, else 409). Logon and logout answer 202: the session acts within a second.
     */
    public Answer venueSession(String venue, String action, String body) {
        if (sessionControl == null) return new Answer(404, null, "no FIX sessions to control");
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return new Answer(400, null, "body must be a JSON object");
        }
        if (json == null || !json.isObject()) return new Answer(400, null, "body must be a JSON object");
        SessionControl.Outcome outcome;
        switch (action) {
            case "logon" -> outcome = sessionControl.logon(venue);
            case "logout" -> {
                JsonNode reason = json.path("reason");
                if (!reason.isMissingNode() && !reason.isNull() && !reason.isTextual()) {
                    return new Answer(400, null, "reason must be a string");
                }
                outcome = sessionControl.logout(venue, reason.isTextual() ? reason.asText() : null);
            }
            case "sequence" -> {
                for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
                    String key = it.next();
                    if (!key.equals("next_sender_seq_num") && !key.equals("next_target_seq_num")) {
                        return new Answer(400, null, "unknown field " + key + ": give next_sender_seq_num and/or next_target_seq_num");
                    }
                }
                Integer sender;
                Integer target;
                try {
                    sender = seqNum(json, "next_sender_seq_num");
                    target = seqNum(json, "next_target_seq_num");
                } catch (IllegalArgumentException e) {
                    return new Answer(400, null, e.getMessage());
                }
                outcome = sessionControl.setNextSequenceNumbers(venue, sender, target);
            }
            default -> {
                return new Answer(404, null, "no such venue action: " + action + " (logon, logout, sequence)");
            }
        }
        return switch (outcome.result()) {
            case DONE -> {
                ObjectNode out = Json.MAPPER.createObjectNode();
                out.put("venue", venue);
                out.put("action", action);
                out.put("message", outcome.message());
                yield new Answer(action.equals("sequence") ? 200 : 202, out, null);
            }
            case UNKNOWN_VENUE -> new Answer(404, null, outcome.message());
            case CONFLICT -> new Answer(409, null, outcome.message());
            case INVALID -> new Answer(400, null, outcome.message());
        };
    }

    private static Integer seqNum(JsonNode json, String field) {
        JsonNode n = json.path(field);
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.canConvertToInt() || !n.isIntegralNumber()) throw new IllegalArgumentException(field + " must be an integer");
        return n.intValue();
    }

    /** The Kafka transport shown in {@code /metrics} and {@code GET /v1/consumers}; null = Kafka off. */
    private volatile KafkaBridge kafka;

    public void kafka(KafkaBridge bridge) {
        this.kafka = bridge;
    }

    public ReportOutbox outbox() {
        return outbox;
    }

    public ObjectNode health() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        Map<String, Boolean> states = sessions.get();
        out.put("status", "up");
        out.put("role", "active");
        out.put("trading_state", engine.tradingState().wireName());
        out.put("all_sessions_logged_on", states.values().stream().allMatch(Boolean::booleanValue));
        ObjectNode s = out.putObject("sessions");
        states.forEach((venue, up) -> s.put(venue, up ? "logged_on" : "disconnected"));
        Map<String, SessionStatus> status = sessionStatus.get();
        if (!status.isEmpty()) {
            ObjectNode venues = out.putObject("venues");
            status.forEach((venue, st) -> {
                ObjectNode n = venues.putObject(venue);
                n.put("session", st.loggedOn() ? "logged_on" : "disconnected");
                n.put("fix_version", st.capabilities().fixVersion());
                n.put("instruments_known", st.instrumentsKnown());
                n.set("last_problem", problem(st.lastProblem()));
            });
        }
        return out;
    }

    /** A venue session's last problem ({@code kind}, {@code text}, {@code at}), or JSON null when none since start. */
    static JsonNode problem(SessionStatus.Problem p) {
        if (p == null) return NullNode.getInstance();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("kind", p.kind().name().toLowerCase(Locale.ROOT));
        n.put("text", p.text());
        n.put("at", p.at().toString());
        return n;
    }

    /** The effective venue settings (SPEC 4.2) as operators read them; never the logon password. */
    static ObjectNode capabilities(VenueCapabilities c) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("fix_version", c.fixVersion());
        ArrayNode instruments = n.putArray("instruments");
        for (Instrument i : c.instruments()) {
            instruments.addObject().put("symbol", i.symbol()).put("lot_size", i.lotSize()).put("tick_size", i.tickSize());
        }
        n.put("security_list_request", c.securityListRequest());
        n.put("market_data_request", c.marketDataRequest());
        n.put("route_orders", c.routeOrders());
        ArrayNode types = n.putArray("order_types");
        EnumSet.copyOf(c.orderTypes()).forEach(t -> types.add(t.name()));
        ArrayNode tifs = n.putArray("time_in_force");
        EnumSet.copyOf(c.timeInForce()).forEach(t -> tifs.add(t.name()));
        n.put("cancel_request", c.cancelRequest());
        n.put("order_status_request", c.orderStatusRequest());
        ObjectNode fields = n.putObject("order_fields");
        new TreeMap<>(c.orderFields()).forEach((tag, value) -> fields.put(String.valueOf(tag), value));
        n.put("logon_username", c.logonUsername());
        return n;
    }

    /** {@code GET /v1/plans}: one page of plans in plan_id order, and the plan_id to ask {@code after} next (null at the end). */
    public ObjectNode plans(PlanState state, String after, int limit) {
        List<StoredPlan> page = journal.listPlans(state, after, limit);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("plans");
        for (StoredPlan p : page) {
            list.addObject().put("plan_id", p.planId()).put("symbol", p.symbol()).put("state", p.state().wireName())
                    .put("received_at", p.receivedAt().toString()).put("updated_at", p.updatedAt().toString());
        }
        out.put("next_after", page.size() < limit ? null : page.get(page.size() - 1).planId());
        return out;
    }

    /** A plan with its orders, fills and reports; null when unknown. */
    public ObjectNode plan(String planId) {
        Optional<StoredPlan> stored = journal.findPlan(planId);
        if (stored.isEmpty()) return null;
        StoredPlan p = stored.get();
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("plan_id", p.planId());
        out.put("state", p.state().wireName());
        out.put("received_at", p.receivedAt().toString());
        out.put("updated_at", p.updatedAt().toString());
        ObjectNode progress = (ObjectNode) tree(p.progressJson().text());
        progress.put("fill_ratio", fillRatio(progress));
        out.set("progress", progress);
        out.set("plan", tree(p.planJson()));
        List<Map<String, Object>> fills = journal.fillsOfPlan(planId);
        ArrayNode orders = out.putArray("orders");
        for (Order o : journal.ordersOfPlan(planId)) {
            ObjectNode n = orders.addObject();
            n.put("cl_ord_id", o.clOrdId().value());
            n.put("venue", o.venue());
            n.put("leg", o.leg().wireName());
            n.put("slice", o.sliceNo());
            n.put("side", o.side().wireName());
            n.put("type", o.type().name().toLowerCase());
            n.put("time_in_force", o.timeInForce().name());
            n.put("quantity", o.quantity());
            n.put("limit_price", o.limitPrice());
            n.put("status", o.status().name());
            n.put("cum_qty", o.cumQty());
            n.put("avg_px", o.avgPx());
            n.put("fees", o.fees());
            n.put("venue_order_id", o.venueOrderId() == null ? null : o.venueOrderId().value());
            n.put("venue_score", o.venueScore());
            n.put("latency_ms", o.latencyMs());
            n.put("text", o.text());
            ArrayNode f = n.putArray("fills");
            fills.stream().filter(row -> o.clOrdId().value().equals(row.get("cl_ord_id")))
                    .forEach(row -> f.add(Json.MAPPER.valueToTree(row)));
        }
        ArrayNode reports = out.putArray("reports");
        for (String json : outbox.reportsOfPlan(planId)) reports.add(tree(json));
        return out;
    }

    public CompletableFuture<ObjectNode> positions() {
        return engine.query(view -> {
            ObjectNode out = Json.MAPPER.createObjectNode();
            ArrayNode list = out.putArray("positions");
            for (Position p : view.positions()) {
                Optional<BigDecimal> mark = view.markPrice(p.symbol());
                ObjectNode n = list.addObject();
                n.put("symbol", p.symbol());
                n.put("quantity", p.quantity());
                n.put("avg_price", p.avgPrice());
                n.put("realized_pnl", p.realizedPnl());
                n.put("fees_paid", p.feesPaid());
                n.put("mark_price", mark.orElse(null));
                n.put("unrealized_pnl", mark.map(p::unrealizedPnl).orElse(null));
                n.put("opened_at", p.openedAt() == null ? null : p.openedAt().toString());
            }
            return out;
        });
    }

    /**
     * The order every venue is scored for in {@code GET /v1/venues}, per symbol it lists: what routing would make of a
     * routine order right now (the liquidity part depends on the symbol's live book, the rest on the learned stats).
     */
    static final BigDecimal NOMINAL_QUANTITY = new BigDecimal("100");
    static final BigDecimal NOMINAL_MAX_SLIPPAGE = new BigDecimal("0.005");
    static final long NOMINAL_MAX_LATENCY_MS = 1000;

    public CompletableFuture<ObjectNode> venues() {
        return engine.query(view -> {
            ObjectNode out = Json.MAPPER.createObjectNode();
            ArrayNode list = out.putArray("venues");
            Map<String, VenueStats> stats = view.venueStats();
            Map<String, Map<String, Instrument>> instruments = view.instruments();
            Map<String, VenueRanking> rankings = new TreeMap<>();
            instruments.values().forEach(listed -> listed.keySet().forEach(symbol -> rankings.computeIfAbsent(symbol,
                    sym -> view.rankVenues(sym, Side.BUY, NOMINAL_QUANTITY, NOMINAL_MAX_SLIPPAGE, NOMINAL_MAX_LATENCY_MS))));
            Map<String, SessionStatus> status = sessionStatus.get();
            view.sessions().forEach((venue, up) -> {
                ObjectNode n = list.addObject();
                n.put("venue", venue);
                n.put("session", up ? "logged_on" : "disconnected");
                SessionStatus st = status.get(venue);
                if (st != null) {
                    n.put("fix_session", st.sessionId());
                    n.put("instruments_known", st.instrumentsKnown());
                    n.set("capabilities", capabilities(st.capabilities()));
                    n.set("last_problem", problem(st.lastProblem()));
                }
                n.set("learned", learned(stats.get(venue)));
                n.set("symbols", Json.MAPPER.valueToTree(instruments.getOrDefault(venue, Map.of()).keySet()));
                ArrayNode scores = n.putArray("scores");
                for (String symbol : instruments.getOrDefault(venue, Map.of()).keySet()) {
                    scores.add(score(venue, symbol, rankings.get(symbol)));
                }
            });
            out.putObject("nominal_order").put("side", Side.BUY.wireName()).put("quantity", NOMINAL_QUANTITY)
                    .put("max_slippage", NOMINAL_MAX_SLIPPAGE).put("max_latency_ms", NOMINAL_MAX_LATENCY_MS);
            out.put("kill_switch_engaged", view.killSwitchEngaged());
            return out;
        });
    }

    /**
     * The gateway's current view of {@code symbol}'s market ({@code GET /v1/market/{symbol}}): the condition measures
     * (price = last trade, else mid; rolling-window volume, volatility, trade count) and each venue's best bid/offer
     * and depth. Answers null when no venue lists the symbol.
     */
    public CompletableFuture<ObjectNode> market(String symbol) {
        return engine.query(view -> {
            boolean listed = view.instruments().values().stream().anyMatch(l -> l.containsKey(symbol));
            return listed ? marketJson(view.market(symbol)) : null;
        });
    }

    private static ObjectNode marketJson(MarketView m) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ConditionInputs c = m.conditions();
        out.put("symbol", m.symbol());
        out.put("as_of", c.at().toString());
        out.put("window_seconds", m.window().toSeconds());
        out.put("last_trade_price", m.lastTradePrice());
        out.put("last_trade_time", text(m.lastTradeTime()));
        out.put("last_trade_venue", m.lastTradeVenue());
        out.put("price", c.price());
        out.put("volume", c.volume());
        out.put("volatility", c.volatility());
        out.put("trades_in_window", c.tradesInWindow());
        ArrayNode venues = out.putArray("venues");
        for (MarketView.VenueDepth v : m.venues()) {
            ObjectNode n = venues.addObject();
            n.put("venue", v.venue());
            n.set("best_bid", level(v.bestBid()));
            n.set("best_offer", level(v.bestOffer()));
            n.put("bid_depth", v.bidDepth());
            n.put("offer_depth", v.offerDepth());
            n.put("bid_levels", v.bidLevels());
            n.put("offer_levels", v.offerLevels());
            n.put("last_update", text(v.lastUpdate()));
        }
        return out;
    }

    private static JsonNode level(BookLevel level) {
        if (level == null) return Json.MAPPER.nullNode();
        return Json.MAPPER.createObjectNode().put("price", level.price()).put("size", level.size());
    }

    /** Learned stats in snake_case; an average without a sample is null (the scorer uses its prior instead). */
    private static ObjectNode learned(VenueStats st) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        if (st == null) return n;
        n.put("sample_count", st.sampleCount());
        if (st.hasLatency()) n.put("avg_latency_ms", st.avgLatencyMs()); else n.putNull("avg_latency_ms");
        n.put("latency_samples", st.latencySamples());
        if (st.hasSlippage()) n.put("avg_slippage", st.avgSlippage()); else n.putNull("avg_slippage");
        n.put("slippage_samples", st.slippageSamples());
        if (st.hasOutcome()) n.put("success_rate", st.successRate()); else n.putNull("success_rate");
        n.put("last_update", st.lastUpdate() == null ? null : st.lastUpdate().toString());
        return n;
    }

    /** The venue's score components for the nominal order in {@code symbol}, its rank (1 = chosen), or why it is out. */
    private static ObjectNode score(String venue, String symbol, VenueRanking ranking) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("symbol", symbol);
        List<VenueScore> ranked = ranking.ranked();
        for (int i = 0; i < ranked.size(); i++) {
            VenueScore sc = ranked.get(i);
            if (!sc.venue().equals(venue)) continue;
            n.put("rank", i + 1);
            n.put("total", sc.total());
            n.put("liquidity", sc.liquidity());
            n.put("latency", sc.latency());
            n.put("slippage", sc.slippage());
            n.put("success", sc.success());
            n.put("evidence_weight", sc.evidenceWeight());
            return n;
        }
        n.putNull("rank");
        ranking.excluded().stream().filter(e -> e.venue().equals(venue)).findFirst()
                .ifPresent(e -> n.put("excluded", e.reason().description()));
        return n;
    }

    /** {@code GET /metrics}: Prometheus text from the Micrometer registry (never blocks long on the engine). */
    public String metrics() {
        return metrics.scrape();
    }

    /**
     * Delivery to each consumer ({@code GET /v1/consumers}), in configuration order. A pushed consumer shows its
     * stored cursor, its lag and its current failure streak; a pull-only one keeps its own position, so its cursor
     * and lag are null.
     */
    public ObjectNode consumers() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("last_sequence", outbox.lastSequence());
        ArrayNode list = out.putArray("consumers");
        KafkaBridge k = kafka;
        if (k != null) {
            list.add(k.publisherJson());
            out.set("kafka_plans", k.consumerJson());
        }
        if (dispatcher == null) return out;
        for (ConsumerStatus st : dispatcher.status().values()) {
            ObjectNode n = list.addObject();
            boolean pushed = st.state() != ConsumerStatus.State.PULL_ONLY;
            n.put("consumer", st.consumer());
            n.put("state", st.state().name().toLowerCase(Locale.ROOT));
            n.put("cursor", pushed && st.cursor() >= 0 ? st.cursor() : null);
            n.put("lag", pushed && st.lag() >= 0 ? st.lag() : null);
            n.put("consecutive_failures", st.consecutiveFailures());
            n.put("last_error", st.lastError());
            n.put("down_since", text(st.downSince()));
            n.put("next_attempt_at", text(st.nextAttemptAt()));
            n.put("last_acknowledged_at", text(st.lastAcknowledgedAt()));
        }
        return out;
    }

    /** {@code {"quarantined": [...]}}: venue reports quarantined by their checks (never booked), newest first. */
    public ObjectNode quarantined(int limit) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("quarantined");
        for (Map<String, Object> row : journal.quarantined(limit)) list.add(Json.MAPPER.valueToTree(row));
        return out;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /**
     * The entry's filled_qty / target_qty, 4 decimals rounded down (so 1 only when the entry is complete); null before the
     * plan is sized. A plan ended {@code filled} (or {@code open}) with an incomplete entry shows here how much it got.
     */
    static BigDecimal fillRatio(JsonNode progress) {
        JsonNode target = progress.path("target_qty");
        if (!target.isNumber() || target.decimalValue().signum() <= 0) return null;
        return progress.path("filled_qty").decimalValue().divide(target.decimalValue(), 4, RoundingMode.DOWN).stripTrailingZeros();
    }

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
