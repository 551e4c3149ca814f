package io.tradergateway.intake;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The recent reports the streams send from memory: a run of consecutive sequences, else the outbox. */
class ReportStreamsTest {
    private final ReportStreams streams = new ReportStreams(4, Duration.ofSeconds(15), Duration.ofSeconds(25));

    @Test
    void aCursorInsideTheRecentRunIsAnsweredFromMemory() {
        streams.published(7, "{\"sequence\":7}");
        streams.published(8, "{\"sequence\":8}");
        streams.published(9, "{\"sequence\":9}");

        assertThat(streams.recentAfter(6, 500)).extracting(Map.Entry::getKey).containsExactly(7L, 8L, 9L);
        assertThat(streams.recentAfter(7, 1)).containsExactly(Map.entry(8L, "{\"sequence\":8}"));
        assertThat(streams.recentAfter(9, 500)).as("nothing new").isEmpty();
        assertThat(streams.recentAfter(5, 500)).as("report 6 is not in memory: the outbox answers").isNull();
    }

    @Test
    void eachNewReportAndTheStopWakeTheListeningStreamsUntilTheyStopListening() {
        AtomicInteger wakes = new AtomicInteger();
        Runnable stream = wakes::incrementAndGet;
        streams.listen(stream);
        streams.published(1, "a");
        streams.committed(2);
        streams.committed(2);
        assertThat(wakes).as("a commit already told of wakes nobody").hasValue(2);
        streams.close();
        assertThat(wakes).hasValue(3);
        assertThat(streams.open()).as("closed: no new stream").isFalse();
        streams.ignore(stream);
        streams.published(3, "c");
        assertThat(wakes).hasValue(3);
    }

    @Test
    void aGapStartsTheRunAgainAndTheRunIsBounded() {
        streams.published(1, "a");
        streams.published(3, "c");
        assertThat(streams.recentAfter(0, 500)).isNull();
        assertThat(streams.recentAfter(2, 500)).extracting(Map.Entry::getKey).containsExactly(3L);

        for (long seq = 4; seq < 4 + ReportStreams.RECENT; seq++) streams.published(seq, "r" + seq);
        assertThat(streams.recentAfter(2, 500)).as("the oldest left memory").isNull();
        assertThat(streams.recentAfter(3, 2)).extracting(Map.Entry::getKey).containsExactly(4L, 5L);
        long newest = 3 + ReportStreams.RECENT;
        assertThat(streams.recentAfter(newest - 2, 500)).as("each report where the run wrapped round")
                .containsExactly(Map.entry(newest - 1, "r" + (newest - 1)), Map.entry(newest, "r" + newest));
        assertThat(streams.recentAfter(newest, 500)).isEmpty();
    }
}
