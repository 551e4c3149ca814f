package io.tradergateway.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap used after a full GC ({@link System#gc()}), taken at checkpoints the caller places outside its timed
 * windows: a series that shows whether memory stays flat over a long run.
 */
final class HeapCheckpoints {
    private static final double MB = 1024.0 * 1024.0;

    /** One checkpoint: plans measured so far, seconds since the first checkpoint, heap used after GC. */
    record Point(long plans, double seconds, double heapMb) {
    }

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<Point> points = new ArrayList<>();
    private long startNanos;

    void take(long plans) {
        System.gc();
        long now = System.nanoTime();
        if (points.isEmpty()) startNanos = now;
        points.add(new Point(plans, (now - startNanos) / 1e9, memory.getHeapMemoryUsage().getUsed() / MB));
    }

    List<Point> points() {
        return points;
    }

    /** The checkpoint halfway through the series (by time) and the last one. */
    Point middle() {
        Point last = last();
        return points.stream().filter(p -> p.seconds() >= last.seconds() / 2).findFirst().orElse(last);
    }

    Point last() {
        return points.get(points.size() - 1);
    }

    /** Growth of the after-GC heap over the second half of the series, in %. */
    double secondHalfGrowthPercent() {
        return 100.0 * (last().heapMb() - middle().heapMb()) / middle().heapMb();
    }

    /** The series, at most {@code rows} checkpoints evenly spread (the first and the last always in). */
    String render(int rows) {
        StringBuilder out = new StringBuilder("| plans measured | s | heap after GC, MB |\n|---|---|---|\n");
        int step = Math.max(1, (int) Math.ceil(points.size() / (double) rows));
        for (int i = 0; i < points.size(); i++) {
            if (i % step != 0 && i != points.size() - 1) continue;
            Point p = points.get(i);
            out.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f |%n", p.plans(), p.seconds(), p.heapMb()));
        }
        return out.toString();
    }
}
