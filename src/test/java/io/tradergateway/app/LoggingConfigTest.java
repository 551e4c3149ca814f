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
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    void aWarningIsInTheFileWhenTheCallReturnsAfterTheInfoLinesLoggedBeforeIt() throws Exception {
        Logger ops = shippedLogback(dir.resolve("logs"));
        for (int i = 0; i < 500; i++) ops.info("plan=p-{} clOrdId=- validated", i);
        ops.error("plan=p-x clOrdId=- NEEDS ATTENTION: journal write failed");

        // No stop, no wait: the ERROR line and everything queued before it are in the file (what a kill -9 leaves).
        List<String> lines = Files.readAllLines(dir.resolve("logs").resolve("gateway.log"));
        assertThat(lines).hasSize(501);
        for (int i = 0; i < 500; i++) assertThat(lines.get(i)).endsWith("plan=p-" + i + " clOrdId=- validated");
        assertThat(lines.get(500)).contains(" ERROR ").endsWith("plan=p-x clOrdId=- NEEDS ATTENTION: journal write failed");
    }

    @Test
    void queuedInfoLinesAreAllWrittenByTheStopAndABufferedLineWithinAboutASecond() throws Exception {
        Logger ops = shippedLogback(dir.resolve("logs"));
        Path file = dir.resolve("logs").resolve("gateway.log");
        ops.info("plan=p-0 clOrdId=- validated");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(file) && Files.readString(file).contains("plan=p-0 clOrdId=- validated"));

        for (int i = 1; i <= 2_000; i++) ops.info("plan=p-{} clOrdId=- validated", i);
        ctx.stop();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2_001);
        assertThat(lines.get(2_000)).endsWith("plan=p-2000 clOrdId=- validated");
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
