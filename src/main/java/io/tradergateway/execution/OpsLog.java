package io.tradergateway.execution;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ops log (logger {@code io.tradergateway.ops}): every line about a plan or one of its orders starts
 * {@code plan=<plan_id> clOrdId=<ClOrdID>} — the order the line is about, else the plan's current (latest) order, or
 * {@code -} before it has one — so one grep for either id follows a plan's or an order's whole life, step by step.
 * <p>At INFO, one line per step that matters (validated, new order, fill, report, done, and what goes wrong at WARN and
 * ERROR); what only explains a step (routing scores, the ack, the send, what a venue learned) is at DEBUG. Messages are
 * SLF4J patterns: nothing is formatted unless the line is logged; a caller guards costly arguments of a DEBUG line with
 * {@link #isDebugEnabled}.
 */
final class OpsLog {
    static final Logger LOG = LoggerFactory.getLogger("io.tradergateway.ops");
    private static final String IDS = "plan={} clOrdId={} ";
    /** The patterns with the ids in front, made once each (the callers' patterns are constants). */
    private static final Map<String, String> PATTERNS = new ConcurrentHashMap<>();
    private static final int MAX_PATTERNS = 2_000;

    private OpsLog() {
    }

    static boolean isDebugEnabled() {
        return LOG.isDebugEnabled();
    }

    static void debug(String planId, Object clOrdId, String format, Object... args) {
        if (LOG.isDebugEnabled()) LOG.debug(pattern(format), withIds(planId, clOrdId, args));
    }

    static void info(String planId, Object clOrdId, String format, Object... args) {
        if (LOG.isInfoEnabled()) LOG.info(pattern(format), withIds(planId, clOrdId, args));
    }

    static void warn(String planId, Object clOrdId, String format, Object... args) {
        if (LOG.isWarnEnabled()) LOG.warn(pattern(format), withIds(planId, clOrdId, args));
    }

    static void error(String planId, Object clOrdId, String format, Object... args) {
        if (LOG.isErrorEnabled()) LOG.error(pattern(format), withIds(planId, clOrdId, args));
    }

    private static String pattern(String format) {
        String known = PATTERNS.get(format);
        if (known != null) return known;
        String made = IDS + format;
        if (PATTERNS.size() < MAX_PATTERNS) PATTERNS.putIfAbsent(format, made);
        return made;
    }

    private static Object[] withIds(String planId, Object clOrdId, Object[] args) {
        Object[] all = new Object[args.length + 2];
        all[0] = planId;
        all[1] = clOrdId == null ? "-" : clOrdId;
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }
}
