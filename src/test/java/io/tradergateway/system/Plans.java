package io.tradergateway.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.report.Json;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Builds dm-decision-1.0 plans for system tests; each test changes what it is about. */
public final class Plans {
    private Plans() {
    }

    public static ObjectNode market(String planId, String symbol, String direction) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.put("event_type", "dm-decision-1.0");
        p.put("plan_id", planId);
        p.put("signal_id", "sig-" + planId);
        p.put("decision_id", "dec-" + planId);
        p.put("symbol", symbol);
        p.put("direction", direction);
        p.put("position_size", 1.0);
        p.put("max_position_size", 5.0);
        p.put("risk_reward_ratio", 2.0);
        p.put("confidence_score", 0.7);
        p.put("execution_strategy", "market");
        p.put("max_slippage", 0.01);
        p.put("max_latency_ms", 2000);
        p.putArray("venue_preferences");
        p.put("created_at", now.toString());
        p.put("valid_until", now.plus(Duration.ofMinutes(10)).toString());
        return p;
    }

    /** A {@code limit} plan at {@code entryPrice}, allowed only at {@code venue}. */
    public static ObjectNode limit(String planId, String symbol, String direction, double entryPrice, String venue) {
        ObjectNode p = market(planId, symbol, direction);
        p.put("execution_strategy", "limit");
        p.put("entry_price", entryPrice);
        p.putArray("venue_preferences").add(venue);
        return p;
    }
}
