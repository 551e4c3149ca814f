package io.tradergateway.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradergateway.report.Json;
import io.tradergateway.report.delivery.ConsumerCursorStore;
import io.tradergateway.report.delivery.OutboxEntry;
import io.tradergateway.report.delivery.ReportDispatcher;
import io.tradergateway.report.delivery.ReportOutbox;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Publishes the exec-report outbox to {@code kafka.reports.topic}, on its own thread: read the reports after the stored
 * cursor ({@code consumer_cursors}, named {@link KafkaSettings#cursorName()}), send them in sequence order with an
 * idempotent producer (acks=all, at most 5 in flight, so a partition's log holds them in the order sent), wait until
 * the broker acknowledged every one, then store the cursor. Any failure closes the producer, waits (exponential
 * back-off) and sends again from the stored cursor: at least once, never skipped, and a crash or a broker outage resumes
 * from the outbox. Each record is keyed by plan_id (one plan's reports stay in one partition, in order) and carries
 * {@code sequence} and {@code report_id} headers besides the JSON's own {@code sequence}.
 */
public final class KafkaReportPublisher implements Runnable, AutoCloseable {

    public static final String HEADER_SEQUENCE = "sequence";
    public static final String HEADER_REPORT_ID = "report_id";

    private static final Logger log = LoggerFactory.getLogger(KafkaReportPublisher.class);
    static final int BATCH = 500;
    static final Duration IDLE_POLL = Duration.ofSeconds(1);
    static final Duration INITIAL_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** How long one batch may wait for the broker's acknowledgements before it counts as failed. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /** What {@code GET /v1/consumers} and {@code /metrics} show; written by the publisher thread only. */
    public record Status(String state, long cursor, int consecutiveFailures, String lastError, Instant downSince,
                         Instant lastAcknowledgedAt, long published) {
    }

    private final KafkaSettings settings;
    private final ReportOutbox outbox;
    private final ConsumerCursorStore cursors;
    private final Clock clock;
    private final Function<Properties, Producer<String, String>> producers;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Status status;
    /** The producer in use, so {@link #close()} can abandon a send that waits for an absent broker. */
    private volatile Producer<String, String> current;

    public KafkaReportPublisher(KafkaSettings settings, ReportOutbox outbox, ConsumerCursorStore cursors, Clock clock) {
        this(settings, outbox, cursors, clock, KafkaProducer::new);
    }

    KafkaReportPublisher(KafkaSettings settings, ReportOutbox outbox, ConsumerCursorStore cursors, Clock clock,
                         Function<Properties, Producer<String, String>> producers) {
        this.settings = settings;
        this.outbox = outbox;
        this.cursors = cursors;
        this.clock = clock;
        this.producers = producers;
        long stored = cursors.load(settings.cursorName());
        this.status = new Status("starting", stored, 0, null, null, null, 0);
        this.thread = new Thread(this, "kafka-reports");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** New reports were committed: an idle publisher reads the outbox now. Never blocks. */
    public void wakeUp() {
        if (wake.availablePermits() == 0) wake.release();
    }

    public Status status() {
        return status;
    }

    public String name() {
        return settings.cursorName();
    }

    static Properties producerProperties(KafkaSettings settings) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "trader-gateway-reports");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(ACK_TIMEOUT.toMillis() - 5000));
        // send() waits this long for metadata while the broker is away; only this thread waits.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    @Override
    public void run() {
        log.info("Publishing exec-reports to Kafka topic {} at {} from sequence {}", settings.reportsTopic(),
                settings.bootstrapServers(), status.cursor() + 1);
        Producer<String, String> producer = null;
        Duration backoff = INITIAL_BACKOFF;
        while (running) {
            Status s = status;
            try {
                List<OutboxEntry> batch = ReportDispatcher.page(outbox, s.cursor(), BATCH);
                if (batch.isEmpty()) {
                    if (s.state().equals("starting")) status = new Status("up", s.cursor(), 0, null, null, s.lastAcknowledgedAt(), s.published());
                    wake.tryAcquire(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                    continue;
                }
                if (producer == null) {
                    producer = producers.apply(producerProperties(settings));
                    current = producer;
                }
                List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
                for (OutboxEntry entry : batch) acks.add(producer.send(record(entry)));
                long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
                for (Future<RecordMetadata> ack : acks) ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                long last = batch.get(batch.size() - 1).sequence();
                cursors.save(settings.cursorName(), last);
                if (s.consecutiveFailures() > 0) {
                    log.info("Kafka topic {} reachable again after {} failed attempts; published up to sequence {}",
                            settings.reportsTopic(), s.consecutiveFailures(), last);
                }
                status = new Status("up", last, 0, null, null, clock.instant(), s.published() + batch.size());
                backoff = INITIAL_BACKOFF;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                if (!running) break;
                // The producer may hold a failed sequence; a new one starts clean and the batch is sent again from the
                // stored cursor (reports the broker did take are then repeated, same sequence: at least once).
                if (producer != null) closeQuietly(producer);
                producer = null;
                String error = describe(e);
                int failures = s.consecutiveFailures() + 1;
                if (failures == 1) log.warn("Publishing exec-reports to Kafka failed, retrying with back-off: {}", error);
                else log.debug("Publishing exec-reports to Kafka failed ({} in a row): {}", failures, error);
                status = new Status("down", s.cursor(), failures, error, s.downSince() == null ? clock.instant() : s.downSince(),
                        s.lastAcknowledgedAt(), s.published());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        if (producer != null) closeQuietly(producer);
        current = null;
        log.info("Kafka report publisher stopped at sequence {}", status.cursor());
    }

    private ProducerRecord<String, String> record(OutboxEntry entry) {
        String key = planId(entry);
        ProducerRecord<String, String> r = new ProducerRecord<>(settings.reportsTopic(), key, entry.json());
        r.headers().add(HEADER_SEQUENCE, Long.toString(entry.sequence()).getBytes(StandardCharsets.US_ASCII));
        r.headers().add(HEADER_REPORT_ID, entry.reportId().getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** The report's plan_id, the record key; a report without one (none is expected) is keyed by its report_id. */
    static String planId(OutboxEntry entry) {
        try {
            JsonNode node = Json.MAPPER.readTree(entry.json());
            String planId = node.path("plan_id").asText("");
            return planId.isEmpty() ? entry.reportId() : planId;
        } catch (IOException e) {
            return entry.reportId();
        }
    }

    private void sleep(Duration d) {
        try {
            // A stop cuts the wait short (wake-ups during a back-off are drained: a commit does not bring Kafka back).
            long end = System.nanoTime() + d.toNanos();
            while (running && System.nanoTime() < end) {
                wake.tryAcquire(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static void closeQuietly(Producer<String, String> producer) {
        try {
            producer.close(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            log.debug("closing the Kafka producer", e);
        }
    }

    @Override
    public void close() {
        running = false;
        wake.release();
        try {
            thread.join(1000);
            Producer<String, String> p = current;
            // Still waiting for the broker: abandon the batch (its cursor is not stored, so it is sent again after a start).
            if (thread.isAlive() && p != null) p.close(Duration.ZERO);
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) log.warn("Kafka report publisher did not stop within 5 s");
    }
}
