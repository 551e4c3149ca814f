package io.tradergateway.report.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test cursor store that also remembers every save, to check cursors only move forward. */
final class InMemoryCursorStore implements ConsumerCursorStore {

    private final Map<String, Long> cursors = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> saves = new ConcurrentHashMap<>();

    @Override
    public long load(String consumer) {
        return cursors.getOrDefault(consumer, 0L);
    }

    @Override
    public void save(String consumer, long sequence) {
        cursors.put(consumer, sequence);
        saves.computeIfAbsent(consumer, c -> new ArrayList<>()).add(sequence);
    }

    synchronized List<Long> savesOf(String consumer) {
        return List.copyOf(saves.getOrDefault(consumer, List.of()));
    }
}
