package io.tradergateway.app;

import io.tradergateway.logging.Logging;
import io.tradergateway.simvenue.SimVenue;
import io.tradergateway.simvenue.SimVenueCommand;
import io.tradergateway.simvenue.SimVenueConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar trader-gateway.jar gateway [--with-sim-venue] [--config FILE] [--feed-plans DIR]} or
 * {@code java -jar trader-gateway.jar sim-venue}.
 * <p>A start-up failure is one line on stderr, {@code configuration error: ...} (exit 2) when a setting is bad,
 * {@code start-up error: ...} (exit 1) otherwise; the stack trace goes to the log at DEBUG only.
 */
public final class Main {
    /** The system property logback.xml reads the log folder from (before TRADER_LOG_DIR and TRADER_DATA_DIR). */
    static final String LOG_DIR_PROPERTY = "trader.log.dir";

    private Main() {
    }

    /**
     * Not a static field: Logback opens its log files when the first logger is made, and the log folder follows
     * {@code data.dir}, which is only known once the settings (a {@code --config} file included) are read.
     */
    private static Logger log() {
        return LoggerFactory.getLogger(Main.class);
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        if (code != 0) {
            // The log files are buffered and their lines queued: written before the process ends.
            Logging.stop();
            System.exit(code);
        }
    }

    static int run(String[] args, Map<String, String> env, PrintStream err) {
        return run(args, env, System.out, err);
    }

    /** Runs a subcommand until it is stopped; returns the exit code (non-zero after one line on {@code err}). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            usage(err);
            return 2;
        }
        if (List.of("--help", "-h", "help").contains(args[0]) || args.length > 1 && List.of("--help", "-h").contains(args[1])) {
            usage(out);
            return 0;
        }
        if (List.of("--version", "-V", "version").contains(args[0])) {
            out.println("trader-gateway " + version());
            return 0;
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
            log().debug("configuration error", e);
            err.println("configuration error: " + StartupErrors.oneLine(e));
            return 2;
        } catch (RuntimeException e) {
            log().debug("start-up error", e);
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
                default -> throw new ConfigException("unknown option " + args.get(i)
                        + " (gateway takes --with-sim-venue, --config FILE, --feed-plans DIR)");
            }
        }
        GatewayConfig config = GatewayConfig.load(configFile, env);
        pointLogsAt(config, env);
        logSettings(config, configFile, withSim);
        unknownVariables(env, config).forEach(w -> log().warn(w));
        SimVenue sim = withSim ? startSimVenue(config) : null;
        GatewayApp app;
        try {
            app = config.haStandby() ? HotStandby.startWhenActive(config, Clock.systemUTC(), () -> GatewayApp.start(config, Clock.systemUTC()))
                    : GatewayApp.start(config, Clock.systemUTC());
        } catch (RuntimeException e) {
            if (sim != null) sim.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            if (sim != null) sim.close();
            // Last: writes the lines still queued and the files' buffers (nothing logged after it is written).
            Logging.stop();
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

    /**
     * The log folder follows the effective {@code data.dir} (a {@code --config} file included), unless {@code TRADER_LOG_DIR}
     * names one. Set before anything logs, so Logback opens its files there; if something logged already (an embedding
     * program), Logback is configured again from the same file.
     */
    static Path pointLogsAt(GatewayConfig config, Map<String, String> env) {
        String explicit = env.get("TRADER_LOG_DIR");
        Path dir = explicit != null && !explicit.isBlank() ? Path.of(explicit.trim()) : config.dataDir().resolve("logs");
        String previous = System.setProperty(LOG_DIR_PROPERTY, dir.toString());
        if (!dir.toString().equals(previous)) LogSetup.reconfigureIfStarted();
        return dir;
    }

    /** The start-up block: every setting in force with where it came from (secrets masked), and a warning for a default token. */
    static void logSettings(GatewayConfig config, Path configFile, boolean withSim) {
        Logger log = log();
        log.info("trader-gateway {}: settings from the bundled gateway.properties{}, then the environment:", version(),
                configFile == null ? "" : ", then " + configFile.toAbsolutePath());
        for (String line : config.describeSettings()) log.info("  {}", line);
        log.info("  in force: API on {}:{}, data in {}, database {}, FIX sessions from {}, equity {}", config.httpBind(),
                config.httpPort(), config.dataDir().toAbsolutePath(), config.dbUrl(), config.fixConfig().toAbsolutePath(),
                config.portfolioEquity().toPlainString());
        tokenWarning(config, withSim).ifPresent(w -> {
            if (withSim) {
                log.warn(w);
            } else {
                log.warn("****************************************************************************************");
                log.warn("* SECURITY: {}", w);
                log.warn("****************************************************************************************");
            }
        });
    }

    /** Variables the gateway reads besides the settings' own (TRADER_ + key). */
    private static final Set<String> OTHER_VARIABLES = Set.of("TRADER_LOG_DIR");

    /**
     * A {@code TRADER_*} variable that overrides no setting is most likely a typo ({@code TRADER_HTTP_PROT}); it is warned
     * about with the nearest real one, not refused, since other tools (tests, scripts) may use the prefix too.
     */
    static List<String> unknownVariables(Map<String, String> env, GatewayConfig config) {
        Set<String> known = new TreeSet<>(OTHER_VARIABLES);
        config.settings().keySet().forEach(key -> known.add(GatewayConfig.envName(key)));
        List<String> out = new ArrayList<>();
        for (String name : new TreeSet<>(env.keySet())) {
            if (!name.startsWith("TRADER_") || known.contains(name)) continue;
            String nearest = GatewayConfig.nearest(name, known);
            out.add("environment variable " + name + " is not a gateway setting and is ignored"
                    + (nearest == null ? "" : "; did you mean " + nearest + "?"));
        }
        return out;
    }

    /** A warning when the API token is the published default: anyone who read the README could trade through the gateway. */
    static Optional<String> tokenWarning(GatewayConfig config, boolean withSim) {
        if (!GatewayConfig.DEFAULT_TOKEN.equals(config.apiToken())) return Optional.empty();
        return Optional.of("api.token is the default '" + GatewayConfig.DEFAULT_TOKEN + "' published in the README"
                + (withSim ? " (fine for the --with-sim-venue demo)" : ": set TRADER_API_TOKEN (or api.token in --config) to a secret"));
    }

    /** The build's version: the jar manifest's Implementation-Version, else the filtered version resource (tests, IDE). */
    static String version() {
        String fromManifest = Main.class.getPackage().getImplementationVersion();
        if (fromManifest != null) return fromManifest;
        try (InputStream in = Main.class.getResourceAsStream("/trader-gateway-version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: trader-gateway gateway [--with-sim-venue] [--config FILE] [--feed-plans DIR]\n"
                + "       trader-gateway sim-venue\n"
                + "       trader-gateway --version | --help\n"
                + "\n"
                + "  gateway             the gateway: FIX sessions of fix.config, the internal API on http.bind:http.port\n"
                + "    --with-sim-venue  also start the bundled simulated venue in this process (the demo)\n"
                + "    --config FILE     settings file overriding the bundled gateway.properties (unknown keys are refused)\n"
                + "    --feed-plans DIR  post the sample plans of DIR once the gateway is ready\n"
                + "  sim-venue           the simulated venue alone, on the ports of sim-venue/acceptor.cfg\n"
                + "\n"
                + "Every setting can be overridden by an environment variable TRADER_<KEY> (http.port -> TRADER_HTTP_PORT).\n"
                + "See README.md, section Configuration.");
    }
}
