package io.tradergateway.execution;

import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.system.Plans;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.tradergateway.execution.PlanState.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10 item 5: plan states have a transition table, like orders. */
class PlanStateTest {

    /** The whole table: every pair not listed here is refused. */
    private static final Map<PlanState, Set<PlanState>> TABLE = Map.of(
            PENDING_ENTRY, EnumSet.of(WORKING, CANCELLED, FAILED),
            WORKING, EnumSet.of(WORKING, OPEN, FILLED, CANCELLED, FAILED),
            OPEN, EnumSet.of(EXITING, CLOSED),
            EXITING, EnumSet.of(CLOSED),
            CLOSED, EnumSet.noneOf(PlanState.class),
            CANCELLED, EnumSet.noneOf(PlanState.class),
            FAILED, EnumSet.noneOf(PlanState.class),
            FILLED, EnumSet.noneOf(PlanState.class));

    @Test
    void everyPairIsAllowedOrRefusedAsTabled() {
        for (PlanState from : PlanState.values()) {
            for (PlanState to : PlanState.values()) {
                assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(TABLE.get(from).contains(to));
            }
        }
    }

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

    @Test
    void aNewPlanStartsPendingEntry() {
        assertThat(new PlanProgress().state()).isEqualTo(PENDING_ENTRY);
    }

    @Test
    void activePlanRefusesEveryUntabledMoveAndKeepsItsState() {
        for (PlanState from : PlanState.values()) {
            for (PlanState to : PlanState.values()) {
                ActivePlan ap = planIn(from);
                boolean moved = ap.moveTo(to, "test " + from + " -> " + to);
                assertThat(moved).as("%s -> %s", from, to).isEqualTo(TABLE.get(from).contains(to));
                assertThat(ap.state()).as("%s -> %s", from, to).isEqualTo(moved ? to : from);
            }
        }
    }

    @Test
    void onlyAWorkingExitCanBeGivenUpBackToOpen() {
        for (PlanState from : PlanState.values()) {
            ActivePlan ap = planIn(from);
            boolean reopened = ap.reopenAfterFailedExit("test exit blocked");
            assertThat(reopened).as("from %s", from).isEqualTo(from == EXITING);
            assertThat(ap.state()).as("from %s", from).isEqualTo(from == EXITING ? OPEN : from);
        }
    }

    private static ActivePlan planIn(PlanState state) {
        String json = Plans.market("P-STATE", "AAPL", "long").toString();
        var parsed = (ParseResult.Parsed) new PlanParser().parse(json);
        PlanProgress progress = new PlanProgress();
        progress.state = state;
        return new ActivePlan(parsed.plan(), json, "hash", Instant.now(), progress);
    }
}
