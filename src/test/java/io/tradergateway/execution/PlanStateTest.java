package io.tradergateway.execution;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static io.tradergateway.execution.PlanState.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10 item 5: plan states have a transition table, like orders. */
class PlanStateTest {

    @Test
    void noFillCanReopenAnExitingPlan() {
        assertThat(EXITING.canMoveTo(OPEN)).as("only a given-up exit reopens, through reopenAfterFailedExit").isFalse();
        assertThat(EXITING.canMoveTo(CLOSED)).isTrue();
        assertThat(OPEN.canMoveTo(OPEN)).as("an entry completing twice changes nothing").isFalse();
        assertThat(OPEN.canMoveTo(EXITING)).isTrue();
    }

    @Test
    void theEntryLegMovesForwardOnly() {
        assertThat(EnumSet.allOf(PlanState.class)).filteredOn(PENDING_ENTRY::canMoveTo)
                .containsExactlyInAnyOrder(WORKING, CANCELLED, FAILED);
        assertThat(EnumSet.allOf(PlanState.class)).filteredOn(WORKING::canMoveTo)
                .containsExactlyInAnyOrder(WORKING, OPEN, FILLED, CANCELLED, FAILED);
        assertThat(EnumSet.allOf(PlanState.class)).noneMatch(s -> s.canMoveTo(PENDING_ENTRY));
    }

    @Test
    void terminalStatesGoNowhere() {
        for (PlanState end : EnumSet.of(CLOSED, CANCELLED, FAILED, FILLED)) {
            assertThat(end.isTerminal()).isTrue();
            assertThat(EnumSet.allOf(PlanState.class)).noneMatch(end::canMoveTo);
        }
        assertThat(EnumSet.of(PENDING_ENTRY, WORKING, OPEN, EXITING)).noneMatch(PlanState::isTerminal);
    }
}
