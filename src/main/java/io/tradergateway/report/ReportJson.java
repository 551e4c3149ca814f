package io.tradergateway.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * An exec-report's JSON text, written when first asked for: the engine hands the report over as it is, and the
 * journal's thread writes the text once for the journal and the tables. An {@link ExecReport} is immutable, so any
 * thread may write it; two threads at once write the same text.
 */
public final class ReportJson {
    private final ExecReport report;
    private volatile String text;

    private ReportJson(ExecReport report, String text) {
        this.report = report;
        this.text = text;
    }

    /** The text of a report written earlier (read back from the journal, or given by a test). */
    @JsonCreator
    public static ReportJson of(String text) {
        return new ReportJson(null, Objects.requireNonNull(text, "text"));
    }

    /** The report, its text written on first use. */
    public static ReportJson of(ExecReport report) {
        return new ReportJson(Objects.requireNonNull(report, "report"), null);
    }

    @JsonValue
    public String text() {
        String t = text;
        if (t == null) {
            t = Json.write(report);
            text = t;
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReportJson other && text().equals(other.text());
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
