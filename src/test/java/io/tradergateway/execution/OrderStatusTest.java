package io.tradergateway.execution;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.tradergateway.execution.OrderStatus.CANCELED;
import static io.tradergateway.execution.OrderStatus.EXPIRED;
import static io.tradergateway.execution.OrderStatus.FILLED;
import static io.tradergateway.execution.OrderStatus.NEW;
import static io.tradergateway.execution.OrderStatus.PARTIALLY_FILLED;
import static io.tradergateway.execution.OrderStatus.PENDING_CANCEL;
import static io.tradergateway.execution.OrderStatus.PENDING_NEW;
import static io.tradergateway.execution.OrderStatus.PENDING_REPLACE;
import static io.tradergateway.execution.OrderStatus.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order state machine's transition table, written out by hand from FIX 4.4 order-state semantics
 * (not derived from the production table), and checked over all 9 × 9 pairs.
 */
class OrderStatusTest {

    /** Every legal transition, one line per source state. */
    private static final List<Object[]> LEGAL = List.of(
            // The first venue answer may be an ack, a fill, a reject, an unsolicited cancel/expiry; a cancel may be
            // requested before the ack arrives.
            pair(PENDING_NEW, NEW), pair(PENDING_NEW, PARTIALLY_FILLED), pair(PENDING_NEW, FILLED),
            pair(PENDING_NEW, REJECTED), pair(PENDING_NEW, CANCELED), pair(PENDING_NEW, EXPIRED),
            pair(PENDING_NEW, PENDING_CANCEL),
            // Acked: restated, filled, cancel/replace requested, cancelled or expired by the venue.
            pair(NEW, NEW), pair(NEW, PARTIALLY_FILLED), pair(NEW, FILLED), pair(NEW, PENDING_CANCEL),
            pair(NEW, PENDING_REPLACE), pair(NEW, CANCELED), pair(NEW, EXPIRED),
            pair(PARTIALLY_FILLED, PARTIALLY_FILLED), pair(PARTIALLY_FILLED, FILLED),
            pair(PARTIALLY_FILLED, PENDING_CANCEL), pair(PARTIALLY_FILLED, PENDING_REPLACE),
            pair(PARTIALLY_FILLED, CANCELED), pair(PARTIALLY_FILLED, EXPIRED),
            // A cancel in flight: fills can overtake it, a 35=9 puts the order back to NEW / PARTIALLY_FILLED.
            pair(PENDING_CANCEL, PENDING_CANCEL), pair(PENDING_CANCEL, NEW), pair(PENDING_CANCEL, PARTIALLY_FILLED),
            pair(PENDING_CANCEL, FILLED), pair(PENDING_CANCEL, CANCELED), pair(PENDING_CANCEL, EXPIRED),
            // A cancel sent before the venue acknowledged the order: the order may still be rejected, or be unknown.
            pair(PENDING_CANCEL, REJECTED),
            // A replace in flight: same, and a cancel may be asked for while it is pending.
            pair(PENDING_REPLACE, PENDING_REPLACE), pair(PENDING_REPLACE, NEW), pair(PENDING_REPLACE, PARTIALLY_FILLED),
            pair(PENDING_REPLACE, FILLED), pair(PENDING_REPLACE, PENDING_CANCEL), pair(PENDING_REPLACE, CANCELED),
            pair(PENDING_REPLACE, EXPIRED));

    private static Object[] pair(OrderStatus from, OrderStatus to) {
        return new Object[]{from, to};
    }

    static Stream<Arguments> legalTransitions() {
        return LEGAL.stream().map(p -> Arguments.of(p[0], p[1]));
    }

    static Stream<Arguments> illegalTransitions() {
        List<Arguments> out = new ArrayList<>();
        for (OrderStatus from : OrderStatus.values()) {
            for (OrderStatus to : OrderStatus.values()) {
                boolean legal = LEGAL.stream().anyMatch(p -> p[0] == from && p[1] == to);
                if (!legal) out.add(Arguments.of(from, to));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} is legal")
    @MethodSource("legalTransitions")
    void legalTransitionIsAllowed(OrderStatus from, OrderStatus to) {
        assertThat(from.canMoveTo(to)).isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1} is refused")
    @MethodSource("illegalTransitions")
    void everyOtherTransitionIsRefused(OrderStatus from, OrderStatus to) {
        assertThat(from.canMoveTo(to)).isFalse();
    }

    @Test
    void theHandWrittenTablesCoverAllPairs() {
        // 7 + 7 + 6 + 7 + 7 legal pairs; the rest of the 81 are illegal.
        assertThat(LEGAL).hasSize(34);
        assertThat(illegalTransitions().count()).isEqualTo(81 - 34);
    }

    @Test
    void samplesOfIllegalTransitions() {
        // Nothing leaves a terminal state: a late fill or ack after FILLED/CANCELED/REJECTED/EXPIRED is not a transition.
        assertThat(FILLED.canMoveTo(PARTIALLY_FILLED)).isFalse();
        assertThat(FILLED.canMoveTo(FILLED)).isFalse();
        assertThat(CANCELED.canMoveTo(NEW)).isFalse();
        assertThat(CANCELED.canMoveTo(FILLED)).isFalse();
        assertThat(REJECTED.canMoveTo(NEW)).isFalse();
        assertThat(EXPIRED.canMoveTo(CANCELED)).isFalse();
        // No way back to PENDING_NEW once the venue has answered.
        assertThat(NEW.canMoveTo(PENDING_NEW)).isFalse();
        assertThat(PARTIALLY_FILLED.canMoveTo(PENDING_NEW)).isFalse();
        // An order with fills can never be rejected, nor be un-filled back to NEW.
        assertThat(PARTIALLY_FILLED.canMoveTo(REJECTED)).isFalse();
        assertThat(PARTIALLY_FILLED.canMoveTo(NEW)).isFalse();
        // A venue only rejects a new order; an acked order is cancelled, not rejected (a cancel reject is 35=9).
        assertThat(NEW.canMoveTo(REJECTED)).isFalse();
        // Replace before the venue acked the order is not allowed; nor replace while a cancel is pending.
        assertThat(PENDING_NEW.canMoveTo(PENDING_REPLACE)).isFalse();
        assertThat(PENDING_CANCEL.canMoveTo(PENDING_REPLACE)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = OrderStatus.class, names = {"FILLED", "CANCELED", "REJECTED", "EXPIRED"})
    void terminalStatesAcceptNothingAndAreNotWorking(OrderStatus terminal) {
        assertThat(terminal.isTerminal()).isTrue();
        assertThat(terminal.isWorking()).isFalse();
        for (OrderStatus next : OrderStatus.values()) assertThat(terminal.canMoveTo(next)).as("%s -> %s", terminal, next).isFalse();
    }

    @Test
    void workingStatesAreExactlyTheNonTerminalOnes() {
        Set<OrderStatus> working = EnumSet.noneOf(OrderStatus.class);
        for (OrderStatus s : OrderStatus.values()) if (s.isWorking()) working.add(s);
        assertThat(working).containsExactlyInAnyOrder(PENDING_NEW, NEW, PARTIALLY_FILLED, PENDING_CANCEL, PENDING_REPLACE);
    }
}
