package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.kafka.KafkaBroker;
import io.tradergateway.kafka.KafkaPlanConsumer;
import io.tradergateway.kafka.KafkaReportPublisher;
import io.tradergateway.kafka.KafkaSettings;
import io.tradergateway.report.Json;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka transport against a real KRaft broker (a child JVM from the kafka_2.13 artifact, {@link KafkaBroker}) and the
 * gateway with the simulated venue: plans in from a topic, exec-reports out to a topic keyed by plan_id in sequence order,
 * a poison record dead-lettered without blocking the partition, a duplicate plan, and a broker restart while trading goes
 * on. One broker and one gateway for the class; each test uses its own plan ids.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaSystemTest {

    static final String PLANS = "it.plans";
    static final String REPORTS = "it.exec-reports";
    static final String GROUP = "it-gateway";
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static KafkaBroker broker;
    static GatewayHarness h;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start(dir.resolve("kafka"));
        broker.createTopic(PLANS, 2);
        broker.createTopic(REPORTS, 3);
        KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), PLANS, REPORTS, GROUP);
        h = GatewayHarness.start(dir.resolve("gw"), UnaryOperator.identity(), c -> c.withKafka(kafka));
    }

    @AfterAll
    static void stop() {
        try {
            if (h != null) h.close();
        } finally {
            if (broker != null) broker.close();
        }
    }

    @Test
    void plansFromTheTopicAreTradedAndEveryReportIsPublishedKeyedByPlanInSequenceOrder() {
        List<String> ids = List.of("kin-1", "kin-2", "kin-3");
        for (String id : ids) sendPlan(Plans.market(id, id.equals("kin-2") ? "MSFT" : "AAPL", "long"));
        for (String id : ids) h.awaitReport(id, r -> r.path("status").asText().equals("filled"));
        for (String id : ids) assertThat(h.plan(id).path("orders")).hasSize(1);

        assertEveryReportPublishedInOrder();
        // The offsets of the plan consumer were committed up to the end of the topic once the plans were accepted.
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedBehindEnd()).isZero());
        JsonNode consumers = h.get("/v1/consumers").body();
        assertThat(consumers.path("kafka_plans").path("accepted").asLong()).isGreaterThanOrEqualTo(3);
        JsonNode publisher = kafkaPublisher(consumers);
        assertThat(publisher.path("state").asText()).isEqualTo("up");
        await().atMost(WAIT).until(() -> metric("trader_kafka_reports_lag") == 0 && metric("trader_kafka_reports_up") == 1);
    }

    @Test
    void samePlanTwiceIsOnePlanAndTheSamePlanIdWithOtherContentIsDeadLettered() {
        ObjectNode plan = Plans.market("kdup-1", "AAPL", "long");
        sendPlan(plan);
        sendPlan(plan);
        ObjectNode other = plan.deepCopy();
        other.put("position_size", 2.0);
        sendPlan(other);
        ObjectNode after = Plans.market("kdup-2", "AAPL", "long");
        sendPlan(after);
        h.awaitReport("kdup-2", r -> r.path("status").asText().equals("filled"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedBehindEnd()).isZero());

        assertThat(h.plan("kdup-1").path("orders")).hasSize(1);
        assertThat(h.reportsOf("kdup-1").stream().filter(r -> r.path("status").asText().equals("filled")).count()).isEqualTo(1);
        String clOrdId = h.plan("kdup-1").path("orders").get(0).path("cl_ord_id").asText();
        long newOrders = h.sim.venues().stream().flatMap(v -> h.sim.received(v).stream())
                .filter(e -> e.isNewOrder() && clOrdId.equals(e.clOrdId())).count();
        assertThat(newOrders).isEqualTo(1);
        assertThat(h.get("/v1/consumers").body().path("kafka_plans").path("duplicates").asLong()).isGreaterThanOrEqualTo(1);
        List<ConsumerRecord<byte[], byte[]>> dead = deadLettersFor("kdup-1");
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), KafkaPlanConsumer.HEADER_REASON)).isEqualTo("conflict");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo(other.toString());
    }

    @Test
    void poisonRecordsAreDeadLetteredAndNeverBlockThePartition() {
        // Same key, so the same partition as the good plan that follows them.
        broker.send(PLANS, "kpoison", "{not json".getBytes(StandardCharsets.UTF_8));
        ObjectNode schemaBad = Plans.market("kpoison-bad", "AAPL", "long");
        schemaBad.remove("symbol");
        schemaBad.put("confidence_score", "high");
        broker.send(PLANS, "kpoison", schemaBad.toString().getBytes(StandardCharsets.UTF_8));
        broker.send(PLANS, "kpoison", new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'});
        ObjectNode expired = Plans.market("kpoison-expired", "AAPL", "long");
        expired.put("valid_until", "2020-01-01T00:00:00Z");
        broker.send(PLANS, "kpoison", expired.toString().getBytes(StandardCharsets.UTF_8));
        broker.send(PLANS, "kpoison", Plans.market("kpoison-good", "AAPL", "long").toString().getBytes(StandardCharsets.UTF_8));

        h.awaitReport("kpoison-good", r -> r.path("status").asText().equals("filled"));
        // Business-invalid (422): a failed report, as over the API.
        h.awaitReport("kpoison-expired", r -> r.path("status").asText().equals("failed"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedBehindEnd()).isZero());

        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            dead.clear();
            broker.readAll(PLANS + ".dlq").stream().filter(r -> "kpoison".equals(key(r))).forEach(dead::add);
            return dead.size() == 3;
        });
        assertThat(dead).extracting(r -> header(r, KafkaPlanConsumer.HEADER_REASON)).containsExactly("malformed", "malformed", "not_utf8");
        assertThat(header(dead.get(1), KafkaPlanConsumer.HEADER_ERRORS)).contains("symbol").contains("confidence_score");
        assertThat(header(dead.get(0), KafkaPlanConsumer.HEADER_SOURCE)).contains(PLANS);
        assertThat(h.plan("kpoison-bad").path("state").isMissingNode() || h.get("/v1/plans/kpoison-bad").status() == 404).isTrue();
    }

    @Test
    void aBrokerRestartLosesNothingReordersNothingAndTradingGoesOn() {
        sendPlan(Plans.market("krs-0", "AAPL", "long"));
        h.awaitReport("krs-0", r -> r.path("status").asText().equals("filled"));
        assertEveryReportPublishedInOrder();

        broker.stop();
        try {
            // Trading goes on over the API while Kafka is away; the reports pile up in the outbox.
            for (String id : List.of("krs-1", "krs-2")) {
                assertThat(h.post("/v1/plans", Plans.market(id, "MSFT", "short")).status()).isEqualTo(202);
            }
            for (String id : List.of("krs-1", "krs-2")) h.awaitReport(id, r -> r.path("status").asText().equals("filled"));
            await().atMost(WAIT).until(() -> metric("trader_kafka_reports_lag") > 0);
            assertThat(kafkaPublisher(h.get("/v1/consumers").body()).path("lag").asLong()).isPositive();
            await().atMost(WAIT).until(() -> "down".equals(kafkaPublisher(h.get("/v1/consumers").body()).path("state").asText()));
            assertThat(metric("trader_kafka_reports_up")).isZero();
            // The gateway stops and starts again while the broker is still away: the publisher resumes from its stored
            // outbox cursor, not from memory.
            h.restartGateway();
            assertThat(h.post("/v1/plans", Plans.market("krs-4", "AAPL", "long")).status()).isEqualTo(202);
            h.awaitReport("krs-4", r -> r.path("status").asText().equals("filled"));
        } finally {
            broker.start();
        }
        sendPlan(Plans.market("krs-3", "AAPL", "long"));
        h.awaitReport("krs-3", r -> r.path("status").asText().equals("filled"));
        assertEveryReportPublishedInOrder();
        await().atMost(WAIT).until(() -> "up".equals(kafkaPublisher(h.get("/v1/consumers").body()).path("state").asText()));
    }

    @Test
    void aPlanRefusedForATransientReasonWaitsInKafkaAndIsTakenOnceTradingResumes() {
        assertThat(h.post("/v1/trading-state", "{\"state\": \"halted\"}").status()).isEqualTo(200);
        try {
            sendPlan(Plans.market("khalt-1", "AAPL", "long"));
            await().atMost(WAIT).until(() -> h.get("/v1/consumers").body().path("kafka_plans").path("state").asText().equals("retrying"));
            assertThat(h.get("/v1/plans/khalt-1").status()).isEqualTo(404);
            assertThat(committedBehindEnd()).isPositive();
            assertThat(metric("trader_kafka_plans_up")).isZero();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            assertThat(h.post("/v1/trading-state", "{\"state\": \"active\"}").status()).isEqualTo(200);
        }
        h.awaitReport("khalt-1", r -> r.path("status").asText().equals("filled"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(committedBehindEnd()).isZero());
        await().atMost(WAIT).until(() -> metric("trader_kafka_plans_up") == 1);
    }

    // ---------------------------------------------------------------- helpers

    static void sendPlan(ObjectNode plan) {
        broker.send(PLANS, plan.path("plan_id").asText(), plan.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Every report of the outbox is on the reports topic (at least once), keyed by its plan_id, with a sequence header equal
     * to its JSON sequence; one plan's reports are in one partition; and in each partition the first appearances of the
     * sequences are in increasing order (a redelivery after an outage may repeat sequences already seen, never go back
     * before them as new).
     */
    static void assertEveryReportPublishedInOrder() {
        List<JsonNode> outbox = h.reports();
        long last = outbox.get(outbox.size() - 1).path("sequence").asLong();
        Map<Long, String> planOf = new HashMap<>();
        for (JsonNode r : outbox) planOf.put(r.path("sequence").asLong(), r.path("plan_id").asText());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            records.clear();
            records.addAll(broker.readAll(REPORTS));
            Set<Long> seen = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : records) seen.add(Long.parseLong(header(r, KafkaReportPublisher.HEADER_SEQUENCE)));
            for (long s = 1; s <= last; s++) if (!seen.contains(s)) return false;
            return true;
        });
        Map<Integer, Long> highestPerPartition = new HashMap<>();
        Map<String, Integer> partitionOfPlan = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode report = json(r.value());
            long sequence = Long.parseLong(header(r, KafkaReportPublisher.HEADER_SEQUENCE));
            assertThat(report.path("sequence").asLong()).isEqualTo(sequence);
            assertThat(key(r)).isEqualTo(report.path("plan_id").asText()).isEqualTo(planOf.get(sequence));
            assertThat(header(r, KafkaReportPublisher.HEADER_REPORT_ID)).isEqualTo(report.path("report_id").asText());
            Integer before = partitionOfPlan.putIfAbsent(key(r), r.partition());
            assertThat(before == null || before == r.partition()).as("plan %s in one partition", key(r)).isTrue();
            long highest = highestPerPartition.getOrDefault(r.partition(), 0L);
            // A repeat (sequence already written) is allowed; a new sequence must come after everything before it.
            if (sequence > highest) highestPerPartition.put(r.partition(), sequence);
        }
        for (int p : highestPerPartition.keySet()) {
            List<Long> firsts = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                long s = Long.parseLong(header(r, KafkaReportPublisher.HEADER_SEQUENCE));
                if (r.partition() == p && seen.add(s)) firsts.add(s);
            }
            assertThat(firsts).as("first appearances in partition %d", p).isSorted();
        }
    }

    /** Records of the plans topic not yet covered by the group's committed offsets. */
    static long committedBehindEnd() throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 2; p++) latest.put(new TopicPartition(PLANS, p), OffsetSpec.latest());
            long behind = 0;
            for (var e : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                behind += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return behind;
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> deadLettersFor(String planId) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            out.clear();
            broker.readAll(PLANS + ".dlq").stream().filter(r -> planId.equals(key(r))).forEach(out::add);
            return !out.isEmpty();
        });
        return out;
    }

    static JsonNode kafkaPublisher(JsonNode consumers) {
        for (JsonNode c : consumers.path("consumers")) {
            if (c.path("kind").asText().equals("kafka")) return c;
        }
        throw new AssertionError("no kafka publisher in " + consumers);
    }

    /** The value of a one-sample gauge in {@code /metrics}. */
    static long metric(String name) {
        for (String line : h.metrics().split("\n")) {
            // Micrometer writes every value as a double (0.0): read it as one, compare it as the whole number it is.
            if (line.startsWith(name + "{")) return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        throw new AssertionError("no metric " + name);
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    static JsonNode json(byte[] value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
