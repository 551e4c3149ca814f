package io.tradergateway.kafka;

import io.tradergateway.report.delivery.ConsumerCursorStore;
import io.tradergateway.report.delivery.OutboxEntry;
import io.tradergateway.report.delivery.ReportOutbox;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The publisher without a broker ({@link MockProducer}): records in sequence order keyed by plan_id with a sequence
 * header; the cursor moves only after the broker acknowledged the whole batch; a failed batch is sent again from the
 * stored cursor on a new producer.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KafkaReportPublisherTest {

    static final KafkaSettings SETTINGS = KafkaSettings.disabled().withBootstrapServers("127.0.0.1:1");
    final Outbox outbox = new Outbox();
    final Cursors cursors = new Cursors();
    final List<MockProducer<String, String>> producers = new CopyOnWriteArrayList<>();
    KafkaReportPublisher publisher;

    @AfterEach
    void stop() {
        if (publisher != null) publisher.close();
    }

    private KafkaReportPublisher start(boolean autoComplete) {
        publisher = new KafkaReportPublisher(SETTINGS, outbox, cursors, Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC),
                props -> {
                    MockProducer<String, String> p = new MockProducer<>(autoComplete, null, new StringSerializer(), new StringSerializer());
                    producers.add(p);
                    return p;
                });
        publisher.start();
        return publisher;
    }

    @Test
    void publishesInSequenceOrderKeyedByPlanAndStoresTheCursorAfterTheAcks() {
        outbox.add("p-1", "p-2", "p-1", "p-3");
        start(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> cursors.load(SETTINGS.cursorName()) == 4);
        List<ProducerRecord<String, String>> sent = producers.get(0).history();
        assertThat(sent).extracting(ProducerRecord::key).containsExactly("p-1", "p-2", "p-1", "p-3");
        assertThat(sent).extracting(r -> new String(r.headers().lastHeader(KafkaReportPublisher.HEADER_SEQUENCE).value(), StandardCharsets.US_ASCII))
                .containsExactly("1", "2", "3", "4");
        assertThat(sent).allMatch(r -> r.topic().equals("trader.exec-reports"));

        outbox.add("p-4");
        publisher.wakeUp();
        await().atMost(Duration.ofSeconds(10)).until(() -> cursors.load(SETTINGS.cursorName()) == 5);
        assertThat(publisher.status().state()).isEqualTo("up");
        assertThat(publisher.status().published()).isEqualTo(5);
    }

    @Test
    void aFailedBatchIsSentAgainFromTheStoredCursorOnANewProducer() {
        cursors.save(SETTINGS.cursorName(), 1);
        outbox.add("p-1", "p-2", "p-3");
        start(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> producers.size() == 1 && producers.get(0).history().size() == 2);
        MockProducer<String, String> first = producers.get(0);
        first.completeNext();
        first.errorNext(new TimeoutException("broker away"));
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.status().state().equals("down"));
        assertThat(cursors.load(SETTINGS.cursorName())).as("nothing stored before the whole batch is acknowledged").isEqualTo(1);
        assertThat(publisher.status().lastError()).contains("broker away");

        await().atMost(Duration.ofSeconds(10)).until(() -> producers.size() == 2 && producers.get(1).history().size() == 2);
        MockProducer<String, String> second = producers.get(1);
        assertThat(second.history()).extracting(r -> new String(r.headers().lastHeader("sequence").value(), StandardCharsets.US_ASCII))
                .containsExactly("2", "3");
        while (second.completeNext()) {
            // acknowledge everything
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> cursors.load(SETTINGS.cursorName()) == 3);
        assertThat(publisher.status().consecutiveFailures()).isZero();
    }

    static final class Outbox implements ReportOutbox {
        final List<OutboxEntry> entries = new CopyOnWriteArrayList<>();
        final AtomicInteger next = new AtomicInteger(1);

        void add(String... planIds) {
            for (String planId : planIds) {
                int seq = next.getAndIncrement();
                entries.add(new OutboxEntry(seq, "r-" + seq,
                        "{\"event_type\":\"exec-report-1.0\",\"sequence\":" + seq + ",\"report_id\":\"r-" + seq + "\",\"plan_id\":\"" + planId + "\"}"));
            }
        }

        @Override
        public List<OutboxEntry> readAfter(long sequence, int limit) {
            List<OutboxEntry> out = new ArrayList<>();
            for (OutboxEntry e : entries) if (e.sequence() > sequence && out.size() < limit) out.add(e);
            return out;
        }

        @Override
        public long lastSequence() {
            return next.get() - 1;
        }
    }

    static final class Cursors implements ConsumerCursorStore {
        final Map<String, Long> stored = new ConcurrentHashMap<>();

        @Override
        public long load(String consumer) {
            return stored.getOrDefault(consumer, 0L);
        }

        @Override
        public void save(String consumer, long sequence) {
            stored.put(consumer, sequence);
        }
    }
}
