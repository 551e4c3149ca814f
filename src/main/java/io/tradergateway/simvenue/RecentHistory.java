package io.tradergateway.simvenue;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The newest entries of a history the simulated venue keeps for tests and operators (orders received, fills
 * reported), at most {@link #CAPACITY}: a long run (a benchmark of a million plans) keeps its memory flat instead of
 * holding every message since start. Thread-safe; readers get a copy.
 */
final class RecentHistory<T> {
    static final int CAPACITY = 100_000;

    private final ArrayDeque<T> entries = new ArrayDeque<>();
    private final int capacity;

    RecentHistory() {
        this(CAPACITY);
    }

    RecentHistory(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(T entry) {
        entries.addLast(entry);
        if (entries.size() > capacity) entries.removeFirst();
    }

    /** The entries kept, oldest first. */
    synchronized List<T> snapshot() {
        return List.copyOf(entries);
    }
}
