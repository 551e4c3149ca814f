package io.tradergateway.bench;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Times each step of a plan's life from the ops log, with {@link System#nanoTime()} taken when the line is
 * logged (appenders run synchronously on the logging thread, so this is the moment the step happened, with
 * nanosecond resolution instead of the log pattern's milliseconds). Recognises the steps by the message
 * pattern of {@code io.tradergateway.ops} lines; the first argument of each is the plan id.
 */
final class StageClock extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** The steps of a market plan, in the order they happen. */
    enum Stage {
        /** Parsed and validated on the engine thread ("plan=… validated: …"). */
        VALIDATED("validated: "),
        /** Routed, order row built, not yet committed ("… new entry order: …"). */
        NEW_ORDER(" new {} order: "),
        /** After the plan+order commit, NewOrderSingle handed to QuickFIX/J ("… sent NewOrderSingle …"). */
        SENT("sent NewOrderSingle"),
        /** Venue's 35=8 ExecType=New handled ("… acked by …"). */
        ACKED("acked by"),
        /** Venue's trade handled, before its commit ("… fill … @ …"). */
        FILL("clOrdId={} fill "),
        /** After the fill commit, the `filled` exec-report published ("… exec-report #n entry filled …"). */
        REPORTED("exec-report #");

        final String marker;

        Stage(String marker) {
            this.marker = marker;
        }
    }

    private final String planPrefix;
    private final Map<String, long[]> times = new ConcurrentHashMap<>();

    StageClock(String planPrefix) {
        this.planPrefix = planPrefix;
        setName("bench-stage-clock");
    }

    @Override
    protected void append(ILoggingEvent event) {
        long now = System.nanoTime();
        Object[] args = event.getArgumentArray();
        if (args == null || args.length == 0 || args[0] == null) return;
        String plan = args[0].toString();
        if (!plan.startsWith(planPrefix)) return;
        String pattern = event.getMessage();
        if (pattern == null || !pattern.startsWith("plan={}")) return;
        Stage stage = stageOf(pattern, args);
        if (stage == null) return;
        long[] t = times.computeIfAbsent(plan, k -> new long[Stage.values().length]);
        // First occurrence only: a retry or a second report does not move a step's time.
        if (t[stage.ordinal()] == 0) t[stage.ordinal()] = now;
    }

    private static Stage stageOf(String pattern, Object[] args) {
        for (Stage s : Stage.values()) {
            if (!pattern.contains(s.marker)) continue;
            if (s == Stage.NEW_ORDER && !"entry".equals(String.valueOf(args.length > 2 ? args[2] : null))) return null;
            // Only the `filled` report ends the measured path (args: plan, clOrdId, sequence, leg, status, …).
            if (s == Stage.REPORTED && !(args.length > 4 && "filled".equals(String.valueOf(args[4])))) return null;
            return s;
        }
        return null;
    }

    /** Nanotime of each stage for the plan (0 = not seen), or null if none was seen. */
    long[] of(String planId) {
        return times.get(planId);
    }

    void clear() {
        times.clear();
    }
}
