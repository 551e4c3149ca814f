package io.tradergateway.kafka;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.execution.TradingEngine;
import io.tradergateway.plan.FieldError;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanIssue;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.report.Json;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Takes dm-decision-1.0 plans from {@code kafka.plans.topic} into the trading engine exactly as {@code POST /v1/plans}
 * does: {@link PlanParser} (schema), then {@link TradingEngine#submit} (business validation, idempotency on plan_id,
 * durable acceptance). On its own thread, one record at a time in partition order:
 * <ul>
 *   <li>accepted (202), the same plan again (200) or business-invalid (422, the engine emits the {@code failed} report):
 *       done;</li>
 *   <li>malformed (bad UTF-8, bad JSON, schema errors, larger than 64 KiB) or plan_id reused with other content (409):
 *       the record goes to {@code <plans topic>.dlq} with the reason in headers, and the partition moves on;</li>
 *   <li>not ready, kill switch / halted (503), engine time-out, or the dead letter cannot be written: the same record
 *       is tried again after back-off (the partition is paused meanwhile, the consumer stays in its group).</li>
 * </ul>
 * Offsets are committed (synchronously, after each batch) only up to the records that are done, so a record is never
 * skipped; the engine's answer completes after its commit, so "done" means durably accepted. A crash before the commit
 * replays records, which the engine answers 200 (idempotent).
 */
public final class KafkaPlanConsumer implements Runnable, AutoCloseable {

    public static final String HEADER_REASON = "dlq.reason";
    public static final String HEADER_ERRORS = "dlq.errors";
    public static final String HEADER_SOURCE = "dlq.source";

    private static final Logger log = LoggerFactory.getLogger(KafkaPlanConsumer.class);
    static final int MAX_RECORD = 64 * 1024;
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration ENGINE_WAIT = Duration.ofSeconds(30);
    static final Duration INITIAL_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** What {@code GET /v1/consumers} and {@code /metrics} show. */
    public record Status(String state, long lag, long accepted, long duplicates, long invalid, long deadLettered,
                         long retries, String lastError, Instant lastRecordAt) {
    }

    private enum Outcome { DONE, RETRY }

    private final KafkaSettings settings;
    private final TradingEngine engine;
    private final BooleanSupplier ready;
    private final Clock clock;
    private final PlanParser parser = new PlanParser();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Consumer<byte[], byte[]> consumer;

    private volatile String state = "starting";
    private volatile long lag = -1;
    private volatile String lastError;
    private volatile Instant lastRecordAt;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    // Consumer-thread-only.
    private Producer<byte[], byte[]> deadLetters;

    public KafkaPlanConsumer(KafkaSettings settings, TradingEngine engine, BooleanSupplier ready, Clock clock) {
        this.settings = settings;
        this.engine = engine;
        this.ready = ready;
        this.clock = clock;
        this.thread = new Thread(this, "kafka-plans");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public Status status() {
        return new Status(state, lag, accepted.get(), duplicates.get(), invalid.get(), deadLettered.get(), retries.get(),
                lastError, lastRecordAt);
    }

    static Properties consumerProperties(KafkaSettings settings) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "trader-gateway-plans");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        // A gateway that stopped without leaving the group (a crash, or Kafka away at the time) holds its partitions until
        // its session expires: 10 s rather than the client's 45 s default before plans flow again after a restart.
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    @Override
    public void run() {
        log.info("Consuming plans from Kafka topic {} at {} as group {}", settings.plansTopic(), settings.bootstrapServers(), settings.groupId());
        Duration backoff = INITIAL_BACKOFF;
        while (running) {
            try (Consumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(settings))) {
                consumer = c;
                if (!running) break;
                c.subscribe(List.of(settings.plansTopic()), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        log.info("Plan consumer assigned {}", partitions);
                    }
                });
                backoff = INITIAL_BACKOFF;
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
                    if (!c.assignment().isEmpty() && (state.equals("starting") || state.equals("down"))) state = "up";
                    if (!records.isEmpty()) backoff = process(c, records, backoff);
                    updateLag(c);
                }
            } catch (WakeupException e) {
                if (running) log.debug("Plan consumer woken up", e);
            } catch (RuntimeException e) {
                if (!running) break;
                // A broken connection or a fenced member: start over with a new consumer from the committed offsets.
                lastError = describe(e);
                state = "down";
                log.warn("Plan consumer failed, restarting after {}: {}", backoff, lastError);
                pause(backoff);
                backoff = next(backoff);
            } finally {
                consumer = null;
            }
        }
        if (deadLetters != null) deadLetters.close(Duration.ofSeconds(1));
        log.info("Kafka plan consumer stopped");
    }

    /**
     * Handles the batch in partition order and commits what is done. On a transient refusal every partition of the
     * batch is rewound to its first record not done, the assignment is paused for the back-off (polls go on, so the
     * group keeps this member), and the returned back-off is doubled; otherwise it is reset.
     */
    private Duration process(Consumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records, Duration backoff) {
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        Map<TopicPartition, Long> rewind = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                if (!rewind.isEmpty()) {
                    rewind.putIfAbsent(tp, r.offset());
                    break;
                }
                lastRecordAt = clock.instant();
                if (handle(r) == Outcome.DONE) {
                    done.put(tp, new OffsetAndMetadata(r.offset() + 1));
                } else {
                    rewind.put(tp, r.offset());
                    break;
                }
            }
        }
        if (!done.isEmpty()) c.commitSync(done);
        if (rewind.isEmpty()) {
            if (state.equals("retrying") || state.equals("down")) state = "up";
            return INITIAL_BACKOFF;
        }
        retries.incrementAndGet();
        state = "retrying";
        rewind.forEach(c::seek);
        c.pause(c.assignment());
        long end = System.nanoTime() + backoff.toNanos();
        while (running && System.nanoTime() < end) {
            c.poll(Duration.ofMillis(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000))));
        }
        c.resume(c.assignment());
        return next(backoff);
    }

    private Outcome handle(ConsumerRecord<byte[], byte[]> r) {
        String where = r.topic() + "-" + r.partition() + "@" + r.offset();
        byte[] value = r.value();
        if (value == null) {
            log.warn("Kafka plan {} has no value, dead-lettered", where);
            return deadLetter(r, "empty", List.of(new FieldError("$", "record has no value")));
        }
        if (value.length > MAX_RECORD) {
            log.warn("Kafka plan {} is {} bytes, over {}, dead-lettered", where, value.length, MAX_RECORD);
            return deadLetter(r, "too_large", List.of(new FieldError("$", "record larger than " + MAX_RECORD + " bytes")));
        }
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            log.warn("Kafka plan {} is not UTF-8, dead-lettered", where);
            return deadLetter(r, "not_utf8", List.of(new FieldError("$", "record value is not UTF-8")));
        }
        ParseResult parsed = parser.parse(json);
        if (!(parsed instanceof ParseResult.Parsed ok)) {
            log.warn("Kafka plan {} malformed, dead-lettered: {}", where, parsed.errors());
            return deadLetter(r, "malformed", parsed.errors());
        }
        String planId = ok.plan().planId();
        if (!ready.getAsBoolean()) {
            lastError = "not ready: the venue sessions are not all logged on yet";
            log.debug("Kafka plan {} plan={} waits: not ready", where, planId);
            return Outcome.RETRY;
        }
        CompletableFuture<TradingEngine.SubmitOutcome> answer = engine.submit(ok.plan(), json);
        TradingEngine.SubmitOutcome o;
        try {
            o = answer.get(ENGINE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            lastError = "engine did not answer within " + ENGINE_WAIT.toMillis() + " ms";
            log.warn("Kafka plan {} plan={}: {}; retried (an accepted plan is answered 200 next time)", where, planId, lastError);
            return Outcome.RETRY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.RETRY;
        } catch (Exception e) {
            lastError = describe(e);
            log.warn("Kafka plan {} plan={}: engine failed ({}); retried", where, planId, lastError);
            return Outcome.RETRY;
        }
        switch (o.httpStatus()) {
            case 202 -> {
                accepted.incrementAndGet();
                log.info("Kafka plan {} plan={} accepted", where, planId);
                return Outcome.DONE;
            }
            case 200 -> {
                duplicates.incrementAndGet();
                log.info("Kafka plan {} plan={} already known ({}): nothing new", where, planId, o.state());
                return Outcome.DONE;
            }
            case 422 -> {
                invalid.incrementAndGet();
                log.info("Kafka plan {} plan={} refused (422, failed report emitted): {}", where, planId, o.message());
                return Outcome.DONE;
            }
            case 503 -> {
                lastError = "engine refused new plans (503): " + o.message();
                log.debug("Kafka plan {} plan={} waits: {}", where, planId, lastError);
                return Outcome.RETRY;
            }
            default -> {
                log.warn("Kafka plan {} plan={} refused ({}), dead-lettered: {}", where, planId, o.httpStatus(), o.message());
                List<FieldError> errors = o.issues().isEmpty() ? List.of(new FieldError("plan_id", o.message()))
                        : o.issues().stream().map((PlanIssue i) -> new FieldError(i.field(), i.message())).toList();
                return deadLetter(r, o.httpStatus() == 409 ? "conflict" : "refused_" + o.httpStatus(), errors);
            }
        }
    }

    /** The record, verbatim, on the dead-letter topic with why; RETRY when the broker did not take it. */
    private Outcome deadLetter(ConsumerRecord<byte[], byte[]> r, String reason, List<FieldError> errors) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (FieldError e : errors) list.addObject().put("field", e.field()).put("message", e.message());
        ObjectNode source = Json.MAPPER.createObjectNode().put("topic", r.topic()).put("partition", r.partition()).put("offset", r.offset());
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(settings.deadLetterTopic(), null, r.key(), r.value());
        dead.headers().add(HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        dead.headers().add(HEADER_ERRORS, list.toString().getBytes(StandardCharsets.UTF_8));
        dead.headers().add(HEADER_SOURCE, source.toString().getBytes(StandardCharsets.UTF_8));
        try {
            if (deadLetters == null) deadLetters = new KafkaProducer<>(deadLetterProperties(settings));
            deadLetters.send(dead).get(30, TimeUnit.SECONDS);
            deadLettered.incrementAndGet();
            return Outcome.DONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.RETRY;
        } catch (Exception e) {
            lastError = "dead letter not written: " + describe(e);
            log.warn("Kafka plan {}-{}@{}: {}; retried", r.topic(), r.partition(), r.offset(), lastError);
            if (deadLetters != null) deadLetters.close(Duration.ZERO);
            deadLetters = null;
            return Outcome.RETRY;
        }
    }

    static Properties deadLetterProperties(KafkaSettings settings) {
        Properties p = KafkaReportPublisher.producerProperties(settings);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "trader-gateway-plans-dlq");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private void updateLag(Consumer<byte[], byte[]> c) {
        long total = 0;
        for (TopicPartition tp : c.assignment()) {
            var l = c.currentLag(tp);
            if (l.isEmpty()) return;
            total += l.getAsLong();
        }
        lag = c.assignment().isEmpty() ? -1 : total;
    }

    private static Duration next(Duration backoff) {
        Duration d = backoff.multipliedBy(2);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private void pause(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (running && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    @Override
    public void close() {
        running = false;
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) c.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) log.warn("Kafka plan consumer did not stop within 10 s");
    }
}
