package io.tradergateway.bench;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time per thread, per thread family, over an interval, from the JVM's own counters: the cheapest "where
 * does the time go" there is. Threads of one family (the four {@code http} workers, the NIO processors …) are
 * summed under one name with trailing numbers replaced by {@code *}.
 */
final class ThreadCpu {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> startCpu = new HashMap<>();
    private long startWall;
    private long startProcessCpu;
    private long startGcMillis;
    private long startGcCount;

    ThreadCpu() {
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) threads.setThreadCpuTimeEnabled(true);
    }

    void start() {
        startCpu.clear();
        for (long id : threads.getAllThreadIds()) startCpu.put(id, Math.max(0, threads.getThreadCpuTime(id)));
        startWall = System.nanoTime();
        startProcessCpu = processCpuNanos();
        startGcMillis = gcMillis();
        startGcCount = gcCount();
    }

    /** What happened since {@link #start()}. */
    Usage stop() {
        long wall = System.nanoTime() - startWall;
        Map<String, Long> byFamily = new TreeMap<>();
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu < 0) continue;
            ThreadInfo info = threads.getThreadInfo(id);
            if (info == null) continue;
            long delta = cpu - startCpu.getOrDefault(id, 0L);
            if (delta <= 0) continue;
            byFamily.merge(family(info.getThreadName()), delta, Long::sum);
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        byFamily.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new Usage(wall, processCpuNanos() - startProcessCpu, gcMillis() - startGcMillis, gcCount() - startGcCount, sorted);
    }

    static String family(String name) {
        return name.replaceAll("\\d+", "*");
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) sum += Math.max(0, gc.getCollectionTime());
        return sum;
    }

    private static long gcCount() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) sum += Math.max(0, gc.getCollectionCount());
        return sum;
    }

    /** CPU used in an interval: the whole process and each thread family, busiest first, in nanoseconds. */
    record Usage(long wallNanos, long processCpuNanos, long gcMillis, long gcCount, Map<String, Long> cpuByFamily) {
        /** Cores kept busy on average (2.0 = both cores of a 2-core machine). */
        double processCores() {
            return (double) processCpuNanos / wallNanos;
        }

        double share(String family) {
            return (double) cpuByFamily.getOrDefault(family, 0L) / wallNanos;
        }
    }
}
