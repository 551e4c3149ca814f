package io.tradergateway.simvenue;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentHistoryTest {
    @Test
    void keepsTheNewestEntriesInOrder() {
        RecentHistory<Integer> history = new RecentHistory<>(3);
        for (int i = 1; i <= 5; i++) history.add(i);
        assertThat(history.snapshot()).containsExactly(3, 4, 5);
        assertThat(new RecentHistory<String>().snapshot()).isEmpty();
    }
}
