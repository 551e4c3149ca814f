package io.tradergateway.app;

import io.tradergateway.simvenue.SimVenue;
import io.tradergateway.simvenue.SimVenueCommand;
import io.tradergateway.simvenue.SimVenueConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar trader-gateway.jar gateway [--with-sim-venue] [--config FILE] [--feed-plans DIR]} or
 * {@code java -jar trader-gateway.jar sim-venue}.
 * <p>A start-up failure is one line on stderr, {@code configuration error: ...} (exit 2) when a setting is bad,
 * {@code start-up error: ...} (exit 1) otherwise; the stack trace goes to the log at DEBUG only.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.err);
        if (code != 0) System.exit(code);
    }

    /** Runs a subcommand until it is stopped; returns the exit code (non-zero after one line on {@code err}). */
    static int run(String[] args, Map<String, String> env, PrintStream err) {
        if (args.length == 0) {
            usage(err);
            return 2;
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        try {
            switch (args[0]) {
                case "gateway" -> runGateway(rest, env);
                case "sim-venue" -> {
                    return SimVenueCommand.run(rest.toArray(String[]::new));
                }
                default -> {
                    usage(err);
                    return 2;
                }
            }
            return 0;
        } catch (ConfigException e) {
            log.debug("configuration error", e);
            err.println("configuration error: " + StartupErrors.oneLine(e));
            return 2;
        } catch (RuntimeException e) {
            log.debug("start-up error", e);
            err.println("start-up error: " + StartupErrors.oneLine(e));
            return 1;
        }
    }

    private static void runGateway(List<String> args, Map<String, String> env) {
        boolean withSim = false;
        Path configFile = null;
        Path feedDir = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--with-sim-venue" -> withSim = true;
                case "--config" -> configFile = Path.of(value(args, ++i, "--config"));
                case "--feed-plans" -> feedDir = Path.of(value(args, ++i, "--feed-plans"));
                default -> throw new ConfigException("unknown option " + args.get(i) + " (gateway takes --with-sim-venue, --config FILE, --feed-plans DIR)");
            }
        }
        GatewayConfig config = GatewayConfig.load(configFile, env);
        SimVenue sim = withSim ? startSimVenue(config) : null;
        GatewayApp app;
        try {
            app = GatewayApp.start(config, Clock.systemUTC());
        } catch (RuntimeException e) {
            if (sim != null) sim.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            if (sim != null) sim.close();
            stopped.countDown();
        }, "shutdown"));
        if (feedDir != null) new PlanFeeder(config, app.httpPort(), feedDir).feedWhenReady();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code --with-sim-venue}: the bundled venue from {@code sim.venue.dir}; a bad file there names the setting. */
    static SimVenue startSimVenue(GatewayConfig config) {
        String setting = "setting sim.venue.dir (" + GatewayConfig.envName("sim.venue.dir") + ")";
        SimVenueConfig simConfig;
        try {
            simConfig = SimVenueConfig.load(config.simVenueDir()).withDataDir(config.dataDir().resolve("sim-venue"));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ConfigException(setting + ": " + StartupErrors.oneLine(e), e);
        }
        try {
            return SimVenue.start(simConfig);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the simulated venue of " + setting + " cannot start: " + StartupErrors.oneLine(e), e);
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) throw new ConfigException(option + " needs a value");
        return args.get(i);
    }

    private static void usage(PrintStream err) {
        err.println("usage: trader-gateway gateway [--with-sim-venue] [--config FILE] [--feed-plans DIR]\n"
                + "       trader-gateway sim-venue");
    }
}
