package io.tradergateway.store;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.execution.Order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
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
                // An order is read through a tree (OrderReader), which must keep a decimal's scale as written.
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                // Records by their components (accessors and canonical constructor, no reflection on fields). Helpers
                // named like bean getters (Position.isFlat()) are not components: not written, and ignored if read.
                .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.registerModule(new SimpleModule().addDeserializer(Order.class, new OrderReader()));
        m.addMixIn(JournalWrite.class, Tagged.class);
        for (Class<?> kind : JournalWrite.class.getPermittedSubclasses()) {
            m.registerSubtypes(new NamedType(kind, kind.getSimpleName()));
        }
        return m;
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "w")
    private interface Tagged {
    }

    /**
     * Reads an order in its three parts ({@code origin}, {@code terms}, {@code progress}), or in the flat shape that
     * journals written before the parts existed hold (one field per component): a journal left by a crash of an older
     * version replays after an upgrade.
     */
    private static final class OrderReader extends StdDeserializer<Order> {
        OrderReader() {
            super(Order.class);
        }

        @Override
        public Order deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            ObjectNode node = p.readValueAsTree();
            return new Order(part(ctxt, node, "origin", Order.Origin.class), part(ctxt, node, "terms", Order.Terms.class),
                    part(ctxt, node, "progress", Order.Progress.class));
        }

        private static <T extends Record> T part(DeserializationContext ctxt, ObjectNode node, String name, Class<T> type)
                throws IOException {
            if (node.has(name)) return ctxt.readTreeAsValue(node.get(name), type);
            ObjectNode flat = node.objectNode();
            for (RecordComponent c : type.getRecordComponents()) {
                if (node.has(c.getName())) flat.set(c.getName(), node.get(c.getName()));
            }
            return ctxt.readTreeAsValue(flat, type);
        }
    }
}
