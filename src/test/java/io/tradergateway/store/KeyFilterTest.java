package io.tradergateway.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeyFilterTest {

    @Test
    void everyKeyAddedIsPerhapsThereAndFewOthersAre() {
        KeyFilter filter = new KeyFilter(20);   // 1 Mi bits for 60,000 keys: about 1 in 1,100 false positives
        for (int i = 0; i < 60_000; i++) filter.add("plan-" + i);

        assertThat(IntStream.range(0, 60_000).filter(i -> !filter.mightContain("plan-" + i)).count())
                .as("no false negatives").isZero();
        long falsePositives = IntStream.range(60_000, 160_000).filter(i -> filter.mightContain("plan-" + i)).count();
        assertThat(falsePositives).as("false positives in 100,000 new keys (expected about 90)").isLessThan(400);
    }

    @Test
    void anEmptyFilterHasNothing() {
        KeyFilter filter = new KeyFilter(10);
        assertThat(filter.mightContain("")).isFalse();
        assertThat(filter.mightContain("P-1")).isFalse();
        filter.add("");
        assertThat(filter.mightContain("")).isTrue();
    }

    @Test
    void keysAddedFromTwoThreadsAtOnceAreAllThere() throws Exception {
        KeyFilter filter = new KeyFilter(18);   // 4,096 words for 200,000 bits set: the threads often share a word
        List<Thread> writers = new ArrayList<>();
        for (String prefix : List.of("a-", "b-")) {
            writers.add(new Thread(() -> {
                for (int i = 0; i < 20_000; i++) filter.add(prefix + i);
            }));
        }
        writers.forEach(Thread::start);
        for (Thread t : writers) t.join();

        for (String prefix : List.of("a-", "b-")) {
            assertThat(IntStream.range(0, 20_000).filter(i -> !filter.mightContain(prefix + i)).count()).isZero();
        }
        assertThat(IntStream.range(0, 10_000).filter(i -> filter.mightContain("c-" + i)).count())
                .as("not saturated (about 4 %% false positives), so the check above means something").isLessThan(2_000);
    }

    @Test
    void itsSizeIsBounded() {
        assertThatThrownBy(() -> new KeyFilter(40)).isInstanceOf(IllegalArgumentException.class);
    }
}
