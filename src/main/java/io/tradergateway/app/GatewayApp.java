package io.tradergateway.app;

import io.tradergateway.execution.TradingEngine;
import io.tradergateway.fix.FixVenueGateway;
import io.tradergateway.intake.ApiQueries;
import io.tradergateway.intake.ApiServer;
import io.tradergateway.report.Json;
import io.tradergateway.report.ReportsLog;
import io.tradergateway.report.delivery.ConsumerEndpoint;
import io.tradergateway.report.delivery.DeliveryPolicy;
import io.tradergateway.report.delivery.ReportDispatcher;
import io.tradergateway.store.Database;
import io.tradergateway.store.JdbcReportOutbox;
import io.tradergateway.store.JdbcTradeJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The gateway assembled: database, engine, FIX sessions, report delivery and the API, started and stopped in order. */
public final class GatewayApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayApp.class);

    private final GatewayConfig config;
    private final Database db;
    private final ReportsLog reportsLog;
    private final ReportDispatcher dispatcher;
    private final TradingEngine engine;
    private final FixVenueGateway fix;
    private final ApiServer api;

    private GatewayApp(GatewayConfig config, Clock clock) {
        this.config = config;
        try {
            Files.createDirectories(config.dataDir());
            Files.createDirectories(config.fixStoreDir());
            Files.createDirectories(config.fixLogDir());
        } catch (IOException e) {
            throw new ConfigException("setting data.dir (TRADER_DATA_DIR): cannot create " + config.dataDir() + ": " + e.getMessage());
        }
        this.db = Database.open(config.dbUrl(), config.dbUser(), config.dbPassword());
        JdbcTradeJournal journal = new JdbcTradeJournal(db);
        JdbcReportOutbox outbox = new JdbcReportOutbox(db, clock);
        this.reportsLog = new ReportsLog(config.reportsLog());
        List<ConsumerEndpoint> endpoints = new ArrayList<>();
        for (String consumer : GatewayConfig.CONSUMERS) {
            URI url = config.consumerUrls().get(consumer);
            endpoints.add(url == null ? ConsumerEndpoint.pullOnly(consumer) : new ConsumerEndpoint(consumer, url, ConsumerEndpoint.DEFAULT_TIMEOUT));
        }
        this.dispatcher = new ReportDispatcher(outbox, outbox, endpoints, DeliveryPolicy.defaults(), clock);
        this.fix = new FixVenueGateway(config.fixConfig(), config.fixStoreDir(), config.fixLogDir(), config.fixPortOverrides(), clock);
        this.engine = new TradingEngine(journal, fix, fix.venues(), report -> {
            reportsLog.append(Json.write(report));
            dispatcher.wakeUp();
        }, clock, new TradingEngine.Settings(config.portfolioEquity(), config.marketWindow(), config.venueStatsAlpha(), config.venueStatsHalfLife(),
                Duration.ofMillis(250)));
        this.api = new ApiServer(config.httpPort(), config.apiToken(), config.apiTimeout(), engine,
                new ApiQueries(engine, journal, outbox, fix::sessionStates, dispatcher));
    }

    /** Starts everything; on failure, stops what was started and rethrows. */
    public static GatewayApp start(GatewayConfig config, Clock clock) {
        GatewayApp app = new GatewayApp(config, clock);
        try {
            app.engine.start();
            app.fix.start(app.engine);
            app.dispatcher.start();
            app.api.start();
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        log.info("gateway started: API on port {}, venues {}, data in {}", app.api.port(), app.fix.venues(), config.dataDir().toAbsolutePath());
        return app;
    }

    public int httpPort() {
        return api.port();
    }

    public Map<String, Boolean> sessionStates() {
        return fix.sessionStates();
    }

    public FixVenueGateway fix() {
        return fix;
    }

    public GatewayConfig config() {
        return config;
    }

    @Override
    public void close() {
        // Reverse order: stop taking requests, stop the venues talking, drain the engine, then storage.
        closeQuietly(api);
        closeQuietly(fix);
        closeQuietly(engine);
        closeQuietly(dispatcher);
        closeQuietly(reportsLog);
        closeQuietly(db);
        log.info("gateway stopped");
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("error while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
