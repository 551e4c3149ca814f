package io.tradergateway.system;

import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walking skeleton with {@code journal.mode=sql} (what a hot standby runs): every engine batch is one database
 * transaction on the engine thread, and no journal file is written.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WalkingSkeletonOnSqlJournalTest extends WalkingSkeletonTest {
    @Override
    GatewayHarness startGateway(Path dir) {
        GatewayHarness harness = GatewayHarness.start(dir, UnaryOperator.identity(), config -> config.withJournal(false, true));
        assertThat(harness.config.fileJournal()).isFalse();
        assertThat(Files.exists(harness.config.dataDir().resolve("journal"))).as("no journal file in sql mode").isFalse();
        return harness;
    }
}
