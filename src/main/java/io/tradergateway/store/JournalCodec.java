package io.tradergateway.store;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tradergateway.execution.JournalWrite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The bytes of one write-ahead journal batch: its rows ({@link JournalWrite}s) as a JSON array, each tagged with its
 * kind ({@code "w": "PutOrder"}). Jackson maps the records by their fields, so a row reads back equal to what was
 * written (BigDecimal scales, nanosecond times and nulls included): see {@code JournalCodecTest}.
 */
final class JournalCodec {
    private static final ObjectMapper MAPPER = mapper();
    private static final ObjectWriter WRITER = MAPPER.writerFor(new TypeReference<List<JournalWrite>>() { });
    private static final ObjectReader READER = MAPPER.readerFor(new TypeReference<List<JournalWrite>>() { });

    private JournalCodec() {
    }

    static byte[] encode(List<JournalWrite> writes) {
        try {
            return WRITER.writeValueAsBytes(writes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a journal batch", e);
        }
    }

    static List<JournalWrite> decode(byte[] bytes) {
        try {
            return READER.readValue(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a journal batch", e);
        }
    }

    private static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                // Records by their components (accessors and canonical constructor, no reflection on fields). Helpers
                // named like bean getters (Position.isFlat()) are not components: not written, and ignored if read.
                .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.addMixIn(JournalWrite.class, Tagged.class);
        for (Class<?> kind : JournalWrite.class.getPermittedSubclasses()) {
            m.registerSubtypes(new NamedType(kind, kind.getSimpleName()));
        }
        return m;
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "w")
    private interface Tagged {
    }
}
