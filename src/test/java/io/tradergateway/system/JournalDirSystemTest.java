package io.tradergateway.system;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code journal.dir} puts the file journal in a folder (on a device) of its own; a restart reads it from there. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalDirSystemTest {
    @TempDir
    Path dir;
    GatewayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    @Test
    void theJournalIsWrittenWhereJournalDirSaysAndReadFromThereAtRestart() throws IOException {
        Path wal = dir.resolve("wal-device").resolve("trader");
        h = GatewayHarness.start(dir, c -> c, c -> c.withJournalDir(wal));

        assertThat(h.post("/v1/plans", Plans.market("wal-1", "AAPL", "long")).status()).isEqualTo(202);
        h.awaitReport("wal-1", r -> r.path("status").asText().equals("filled"));

        assertThat(journalFiles(wal)).isNotEmpty().allSatisfy(f -> assertThat(Files.size(f)).isPositive());
        assertThat(h.config.dataDir().resolve("journal")).doesNotExist();
        List<Path> beforeRestart = journalFiles(wal);

        h.restartGateway();
        assertThat(h.post("/v1/plans", Plans.market("wal-2", "AAPL", "short")).status()).isEqualTo(202);
        h.awaitReport("wal-2", r -> r.path("status").asText().equals("filled"));
        assertThat(h.config.dataDir().resolve("journal")).as("still nothing in the data folder").doesNotExist();
        // A start begins a new file after the last batch it found there.
        assertThat(journalFiles(wal)).anySatisfy(f -> assertThat(beforeRestart).doesNotContain(f));
    }

    private static List<Path> journalFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".wal")).toList();
        }
    }
}
