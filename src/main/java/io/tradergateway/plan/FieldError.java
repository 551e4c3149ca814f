package io.tradergateway.plan;

import java.util.Objects;

/**
 * One schema error of an inbound plan (the HTTP 400 layer).
 *
 * @param field   JSON path of the offending field: {@code position_size}, {@code entry_conditions.price_abve},
 *                {@code venue_preferences[1]}; {@code $} for the document as a whole (malformed JSON)
 * @param message what is wrong, for a human
 */
public record FieldError(String field, String message) {
    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
