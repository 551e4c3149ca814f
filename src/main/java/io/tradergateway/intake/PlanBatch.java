package io.tradergateway.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.report.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The answer of a plan batch ({@code POST /v1/plans} as {@code application/x-ndjson}): one compact JSON line per plan, in
 * the order of the request, {@code {"plan_id", "status", "state", "errors"}} with the {@code code} and {@code message}
 * the same plan would have got alone.
 */
final class PlanBatch {
    private final StringBuilder out = new StringBuilder();
    private final Map<Integer, Integer> counts = new TreeMap<>();

    /** The plans of a batch body: its lines without their line ends, blank ones left out. */
    static List<String> lines(String body) {
        List<String> plans = new ArrayList<>();
        for (String line : body.split("\n")) {
            String plan = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (!plan.isBlank()) plans.add(plan);
        }
        return plans;
    }

    /**
     * Adds the answer to {@code plan}: its status and what the single call would have answered ({@code answer}, a
     * problem body for a failure). {@code plan_id} comes from the answer, else from the plan's text, else is null.
     */
    void add(String plan, int status, ObjectNode answer) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        JsonNode planId = answer.path("plan_id");
        if (planId.isTextual()) line.put("plan_id", planId.asText());
        else line.put("plan_id", planIdOf(plan));
        line.put("status", status);
        line.set("state", answer.path("state").isTextual() ? answer.get("state") : null);
        line.set("errors", answer.path("errors").isArray() ? answer.get("errors") : Json.MAPPER.createArrayNode());
        if (answer.has("code")) line.set("code", answer.get("code"));
        JsonNode message = answer.has("message") ? answer.get("message") : answer.path("detail");
        if (!message.isMissingNode()) line.set("message", message);
        try {
            out.append(Json.MAPPER.writeValueAsString(line)).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        counts.merge(status, 1, Integer::sum);
    }

    /** The plan's {@code plan_id} when it is a JSON object holding one as text; null otherwise. */
    static String planIdOf(String plan) {
        try {
            JsonNode id = Json.MAPPER.readTree(plan).path("plan_id");
            return id.isTextual() ? id.asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** How many answers had each status, by status. */
    Map<Integer, Integer> statusCounts() {
        return counts;
    }

    byte[] bytes() {
        return out.toString().getBytes(UTF_8);
    }
}
