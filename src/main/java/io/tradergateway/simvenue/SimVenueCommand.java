package io.tradergateway.simvenue;

import io.tradergateway.logging.Logging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code sim-venue} subcommand: starts the simulated venues on their configured ports from {@code sim-venue/}
 * (relative to the working directory) and blocks until the JVM is told to stop (SIGTERM / Ctrl-C).
 *
 * <pre>
 * options:
 *   --config-dir DIR     settings directory (default sim-venue)
 *   --seed N             override the seed of venues.json
 *   --tick-ms N          override the tick interval (0 = no background price moves)
 * environment:
 *   TRADER_DATA_DIR      FIX store and logs go to $TRADER_DATA_DIR/sim-venue (default data/sim-venue)
 * </pre>
 */
public final class SimVenueCommand {
    private static final Logger log = LoggerFactory.getLogger(SimVenueCommand.class);

    private SimVenueCommand() {
    }

    /** Runs until SIGTERM; returns 2 (after one log line naming the problem) if the settings are bad. */
    public static int run(String[] args) {
        SimVenueConfig config;
        try {
            config = configure(args, System.getenv());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            log.error("sim-venue: bad setting: {}", e.getMessage());
            return 2;
        }
        SimVenue venue;
        try {
            venue = SimVenue.start(config);
        } catch (RuntimeException e) {
            log.error("sim-venue: cannot start: {}", e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("sim-venue: shutting down");
            venue.close();
            Logging.stop();
            stopped.countDown();
        }, "sim-venue-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            venue.close();
        }
        return 0;
    }

    static SimVenueConfig configure(String[] args, Map<String, String> env) {
        Path dir = Path.of("sim-venue");
        Long seed = null;
        Long tickMs = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--config-dir" -> dir = Path.of(value(args, ++i, arg));
                case "--seed" -> seed = number(value(args, ++i, arg), arg);
                case "--tick-ms" -> tickMs = number(value(args, ++i, arg), arg);
                case "sim-venue" -> { } // tolerate the subcommand name being passed along
                default -> throw new IllegalArgumentException("unknown option " + arg
                        + " (known: --config-dir DIR, --seed N, --tick-ms N)");
            }
        }
        SimVenueConfig config = SimVenueConfig.load(dir).withDataDir(SimVenueConfig.defaultDataDir(env));
        if (seed != null) config = config.withSeed(seed);
        if (tickMs != null) {
            if (tickMs < 0) throw new IllegalArgumentException("--tick-ms must be >= 0: " + tickMs);
            config = config.withTickInterval(Duration.ofMillis(tickMs));
        }
        return config;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    private static long number(String text, String option) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number: " + text);
        }
    }
}
