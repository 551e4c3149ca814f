package io.tradergateway.execution;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ops log (logger {@code io.tradergateway.ops}): every line about a plan or one of its orders starts
 * {@code plan=<plan_id> clOrdId=<ClOrdID>} — the order the line is about, else the plan's current (latest) order, or
 * {@code -} before it has one — so one grep for either id follows a plan's or an order's whole life, step by step.
 */
final class OpsLog {
    static final Logger LOG = LoggerFactory.getLogger("io.tradergateway.ops");
    private static final String IDS = "plan={} clOrdId={} ";

    private OpsLog() {
    }

    static void info(String planId, Object clOrdId, String format, Object... args) {
        if (LOG.isInfoEnabled()) LOG.info(IDS + format, withIds(planId, clOrdId, args));
    }

    static void warn(String planId, Object clOrdId, String format, Object... args) {
        if (LOG.isWarnEnabled()) LOG.warn(IDS + format, withIds(planId, clOrdId, args));
    }

    static void error(String planId, Object clOrdId, String format, Object... args) {
        if (LOG.isErrorEnabled()) LOG.error(IDS + format, withIds(planId, clOrdId, args));
    }

    private static Object[] withIds(String planId, Object clOrdId, Object[] args) {
        Object[] all = new Object[args.length + 2];
        all[0] = planId;
        all[1] = clOrdId == null ? "-" : clOrdId;
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }
}
