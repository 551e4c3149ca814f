package io.tradergateway.bench;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import java.nio.file.Path;

/**
 * Nanoseconds per ops line on the logging thread, through the shipped {@code logback.xml} (or {@code -Dbench.logback=FILE})
 * into a temporary log folder: 200,000 INFO lines of the shape the engine logs, after 50,000 to warm up.
 * {@code mvn test -Dexcluded.groups= -Dgroups=benchmark -Dtest=LoggingBenchmark}.
 */
@Tag("benchmark")
class LoggingBenchmark {
    private static final int WARM_UP = 50_000;
    private static final int LINES = 200_000;

    @TempDir
    Path dir;

    @Test
    void nanosecondsPerOpsLineOnTheCallingThread() throws Exception {
        String saved = System.getProperty("trader.log.dir");
        System.setProperty("trader.log.dir", dir.toString());
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(new LogbackMDCAdapter());
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(ctx);
            configurator.doConfigure(Path.of(System.getProperty("bench.logback", "src/main/resources/logback.xml")).toFile());
            ctx.start();
            // The console copy is left out: Maven's console would measure the terminal, not the gateway.
            ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender("ASYNC_CONSOLE");
            ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender("CONSOLE");
            Logger ops = ctx.getLogger("io.tradergateway.ops");
            run(ops, WARM_UP);
            long start = System.nanoTime();
            run(ops, LINES);
            long calling = System.nanoTime() - start;
            ctx.stop();
            long all = System.nanoTime() - start;
            System.out.printf("logging benchmark: %d ops lines, %.0f ns per line on the calling thread, %.0f ns per line until "
                    + "written (stop included)%n", LINES, (double) calling / LINES, (double) all / LINES);
        } finally {
            ctx.stop();
            if (saved == null) System.clearProperty("trader.log.dir");
            else System.setProperty("trader.log.dir", saved);
        }
    }

    private static void run(Logger ops, int lines) {
        for (int i = 0; i < lines; i++) {
            ops.info("plan={} clOrdId={} fill {} {} @ {} at {} (ExecID {}, fee {}); order {}/{}; position {} {} avg {}",
                    "bench-" + (i & 1023), "TG-BENCH-" + i, "buy", "52", "190.12", "SIM_CHEAP", "E-" + i, "0.0989", "52", "52", "AAPL", "52", "190.12");
        }
    }
}
