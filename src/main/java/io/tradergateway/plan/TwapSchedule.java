package io.tradergateway.plan;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The slice plan of a TWAP entry: {@code slices} child orders spread evenly over {@code duration} from
 * {@code start}.
 * <p>
 * <b>Timing.</b> Slice {@code i} (0-based, {@code 0 ≤ i < slices}) is due at
 * {@code start + i × duration / slices} (truncated to the nanosecond): the first slice at once, the last one
 * {@code duration / slices} before {@link #endsAt()} {@code = start + duration}, which leaves the last slice a full
 * interval to work.
 * <p>
 * <b>Quantities.</b> The schedule is cumulative. After slice {@code i} the plan should have executed
 * <pre>  C(i) = floor(total × (i + 1) / slices) to a multiple of lotSize   for i &lt; slices − 1
 *   C(slices − 1) = total</pre>
 * and the target of slice {@code i}, given what earlier slices actually executed ({@code filledSoFar}), is
 * <pre>  target(i) = max(0, floorToLot(C(i) − filledSoFar))   for i &lt; slices − 1
 *   target(last) = max(0, total − filledSoFar)                  (everything left, lot multiple or not)</pre>
 * So whatever an earlier slice did not fill (the residual) is carried into the next slice, an over-fill is taken
 * off the next slices, every slice but the last is a lot multiple, and the last slice takes everything left.
 * A target can be zero (the engine skips such a slice): 500 shares in lots of 100 over 10 slices give
 * {@code 0, 100, 0, 100, 0, 100, 0, 100, 0, 100}.
 * <p>
 * Example: total 1000, lot 100, 3 slices: C = 300, 600, 1000. If slice 0 fills only 200, slice 1's target is
 * 600 − 200 = 400; if that fills 400, the last slice's target is 1000 − 600 = 400.
 * <p>
 * {@code filledSoFar} is the quantity executed by the earlier slices. If the engine leaves an earlier slice's order
 * working when the next one is due, it must add that order's open quantity too, or the residual is sent twice.
 *
 * @param totalQuantity the plan's entry quantity (normally already a multiple of lotSize), ≥ 0
 * @param lotSize       &gt; 0
 * @param slices        ≥ 1
 * @param duration      ≥ 0
 * @param start         when slice 0 is due
 */
public record TwapSchedule(BigDecimal totalQuantity, BigDecimal lotSize, int slices, Duration duration,
                           Instant start) {

    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    public TwapSchedule {
        PositionSizer.requireAtLeastZero("totalQuantity", totalQuantity);
        PositionSizer.requirePositive("lotSize", lotSize);
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(start, "start");
        if (slices < 1) throw new IllegalArgumentException("slices must be >= 1, got " + slices);
        if (duration.isNegative()) throw new IllegalArgumentException("duration must be >= 0, got " + duration);
    }

    /** The schedule of a plan's TWAP parameters. */
    public static TwapSchedule of(BigDecimal totalQuantity, BigDecimal lotSize, TwapParams params, Instant start) {
        return new TwapSchedule(totalQuantity, lotSize, params.slices(), params.duration(), start);
    }

    public int sliceCount() {
        return slices;
    }

    /** When slice {@code i} is due: {@code start + i × duration / slices}. */
    public Instant dueAt(int i) {
        checkIndex(i);
        BigInteger durationNanos = BigInteger.valueOf(duration.getSeconds()).multiply(NANOS_PER_SECOND)
                .add(BigInteger.valueOf(duration.getNano()));
        BigInteger[] secondsAndNanos = durationNanos.multiply(BigInteger.valueOf(i))
                .divide(BigInteger.valueOf(slices))
                .divideAndRemainder(NANOS_PER_SECOND);
        return start.plusSeconds(secondsAndNanos[0].longValueExact()).plusNanos(secondsAndNanos[1].longValue());
    }

    /** {@code start + duration}: the time by which the whole quantity should be executed. */
    public Instant endsAt() {
        return start.plus(duration);
    }

    /** How many slices are due at {@code now} (slices 0 … n−1 with {@code dueAt ≤ now}). */
    public int slicesDueAt(Instant now) {
        int lo = 0;
        int hi = slices; // invariant: slices < lo are due, slices >= hi are not
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (!dueAt(mid).isAfter(now)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** C(i): the cumulative quantity planned to be executed once slice {@code i} is done. */
    public BigDecimal plannedCumulative(int i) {
        checkIndex(i);
        if (i == slices - 1) return totalQuantity;
        BigDecimal lots = totalQuantity.multiply(BigDecimal.valueOf(i + 1L))
                .divide(lotSize.multiply(BigDecimal.valueOf(slices)), 0, RoundingMode.DOWN);
        return lots.multiply(lotSize);
    }

    /** The quantity of slice {@code i} when every earlier slice filled exactly as planned: C(i) − C(i−1). */
    public BigDecimal plannedSliceQuantity(int i) {
        BigDecimal previous = i == 0 ? BigDecimal.ZERO : plannedCumulative(i - 1);
        return plannedCumulative(i).subtract(previous);
    }

    /**
     * The quantity to send for slice {@code i}, given the quantity {@code filledSoFar} executed by earlier slices
     * (see the class comment for the rule). Never negative.
     */
    public BigDecimal targetForSlice(int i, BigDecimal filledSoFar) {
        checkIndex(i);
        PositionSizer.requireAtLeastZero("filledSoFar", filledSoFar);
        BigDecimal missing = plannedCumulative(i).subtract(filledSoFar);
        if (missing.signum() <= 0) return BigDecimal.ZERO;
        return i == slices - 1 ? missing : PositionSizer.floorToLot(missing, lotSize);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= slices) {
            throw new IndexOutOfBoundsException("slice " + i + " of a " + slices + "-slice schedule");
        }
    }
}
