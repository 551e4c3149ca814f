package io.tradergateway.app;

import io.tradergateway.intake.StandbyApi;
import io.tradergateway.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * {@code ha.standby=true} (SPEC §8): while another gateway holds the database's writer lock, this one waits as a hot
 * standby (a {@link StandbyApi} on its API port), trying the lock every {@code ha.poll.ms}. Once the lock is free it
 * frees the port and starts as the active gateway in every respect ({@link GatewayApp#start}: the writer lock taken for
 * good before anything else, recovery, engine, FIX sessions, delivery, API). Lost a race for the lock to a third
 * gateway: back to waiting.
 */
final class HotStandby {
    private static final Logger log = LoggerFactory.getLogger(HotStandby.class);

    private HotStandby() {
    }

    static GatewayApp startWhenActive(GatewayConfig config, Clock clock, Supplier<GatewayApp> start) {
        StandbyApi standbyApi = null;
        try (Database.WriterLockProbe probe = new Database.WriterLockProbe(config.dbUrl(), config.dbUser(), config.dbPassword())) {
            while (true) {
                if (free(probe)) {
                    probe.close();
                    if (standbyApi != null) {
                        standbyApi.close();
                        standbyApi = null;
                        log.warn("hot standby: the active gateway is gone (writer lock free); taking over");
                    }
                    try {
                        GatewayApp app = start.get();
                        log.info("hot standby: this gateway is now the active one");
                        return app;
                    } catch (RuntimeException e) {
                        if (!lockHeld(e)) throw e;
                        log.info("hot standby: another gateway took the writer lock first; waiting again");
                    }
                }
                if (standbyApi == null) {
                    log.info("hot standby: another gateway holds {}; waiting (trying every {} ms)", config.dbUrl(), config.haPoll().toMillis());
                    try {
                        standbyApi = new StandbyApi(config.httpBind(), config.httpPort(), config.apiToken(), clock);
                    } catch (RuntimeException e) {
                        throw new ConfigException("setting http.port (TRADER_HTTP_PORT): " + StartupErrors.oneLine(e), e);
                    }
                }
                Thread.sleep(config.haPoll().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting as a hot standby", e);
        } finally {
            if (standbyApi != null) standbyApi.close();
        }
    }

    /** The probe's answer; a database that cannot be opened on the first try stops start-up naming db.url. */
    private static boolean free(Database.WriterLockProbe probe) {
        try {
            return probe.free();
        } catch (IllegalStateException e) {
            throw new ConfigException("setting db.url (TRADER_DB_URL): " + StartupErrors.oneLine(e), e);
        }
    }

    /** The start failed because another gateway holds the writer lock (it is in the cause chain). */
    static boolean lockHeld(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Database.WriterLockHeld) return true;
        }
        return false;
    }
}
