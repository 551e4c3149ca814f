package io.tradergateway.plan;

import java.util.Objects;

/**
 * One business-rule violation of a well-formed plan (the HTTP 422 layer).
 *
 * @param code    stable snake_case identifier that goes into reports and metrics (see {@link PlanValidator})
 * @param field   JSON path of the field the rule is about (the first one, when the rule involves several)
 * @param message what is wrong, with the offending values, for a human
 */
public record PlanIssue(String code, String field, String message) {
    public PlanIssue {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
