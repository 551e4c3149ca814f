package io.tradergateway.report.delivery;

/** Durable per-consumer cursor: the last outbox sequence the consumer acknowledged. */
public interface ConsumerCursorStore {

    /** The last acknowledged sequence, 0 when nothing was ever delivered to this consumer. */
    long load(String consumer);

    void save(String consumer, long sequence);
}
