package io.tradergateway.plan;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TwapScheduleTest {

    static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    /** 1000 shares in lots of 100, 3 slices over 300 s. */
    private final TwapSchedule schedule = new TwapSchedule(d("1000"), d("100"), 3, Duration.ofSeconds(300), START);

    @Test
    void slicesAreDueEvenlyFromTheStart() {
        assertEquals(3, schedule.sliceCount());
        assertEquals(START, schedule.dueAt(0));
        assertEquals(START.plusSeconds(100), schedule.dueAt(1));
        assertEquals(START.plusSeconds(200), schedule.dueAt(2));
        assertEquals(START.plusSeconds(300), schedule.endsAt());
    }

    @Test
    void dueTimesAreTruncatedToTheNanosecond() {
        TwapSchedule s = new TwapSchedule(d("9"), d("1"), 3, Duration.ofSeconds(10), START);
        // 10 s / 3 = 3.333333333... s
        assertEquals(START.plusNanos(3_333_333_333L), s.dueAt(1));
        assertEquals(START.plusNanos(6_666_666_666L), s.dueAt(2));
    }

    @Test
    void slicesDueAtCountsSlicesWhoseTimeHasCome() {
        assertEquals(0, schedule.slicesDueAt(START.minusMillis(1)));
        assertEquals(1, schedule.slicesDueAt(START));
        assertEquals(1, schedule.slicesDueAt(START.plusMillis(99_999)));
        assertEquals(2, schedule.slicesDueAt(START.plusSeconds(100)));
        assertEquals(3, schedule.slicesDueAt(START.plusSeconds(200)));
        assertEquals(3, schedule.slicesDueAt(START.plusSeconds(10_000)));
    }

    @Test
    void plannedQuantitiesAreLotMultiplesWithTheRemainderLast() {
        // C(0) = floor(1000 × 1/3 = 333.3 to lots of 100) = 300; C(1) = floor(666.7) = 600; C(2) = 1000
        assertEquals(List.of(d("300"), d("600"), d("1000")),
                List.of(schedule.plannedCumulative(0), schedule.plannedCumulative(1), schedule.plannedCumulative(2)));
        assertEquals(List.of(d("300"), d("300"), d("400")), List.of(schedule.plannedSliceQuantity(0),
                schedule.plannedSliceQuantity(1), schedule.plannedSliceQuantity(2)));
    }

    @Test
    void wholeSharesSplitEvenly() {
        // 10 shares, lot 1, 3 slices: C = 3, 6, 10 -> 3, 3, 4
        TwapSchedule s = new TwapSchedule(d("10"), d("1"), 3, Duration.ofSeconds(30), START);
        assertEquals(d("3"), s.targetForSlice(0, d("0")));
        assertEquals(d("3"), s.targetForSlice(1, d("3")));
        assertEquals(d("4"), s.targetForSlice(2, d("6")));
    }

    @Test
    void residualOfAnUnderfilledSliceIsCarriedIntoTheNext() {
        assertEquals(d("300"), schedule.targetForSlice(0, d("0")));
        // slice 0 filled only 200 of 300: slice 1 asks for C(1) - 200 = 600 - 200 = 400
        assertEquals(d("400"), schedule.targetForSlice(1, d("200")));
        // slices 0 and 1 filled 550 in all (an odd-lot partial): the last slice takes everything left, 450
        assertEquals(d("450"), schedule.targetForSlice(2, d("550")));
        // nothing filled at all before the last slice: it takes the whole 1000
        assertEquals(d("1000"), schedule.targetForSlice(2, d("0")));
    }

    @Test
    void nonLastSlicesStayLotMultiplesAfterOddFills() {
        // C(1) - 250 = 350 -> 300 (lot 100); the odd 50 waits for the last slice
        assertEquals(d("300"), schedule.targetForSlice(1, d("250")));
    }

    @Test
    void overfillIsTakenOffLaterSlices() {
        assertEquals(0, schedule.targetForSlice(1, d("700")).signum());
        assertEquals(d("300"), schedule.targetForSlice(2, d("700")));
        assertEquals(0, schedule.targetForSlice(2, d("1000")).signum());
        assertEquals(0, schedule.targetForSlice(2, d("1100")).signum());
    }

    @Test
    void smallQuantityOverManySlicesLeavesEmptySlices() {
        // 500 in lots of 100 over 10 slices: C(i) = floor(50 × (i + 1) / 100) × 100
        TwapSchedule s = new TwapSchedule(d("500"), d("100"), 10, Duration.ofSeconds(300), START);
        List<BigDecimal> targets = new ArrayList<>();
        BigDecimal filled = BigDecimal.ZERO;
        for (int i = 0; i < s.sliceCount(); i++) {
            BigDecimal target = s.targetForSlice(i, filled);
            targets.add(target);
            filled = filled.add(target); // every slice fills completely
        }
        List<Integer> asInts = targets.stream().map(BigDecimal::intValueExact).toList();
        assertEquals(List.of(0, 100, 0, 100, 0, 100, 0, 100, 0, 100), asInts);
    }

    @Test
    void fromPlanParams() {
        TwapSchedule s = TwapSchedule.of(d("1000"), d("1"), TwapParams.DEFAULT, START);
        assertEquals(10, s.sliceCount());
        assertEquals(START.plusSeconds(30), s.dueAt(1));
        assertEquals(START.plusSeconds(300), s.endsAt());
        assertEquals(d("100"), s.targetForSlice(0, BigDecimal.ZERO));
    }

    @Test
    void contractViolationsThrow() {
        assertThrows(IllegalArgumentException.class,
                () -> new TwapSchedule(d("10"), d("1"), 0, Duration.ofSeconds(1), START));
        assertThrows(IllegalArgumentException.class,
                () -> new TwapSchedule(d("10"), d("0"), 2, Duration.ofSeconds(1), START));
        assertThrows(IllegalArgumentException.class,
                () -> new TwapSchedule(d("10"), d("1"), 2, Duration.ofSeconds(-1), START));
        assertThrows(IndexOutOfBoundsException.class, () -> schedule.dueAt(3));
        assertThrows(IndexOutOfBoundsException.class, () -> schedule.targetForSlice(-1, BigDecimal.ZERO));
        assertThrows(IllegalArgumentException.class, () -> schedule.targetForSlice(0, d("-1")));
    }
}
