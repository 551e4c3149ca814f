package io.tradergateway.bench;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-process JDK Flight Recorder recording (the {@code profile} settings: a Java stack sample of every running
 * thread every 10 ms, native ones every 20 ms) and a plain-text summary of it: which component the engine
 * thread's samples are in, and which gateway methods they pass through. The .jfr file stays for
 * {@code jfr print} / JDK Mission Control.
 */
final class Profiler implements AutoCloseable {
    /** Outermost library a sample's stack enters below gateway code decides its component; first match wins. */
    private static final List<String[]> COMPONENTS = List.of(
            new String[] {"org.h2.", "H2 (database)"},
            new String[] {"ch.qos.logback.", "logging"},
            new String[] {"org.slf4j.", "logging"},
            new String[] {"com.fasterxml.jackson.", "JSON (Jackson)"},
            new String[] {"quickfix.", "QuickFIX/J"},
            new String[] {"org.apache.mina.", "QuickFIX/J"},
            new String[] {"java.math.", "BigDecimal"},
            new String[] {"java.lang.String.format", "String.format"},
            new String[] {"java.security.", "SHA-256 (plan content hash)"},
            new String[] {"java.util.concurrent.", "queues/locks"});

    private final Recording recording;
    private final Path file;

    private Profiler(Path file) {
        this.file = file;
        try {
            this.recording = new Recording(Configuration.getConfiguration("profile"));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot load the JFR 'profile' settings", e);
        }
        recording.setToDisk(true);
        try {
            recording.setDestination(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        recording.start();
    }

    static Profiler start(Path file) {
        return new Profiler(file);
    }

    /** Stops the recording (writing the file) and summarises the thread's samples. */
    String stopAndSummarise(String threadName, int top) {
        recording.stop();
        Map<String, Integer> samplesByThread = new TreeMap<>();
        Map<String, Integer> components = new TreeMap<>();
        Map<String, Integer> inclusive = new TreeMap<>();
        Map<String, Integer> selfFrames = new TreeMap<>();
        int threadSamples = 0;
        try (RecordingFile in = new RecordingFile(file)) {
            while (in.hasMoreEvents()) {
                RecordedEvent e = in.readEvent();
                String type = e.getEventType().getName();
                if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) continue;
                RecordedThread t = e.getThread("sampledThread");
                String name = t == null ? "?" : String.valueOf(t.getJavaName());
                // Native samples are mostly threads blocked in epoll/read: not CPU, so not counted per thread.
                if (type.equals("jdk.ExecutionSample")) samplesByThread.merge(ThreadCpu.family(name), 1, Integer::sum);
                if (!name.equals(threadName)) continue;
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) continue;
                threadSamples++;
                List<RecordedFrame> frames = stack.getFrames(); // top (innermost) first
                selfFrames.merge(method(frames.get(0)) + (type.equals("jdk.NativeMethodSample") ? " [native]" : ""), 1, Integer::sum);
                components.merge(component(frames), 1, Integer::sum);
                Set<String> once = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String m = method(f);
                    // Lambda frames and the loop itself say nothing the named methods do not.
                    if (m.startsWith("io.tradergateway.") && !m.contains("$$Lambda") && !m.endsWith(".runLoop")
                            && once.add(m)) {
                        inclusive.merge(m, 1, Integer::sum);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder out = new StringBuilder();
        out.append("JFR Java samples per thread family: ").append(sortedDesc(samplesByThread, 12)).append('\n');
        out.append("'").append(threadName).append("' thread: ").append(threadSamples).append(" samples (Java and native)\n");
        out.append("  by component (outermost library called from gateway code):\n");
        appendShares(out, components, threadSamples, 20);
        out.append("  gateway methods on the stack (inclusive):\n");
        appendShares(out, inclusive, threadSamples, top);
        out.append("  innermost frames (self):\n");
        appendShares(out, selfFrames, threadSamples, top);
        out.append("recording: ").append(file).append('\n');
        return out.toString();
    }

    private static String method(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** Walks from the thread's root inwards; the first library frame entered from gateway code names the component. */
    private static String component(List<RecordedFrame> frames) {
        boolean inGateway = false;
        for (int i = frames.size() - 1; i >= 0; i--) {
            String m = method(frames.get(i));
            if (m.startsWith("io.tradergateway.")) {
                inGateway = true;
                continue;
            }
            if (!inGateway) continue;
            for (String[] c : COMPONENTS) {
                if (m.startsWith(c[0])) return c[1];
            }
        }
        String innermost = method(frames.get(0));
        if (innermost.startsWith("io.tradergateway.")) return "gateway code (self)";
        return inGateway ? "JDK/other called from gateway code" : "outside gateway code (queue wait, thread loop)";
    }

    private static void appendShares(StringBuilder out, Map<String, Integer> counts, int total, int top) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.append(String.format(Locale.ROOT, "    %5.1f %%  %5d  %s%n",
                        100.0 * e.getValue() / Math.max(1, total), e.getValue(), e.getKey())));
    }

    private static String sortedDesc(Map<String, Integer> counts, int top) {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out.toString();
    }

    @Override
    public void close() {
        recording.close();
    }
}
