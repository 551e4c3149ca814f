package io.tradergateway.app;

import io.tradergateway.simvenue.SimVenue;
import io.tradergateway.simvenue.SimVenueCommand;
import io.tradergateway.simvenue.SimVenueConfig;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar trader-gateway.jar gateway [--with-sim-venue] [--config FILE] [--feed-plans DIR]} or
 * {@code java -jar trader-gateway.jar sim-venue}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        try {
            switch (args[0]) {
                case "gateway" -> runGateway(rest);
                case "sim-venue" -> System.exit(SimVenueCommand.run(rest.toArray(String[]::new)));
                default -> {
                    usage();
                    System.exit(2);
                }
            }
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void runGateway(List<String> args) {
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
        GatewayConfig config = GatewayConfig.load(configFile, System.getenv());
        SimVenue sim = withSim ? SimVenue.start(SimVenueConfig.load(config.simVenueDir())
                .withDataDir(config.dataDir().resolve("sim-venue"))) : null;
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

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) throw new ConfigException(option + " needs a value");
        return args.get(i);
    }

    private static void usage() {
        System.err.println("usage: trader-gateway gateway [--with-sim-venue] [--config FILE] [--feed-plans DIR]\n"
                + "       trader-gateway sim-venue");
    }
}
