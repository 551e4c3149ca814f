package io.tradergateway.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped logback.xml (not the tests' one): where its files go, and that a message cannot forge a line. */
@Timeout(30)
class LoggingConfigTest {
    @TempDir
    Path dir;

    private final String saved = System.getProperty(Main.LOG_DIR_PROPERTY);
    private LoggerContext ctx;

    @AfterEach
    void restore() {
        if (ctx != null) ctx.stop();
        if (saved == null) System.clearProperty(Main.LOG_DIR_PROPERTY);
        else System.setProperty(Main.LOG_DIR_PROPERTY, saved);
    }

    private Logger shippedLogback(Path logDir) throws Exception {
        System.setProperty(Main.LOG_DIR_PROPERTY, logDir.toString());
        ctx = new LoggerContext();
        ctx.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
        ctx.start();
        return ctx.getLogger("io.tradergateway.ops");
    }

    @Test
    void lineBreaksInAMessageAreEscapedSoAnOpsLineCannotBeForged() throws Exception {
        Logger ops = shippedLogback(dir.resolve("logs"));
        ops.info("plan={} clOrdId=- validated, notes: {}", "p-1", "fine\r\n12:00:00 INFO plan=p-2 clOrdId=X filled");
        ctx.stop();

        List<String> lines = Files.readAllLines(dir.resolve("logs").resolve("gateway.log"));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).endsWith("notes: fine\\r\\n12:00:00 INFO plan=p-2 clOrdId=X filled");
    }

    @Test
    void theLogFolderFollowsDataDirFromASettingsFile() throws Exception {
        Path dataDir = dir.resolve("from-file");
        Path file = Files.writeString(dir.resolve("settings.properties"), "data.dir=" + dataDir + "\n");
        GatewayConfig config = GatewayConfig.load(file, Map.of());

        Path logDir = Main.pointLogsAt(config, Map.of());
        assertThat(logDir).isEqualTo(dataDir.resolve("logs"));
        assertThat(System.getProperty(Main.LOG_DIR_PROPERTY)).isEqualTo(logDir.toString());
        shippedLogback(Path.of(System.getProperty(Main.LOG_DIR_PROPERTY))).info("hello");
        ctx.stop();
        assertThat(Files.readString(dataDir.resolve("logs").resolve("gateway.log"))).contains("hello");
    }

    @Test
    void traderLogDirStillWins() {
        GatewayConfig config = GatewayConfig.load(null, Map.of("TRADER_DATA_DIR", dir.resolve("d").toString()));
        assertThat(Main.pointLogsAt(config, Map.of("TRADER_LOG_DIR", dir.resolve("elsewhere").toString())))
                .isEqualTo(dir.resolve("elsewhere"));
    }
}
