package io.tradergateway.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The gateway's one JSON configuration for what it writes: ISO-8601 times, exact decimals. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);

    private Json() {
    }

    /** The value as JSON text; never holds an unpaired surrogate (see {@link #wellFormed(String)}). */
    public static String write(Object value) {
        try {
            return wellFormed(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code text} with every unpaired UTF-16 surrogate replaced by U+FFFD, so that it can always be encoded as UTF-8.
     * A lone surrogate (a plan's {@code "\ud800"} stored before intake refused it) otherwise makes Jackson's UTF-8
     * writer and a strict file encoder throw: one such report broke every API page and the reports log that held it.
     * Returns {@code text} itself when it is already well-formed (the usual case, one scan).
     */
    public static String wellFormed(String text) {
        if (text == null) return null;
        int bad = firstUnpairedSurrogate(text, 0);
        if (bad < 0) return text;
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (bad >= 0) {
            out.append(text, from, bad).append('\uFFFD');
            from = bad + 1;
            bad = firstUnpairedSurrogate(text, from);
        }
        return out.append(text, from, text.length()).toString();
    }

    private static int firstUnpairedSurrogate(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read " + type.getSimpleName() + " from JSON: " + e.getMessage(), e);
        }
    }
}
