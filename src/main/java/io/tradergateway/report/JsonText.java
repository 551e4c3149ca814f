package io.tradergateway.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * A value's JSON text ({@link Json#write}), written when first asked for. The engine hands a row's value over as it is
 * (an exec-report, a plan's progress, a venue's statistics), and the journal's thread writes the text once, for the
 * journal file and the tables. The value must therefore never change after it is handed over: an immutable record, or
 * a private copy. Any thread may ask for the text; two threads at once write the same text.
 */
public final class JsonText {
    private final Object value;
    private volatile String text;

    private JsonText(Object value, String text) {
        this.value = value;
        this.text = text;
    }

    /** Text written earlier (read back from the journal or a table, or given by a test). */
    @JsonCreator
    public static JsonText of(String text) {
        return new JsonText(null, Objects.requireNonNull(text, "text"));
    }

    /** The value, its text written on first use. {@code value} must not change any more (see the class comment). */
    public static JsonText later(Object value) {
        return new JsonText(Objects.requireNonNull(value, "value"), null);
    }

    @JsonValue
    public String text() {
        String t = text;
        if (t == null) {
            t = Json.write(value);
            text = t;
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonText other && text().equals(other.text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
