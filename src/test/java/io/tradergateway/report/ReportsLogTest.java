package io.tradergateway.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10 item 6: one report with an unpaired surrogate stopped exec-reports.jsonl from growing for good. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReportsLogTest {
    @TempDir
    Path dir;

    @Test
    void aReportWithAnUnpairedSurrogateNeitherStopsTheLogNorBreaksItsLine() throws IOException {
        Path file = dir.resolve("exec-reports.jsonl");
        try (ReportsLog log = new ReportsLog(file)) {
            log.append("{\"sequence\":1,\"signal_id\":\"bad\ud800\"}");
            log.append("{\"sequence\":2}");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8); // strict: fails on malformed UTF-8
        assertThat(lines).containsExactly("{\"sequence\":1,\"signal_id\":\"bad\uFFFD\"}", "{\"sequence\":2}");
    }

    @Test
    void wellFormedReplacesOnlyUnpairedSurrogates() {
        assertThat(Json.wellFormed("a\ud83d\ude00b")).isEqualTo("a\ud83d\ude00b");
        assertThat(Json.wellFormed("\ude00x\ud800")).isEqualTo("\uFFFDx\uFFFD");
        assertThat(Json.wellFormed("\ud800\ud800\ude00")).isEqualTo("\uFFFD\ud800\ude00");
        assertThat(Json.write(new Object[]{"sig\ud800"})).isEqualTo("[\"sig\uFFFD\"]");
    }
}
