package io.tradergateway.execution;

import io.tradergateway.report.ReportFactory;

import java.time.Clock;

/**
 * What every part of the engine's logic split out of {@link Execution} shares: the coordinator itself (its current
 * transaction, the order, plan and report helpers every leg uses), the engine's {@link EngineState}, the
 * {@link ReportFactory} and the clock. The parts ({@link Entries}, {@link Exits}, {@link VenueEvents}, {@link Timers})
 * own no trading state and are called only on the engine thread (see {@link TradingEngine}), like {@link Execution};
 * they take no locks and start no threads.
 */
abstract class ExecutionCollaborator {
    protected final Execution execution;
    protected final EngineState state;
    protected final ReportFactory reports;
    protected final Clock clock;

    ExecutionCollaborator(Execution coordinator, EngineState state, ReportFactory reports, Clock clock) {
        this.execution = coordinator;
        this.state = state;
        this.reports = reports;
        this.clock = clock;
    }
}
