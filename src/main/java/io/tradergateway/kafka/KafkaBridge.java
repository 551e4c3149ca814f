package io.tradergateway.kafka;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.execution.TradingEngine;
import io.tradergateway.report.Json;
import io.tradergateway.report.delivery.ConsumerCursorStore;
import io.tradergateway.report.delivery.ReportOutbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The Kafka transport as the application sees it: the report publisher (built with the outbox, before the engine, so the
 * engine's commit callback can {@link #wakeUp()} it) and the plan consumer (started with the engine). Stopping it stops
 * both; neither ever holds up the engine.
 */
public final class KafkaBridge implements AutoCloseable {

    /** One gauge sample, registered in the metrics registry by {@code GatewayMetrics.bindKafka}. */
    public record Gauge(String name, String help, String labelName, String labelValue, long value) {
    }

    private final KafkaSettings settings;
    private final ReportOutbox outbox;
    private final KafkaReportPublisher publisher;
    private final Clock clock;
    private volatile KafkaPlanConsumer consumer;

    public KafkaBridge(KafkaSettings settings, ReportOutbox outbox, ConsumerCursorStore cursors, Clock clock) {
        if (!settings.enabled()) throw new IllegalArgumentException("Kafka is not configured (kafka.bootstrap.servers is empty)");
        this.settings = settings;
        this.outbox = outbox;
        this.clock = clock;
        this.publisher = new KafkaReportPublisher(settings, outbox, cursors, clock);
    }

    /** Starts publishing reports and consuming plans into {@code engine} (while {@code ready} is false plans wait in Kafka). */
    public void start(TradingEngine engine, BooleanSupplier ready) {
        publisher.start();
        KafkaPlanConsumer c = new KafkaPlanConsumer(settings, engine, ready, clock);
        consumer = c;
        c.start();
    }

    public void wakeUp() {
        publisher.wakeUp();
    }

    public KafkaSettings settings() {
        return settings;
    }

    public KafkaReportPublisher.Status publisherStatus() {
        return publisher.status();
    }

    /** Null before {@link #start}. */
    public KafkaPlanConsumer.Status consumerStatus() {
        KafkaPlanConsumer c = consumer;
        return c == null ? null : c.status();
    }

    /** The report publisher in {@code GET /v1/consumers}' list shape, plus its kind and topic. */
    public ObjectNode publisherJson() {
        KafkaReportPublisher.Status s = publisher.status();
        long last = lastSequence();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("consumer", settings.cursorName());
        n.put("kind", "kafka");
        n.put("topic", settings.reportsTopic());
        n.put("state", s.state());
        n.put("cursor", s.cursor());
        n.put("lag", last < 0 ? null : Math.max(0, last - s.cursor()));
        n.put("consecutive_failures", s.consecutiveFailures());
        n.put("last_error", s.lastError());
        n.put("down_since", text(s.downSince()));
        n.put("last_acknowledged_at", text(s.lastAcknowledgedAt()));
        n.put("published", s.published());
        return n;
    }

    /** The plan consumer for {@code GET /v1/consumers} ({@code kafka_plans}). */
    public ObjectNode consumerJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("topic", settings.plansTopic());
        n.put("group_id", settings.groupId());
        n.put("dead_letter_topic", settings.deadLetterTopic());
        KafkaPlanConsumer.Status s = consumerStatus();
        if (s == null) {
            n.put("state", "stopped");
            return n;
        }
        n.put("state", s.state());
        n.put("lag", s.lag() < 0 ? null : s.lag());
        n.put("accepted", s.accepted());
        n.put("duplicates", s.duplicates());
        n.put("invalid", s.invalid());
        n.put("dead_lettered", s.deadLettered());
        n.put("retries", s.retries());
        n.put("last_error", s.lastError());
        n.put("last_record_at", text(s.lastRecordAt()));
        return n;
    }

    /** Gauges for {@code /metrics}: publisher lag and state, plan-consumer lag, state and counts. */
    public List<Gauge> gauges() {
        List<Gauge> g = new ArrayList<>();
        KafkaReportPublisher.Status p = publisher.status();
        long last = lastSequence();
        String topic = settings.reportsTopic();
        g.add(new Gauge("trader_kafka_reports_lag", "exec-reports committed but not yet acknowledged by the Kafka broker (-1 unknown)",
                "topic", topic, last < 0 ? -1 : Math.max(0, last - p.cursor())));
        g.add(new Gauge("trader_kafka_reports_up", "0 while publishing exec-reports to Kafka fails and is retried with back-off",
                "topic", topic, p.state().equals("down") ? 0 : 1));
        g.add(new Gauge("trader_kafka_reports_consecutive_failures", "failed attempts to publish the current batch to Kafka",
                "topic", topic, p.consecutiveFailures()));
        KafkaPlanConsumer.Status c = consumerStatus();
        String plans = settings.plansTopic();
        g.add(new Gauge("trader_kafka_plans_lag", "plan records not yet consumed, summed over the assigned partitions (-1 unknown)",
                "topic", plans, c == null ? -1 : c.lag()));
        g.add(new Gauge("trader_kafka_plans_up", "1 while the plan consumer is consuming, 0 while it waits (not ready, halted) or reconnects",
                "topic", plans, c != null && c.state().equals("up") ? 1 : 0));
        g.add(new Gauge("trader_kafka_plans_accepted", "plans from Kafka accepted by the engine since start",
                "topic", plans, c == null ? 0 : c.accepted()));
        g.add(new Gauge("trader_kafka_plans_dead_lettered", "plan records sent to the dead-letter topic since start",
                "topic", plans, c == null ? 0 : c.deadLettered()));
        return g;
    }

    private long lastSequence() {
        try {
            return outbox.lastSequence();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** Stops the plan consumer first (no new plans), then the publisher. */
    @Override
    public void close() {
        KafkaPlanConsumer c = consumer;
        if (c != null) c.close();
        publisher.close();
    }
}
