package io.tradergateway.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The one-plan-at-a-time path of {@link SideBySideBenchmark} split at the steps the ops log records ({@link StageClock}),
 * plan by plan: POST → validated → order built → its send decided (the "sent" line, logged before the engine's batch is
 * handed to the journal) → venue's ack handled (the journal's write and fsync, the send and the venue in between) →
 * fill handled → report decided (logged once its batch is handed to the journal) → report read by the client (the
 * journal's fsync, the stream and the client in between). Gives each segment's p50 / p90 / p99
 * and its mean over the slowest 1 % of plans (where the tail comes from), and writes every plan's times to a file.
 */
final class StageSplit {
    private static final String[] SEGMENTS = {"POST -> validated (HTTP, parse, engine queue)", "validated -> order built",
            "order built -> send decided (before its batch is journaled)",
            "send decided -> ack handled (journal + fsync, send, venue)", "ack -> fill handled",
            "fill -> report decided (its batch handed to the journal)",
            "report decided -> read (journal + fsync, stream, client)"};

    private StageSplit() {
    }

    /**
     * Plans {@code from} (inclusive) to {@code to} (exclusive): the summary, and one line per plan written to {@code file}
     * (plan number, then POST start, the six steps and the read, all {@code System.nanoTime()}; 0 for a step not seen).
     */
    static String of(StageClock clock, String prefix, long[] postStart, long[] readAt, int from, int to, Path file)
            throws IOException {
        List<long[]> complete = new ArrayList<>();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("# plan\tpost\tvalidated\torder_built\tcommitted\tacked\tfill\treport_committed\tread (nanoTime)");
            for (int i = from; i < to; i++) {
                long[] steps = clock.of(prefix + i);
                long[] row = new long[8];
                row[0] = postStart[i];
                for (int k = 0; k < 6; k++) row[k + 1] = steps == null ? 0 : steps[k];
                row[7] = readAt[i];
                StringBuilder line = new StringBuilder().append(i);
                for (int k = 0; k < 8; k++) line.append('\t').append(row[k]);
                out.println(line);
                boolean seen = true;
                for (int k = 0; k < 8; k++) seen &= row[k] != 0;
                if (seen) complete.add(row);
            }
        }
        return summary(complete, to - from, file);
    }

    private static String summary(List<long[]> plans, int asked, Path file) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "1 client, by step (%d of %d plans with every step seen; each plan's times in %s), us:%n", plans.size(), asked,
                file));
        if (plans.isEmpty()) return out.toString();
        plans.sort(Comparator.comparingLong(p -> p[7] - p[0]));
        List<long[]> slowest = plans.subList(plans.size() - Math.max(1, plans.size() / 100), plans.size());
        out.append(String.format(Locale.ROOT, "  %-58s %7s %7s %7s %16s%n", "step", "p50", "p90", "p99", "slowest 1 %: mean"));
        for (int k = 0; k < SEGMENTS.length; k++) {
            int step = k;
            long[] d = plans.stream().mapToLong(p -> p[step + 1] - p[step]).toArray();
            Stats s = Stats.of(d);
            double slow = slowest.stream().mapToLong(p -> p[step + 1] - p[step]).average().orElse(0);
            out.append(String.format(Locale.ROOT, "  %-58s %7d %7d %7d %16.0f%n", SEGMENTS[k], s.p50() / 1000,
                    s.p90() / 1000, s.p99() / 1000, slow / 1000));
        }
        Stats total = Stats.of(plans.stream().mapToLong(p -> p[7] - p[0]).toArray());
        out.append(String.format(Locale.ROOT, "  %-58s %7d %7d %7d %16.0f%n", "POST -> report read", total.p50() / 1000,
                total.p90() / 1000, total.p99() / 1000, slowest.stream().mapToLong(p -> p[7] - p[0]).average().orElse(0) / 1000));
        return out.toString();
    }
}
