package io.tradergateway.report.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Renders the body of one push: {@code {"consumer": "...", "reports": [ ... ]}}.
 *
 * <p>Each stored report is embedded verbatim (raw value), so numbers keep their exact text ({@code 101.50} stays
 * {@code 101.50}); it is only checked to be one well-formed JSON object, because a broken entry would otherwise
 * corrupt the whole body.
 */
final class PushBody {

    private static final JsonFactory JSON = new JsonFactory();

    private PushBody() {
    }

    static String render(String consumer, List<OutboxEntry> batch) {
        StringWriter out = new StringWriter(256 * batch.size() + 64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("consumer", consumer);
            g.writeArrayFieldStart("reports");
            for (OutboxEntry entry : batch) {
                requireJsonObject(entry);
                g.writeRawValue(entry.json().strip());
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("rendering a push body cannot fail on a StringWriter", e);
        }
        return out.toString();
    }

    private static void requireJsonObject(OutboxEntry entry) {
        try (JsonParser p = JSON.createParser(entry.json())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed(entry, "not a JSON object");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw malformed(entry, "trailing content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw malformed(entry, e.getOriginalMessage());
        } catch (IOException e) {
            throw malformed(entry, e.getMessage());
        }
    }

    private static MalformedReportException malformed(OutboxEntry entry, String why) {
        return new MalformedReportException(entry.sequence(), "outbox entry sequence " + entry.sequence() + " (report "
                + entry.reportId() + ") is not a valid JSON object: " + why);
    }

    /** A stored report that cannot be embedded; delivery stops at it (never skips) until it is repaired. */
    static final class MalformedReportException extends IllegalStateException {
        private final long sequence;

        MalformedReportException(long sequence, String message) {
            super(message);
            this.sequence = sequence;
        }

        long sequence() {
            return sequence;
        }
    }
}
