package io.tradergateway.kafka;

import java.util.Objects;

/**
 * The {@code kafka.*} settings (SPEC §8).
 *
 * @param bootstrapServers {@code host:port[,host:port...]}; empty = no Kafka (the default)
 * @param plansTopic       topic of dm-decision-1.0 plans, one JSON plan per record
 * @param reportsTopic     topic the exec-reports are published to, keyed by plan_id
 * @param groupId          consumer group of the plan consumer
 */
public record KafkaSettings(String bootstrapServers, String plansTopic, String reportsTopic, String groupId) {

    public static final String DEFAULT_PLANS_TOPIC = "trader.plans";
    public static final String DEFAULT_REPORTS_TOPIC = "trader.exec-reports";
    public static final String DEFAULT_GROUP_ID = "trader-gateway";

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(plansTopic, "plansTopic");
        Objects.requireNonNull(reportsTopic, "reportsTopic");
        Objects.requireNonNull(groupId, "groupId");
    }

    /** Kafka off. */
    public static KafkaSettings disabled() {
        return new KafkaSettings("", DEFAULT_PLANS_TOPIC, DEFAULT_REPORTS_TOPIC, DEFAULT_GROUP_ID);
    }

    public boolean enabled() {
        return !bootstrapServers.isBlank();
    }

    /** Where records that can never become a plan go (malformed JSON, schema errors, a plan_id reused with other content). */
    public String deadLetterTopic() {
        return plansTopic + ".dlq";
    }

    /** The outbox cursor of the report publisher (table consumer_cursors), one per reports topic. */
    public String cursorName() {
        return "kafka:" + reportsTopic;
    }

    public KafkaSettings withBootstrapServers(String servers) {
        return new KafkaSettings(servers, plansTopic, reportsTopic, groupId);
    }

    public KafkaSettings withTopics(String plans, String reports) {
        return new KafkaSettings(bootstrapServers, plans, reports, groupId);
    }
}
