package io.tradergateway.fix;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.sift.SiftingAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.tradergateway.logging.AsyncLogAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.MDC;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The production logback.xml (issue 11 item 6): FIX messages and session events go to one file per session under the
 * log folder (which follows the data folder), rolled by size and day with a total size cap; nothing else gets them.
 */
class FixLogFilesTest {
    @TempDir
    Path dir;

    @Test
    void eachSessionHasOneRollingSizeCappedFileUnderTheLogFolder() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the gateway's lines carry their venue in SLF4J's MDC
        context.putProperty("TRADER_LOG_DIR", dir.toString());
        // The gateway sets the system property trader.log.dir from its data folder (an earlier test in this JVM may have):
        // a context property of the same name wins over it.
        context.putProperty("trader.log.dir", dir.toString());
        context.putProperty("TRADER_FIX_LOG_TOTAL_SIZE_CAP", "300MB");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
        try {
            Logger out = context.getLogger("quickfixj.msg.SIM_A.out");
            Logger event = context.getLogger("quickfixj.event.SIM_B");
            try (MDC.MDCCloseable ignored = MDC.putCloseable(WatchedLogFactory.MDC_SESSION, "SIM_A")) {
                out.info("8=FIX.4.4\u000135=D\u000111=GW-1\u0001");
            }
            try (MDC.MDCCloseable ignored = MDC.putCloseable(WatchedLogFactory.MDC_SESSION, "SIM_B")) {
                event.info("Initiated logon request");
            }
            context.getLogger("io.tradergateway.ops").info("an ops line");

            // Written by the asynchronous appenders' worker threads, the buffers flushed within about a second.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().untilAsserted(() -> {
                assertThat(Files.readString(dir.resolve("fix/SIM_A.log"))).contains("quickfixj.msg.SIM_A.out - 8=FIX.4.4");
                assertThat(Files.readString(dir.resolve("fix/SIM_B.log"))).contains("Initiated logon request");
                assertThat(Files.readString(dir.resolve("gateway.log"))).contains("an ops line");
            });
            // Each queue keeps its order: a line sent to the wrong file would be there by now.
            assertThat(Files.readString(dir.resolve("fix/SIM_A.log"))).doesNotContain("Initiated logon request");
            assertThat(Files.readString(dir.resolve("gateway.log"))).doesNotContain("35=D");

            AsyncLogAppender asyncFix = (AsyncLogAppender) context.getLogger("quickfixj").getAppender("ASYNC_FIX");
            SiftingAppender sift = (SiftingAppender) asyncFix.getAppender("FIX");
            Appender<ILoggingEvent> perSession = sift.getAppenderTracker().find("SIM_A");
            assertThat(perSession).isInstanceOf(RollingFileAppender.class);
            RollingFileAppender<ILoggingEvent> file = (RollingFileAppender<ILoggingEvent>) perSession;
            assertThat(file.getRollingPolicy()).isInstanceOf(SizeAndTimeBasedRollingPolicy.class);
            SizeAndTimeBasedRollingPolicy<?> policy = (SizeAndTimeBasedRollingPolicy<?>) file.getRollingPolicy();
            assertThat(policy.getMaxHistory()).isEqualTo(14);
            assertThat(policy.getFileNamePattern()).endsWith("fix/SIM_A.%d{yyyy-MM-dd}.%i.log.gz");
            Field cap = TimeBasedRollingPolicy.class.getDeclaredField("totalSizeCap");
            cap.setAccessible(true);
            assertThat(((FileSize) cap.get(policy)).getSize()).isEqualTo(FileSize.valueOf("300MB").getSize());
            assertThat(context.getLogger("quickfixj").isAdditive()).as("FIX lines stay out of gateway.log").isFalse();
            assertThat(context.getLogger("quickfixj.msg").getLevel()).as("no level of its own: the quickfixj logger decides").isNull();
            assertThat(context.getLogger("quickfixj.event").getLevel()).isNull();

            // The ops log fits a disk too: rolled by day and size, capped in all.
            AsyncLogAppender asyncOps = (AsyncLogAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC_FILE");
            RollingFileAppender<ILoggingEvent> ops = (RollingFileAppender<ILoggingEvent>) asyncOps.getAppender("FILE");
            SizeAndTimeBasedRollingPolicy<?> opsPolicy = (SizeAndTimeBasedRollingPolicy<?>) ops.getRollingPolicy();
            assertThat(opsPolicy.getFileNamePattern()).endsWith("gateway.%d{yyyy-MM-dd}.%i.log.gz");
            assertThat(((FileSize) cap.get(opsPolicy)).getSize()).isEqualTo(FileSize.valueOf("5GB").getSize());
        } finally {
            context.stop();
        }
    }
}
