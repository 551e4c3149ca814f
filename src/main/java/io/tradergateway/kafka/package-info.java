/**
 * Kafka transport (SPEC §8, off by default): {@link io.tradergateway.kafka.KafkaPlanConsumer} takes dm-decision-1.0
 * plans from a topic into the trading engine exactly as {@code POST /v1/plans} does, and
 * {@link io.tradergateway.kafka.KafkaReportPublisher} publishes the exec-report outbox to a topic from its own stored
 * cursor. Both run on their own threads and back off while Kafka is away; nothing on the engine thread waits for Kafka.
 */
package io.tradergateway.kafka;
