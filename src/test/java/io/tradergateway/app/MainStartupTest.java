package io.tradergateway.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §6: a bad setting stops start-up with one clear line naming it (key and environment variable), a non-zero
 * exit and no stack trace. Runs {@link Main#run} in-process on failing settings, and once as a child JVM.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainStartupTest {
    @TempDir
    Path dir;

    private record Outcome(int exitCode, String stderr) {
        List<String> lines() {
            return stderr.lines().toList();
        }
    }

    private Outcome run(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of(
                "TRADER_DATA_DIR", dir.resolve("data").toString(),
                "TRADER_HTTP_PORT", "0"));
        env.putAll(extraEnv);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, env, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, err.toString(StandardCharsets.UTF_8));
    }

    /** Exit code 2 and exactly one line on stderr, returned. */
    private static String onlyLine(Outcome out) {
        assertThat(out.exitCode()).as("exit code; stderr: %s", out.stderr()).isEqualTo(2);
        assertThat(out.lines()).hasSize(1);
        return out.lines().get(0);
    }

    @Test
    void missingFixConfigFileNamesTheSettingAndTheFile() {
        Outcome out = run(Map.of("TRADER_FIX_CONFIG", "fix-config/nope.cfg"), "gateway");

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.lines()).containsExactly(
                "configuration error: setting fix.config (TRADER_FIX_CONFIG): file fix-config/nope.cfg not found");
    }

    @Test
    void unparsableFixConfigNamesTheSetting() throws IOException {
        Path cfg = Files.writeString(dir.resolve("broken.cfg"), "[SESSION\nBeginString=FIX.4.4\n");

        Outcome out = run(Map.of("TRADER_FIX_CONFIG", cfg.toString()), "gateway");

        assertThat(onlyLine(out))
                .startsWith("configuration error: setting fix.config (TRADER_FIX_CONFIG): ")
                .contains(cfg.toString());
    }

    @Test
    void unsupportedFixVersionNamesTheSettingTheSessionAndTheBeginString() throws IOException {
        Path cfg = Files.writeString(dir.resolve("old.cfg"), "[default]\nConnectionType=initiator\nSenderCompID=GATEWAY\n"
                + "[session]\nBeginString=FIX.4.3\nTargetCompID=OLD\nSocketConnectHost=127.0.0.1\nSocketConnectPort=1\n");

        Outcome out = run(Map.of("TRADER_FIX_CONFIG", cfg.toString()), "gateway");

        assertThat(onlyLine(out)).isEqualTo("configuration error: setting fix.config (TRADER_FIX_CONFIG): FIX session "
                + "FIX.4.3:GATEWAY->OLD: BeginString=FIX.4.3 is not supported (FIX.4.2, FIX.4.4, or FIXT.1.1 with "
                + "DefaultApplVerID=FIX.5.0SP2)");
    }

    @Test
    void unreachableDatabaseNamesDbUrl() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "jdbc:h2:tcp://127.0.0.1:" + closedPort + "/nowhere";

        Outcome out = run(Map.of("TRADER_DB_URL", url), "gateway");

        assertThat(onlyLine(out))
                .startsWith("configuration error: setting db.url (TRADER_DB_URL): cannot open database " + url);
    }

    @Test
    void databaseUrlWithoutADriverNamesDbUrl() {
        Outcome out = run(Map.of("TRADER_DB_URL", "jdbc:nosuchdb://db.example/x"), "gateway");

        assertThat(onlyLine(out))
                .startsWith("configuration error: setting db.url (TRADER_DB_URL): ")
                .contains("jdbc:nosuchdb://db.example/x");
    }

    @Test
    void httpPortInUseNamesHttpPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            Outcome out = run(Map.of("TRADER_HTTP_PORT", String.valueOf(taken.getLocalPort())), "gateway");

            assertThat(onlyLine(out))
                    .startsWith("configuration error: setting http.port (TRADER_HTTP_PORT): cannot listen on HTTP port " + taken.getLocalPort());
        }
    }

    @Test
    void missingSimVenueDirectoryNamesTheSetting() {
        Path missing = dir.resolve("no-such-sim");

        Outcome out = run(Map.of("TRADER_SIM_VENUE_DIR", missing.toString()), "gateway", "--with-sim-venue");

        assertThat(onlyLine(out))
                .startsWith("configuration error: setting sim.venue.dir (TRADER_SIM_VENUE_DIR): ")
                .endsWith("acceptor.cfg not found");
    }

    @Test
    void badSimVenueSettingNamesTheSettingTheFileAndTheField() throws IOException {
        Path sim = Files.createDirectories(dir.resolve("sim"));
        Files.copy(Path.of("sim-venue/acceptor.cfg"), sim.resolve("acceptor.cfg"));
        Files.writeString(sim.resolve("venues.json"), Files.readString(Path.of("sim-venue/venues.json"))
                .replace("\"timeScale\": 60", "\"timeScale\": -1"));

        Outcome out = run(Map.of("TRADER_SIM_VENUE_DIR", sim.toString()), "gateway", "--with-sim-venue");

        assertThat(onlyLine(out))
                .startsWith("configuration error: setting sim.venue.dir (TRADER_SIM_VENUE_DIR): ")
                .contains("venues.json").contains("timeScale");
    }

    @Test
    void unknownOptionIsOneLine() {
        Outcome out = run(Map.of(), "gateway", "--frobnicate");

        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.lines()).containsExactly(
                "configuration error: unknown option --frobnicate (gateway takes --with-sim-venue, --config FILE, --feed-plans DIR)");
    }

    @Test
    void helpPrintsUsageOnStdoutAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"--help"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: trader-gateway gateway").contains("--version");
        assertThat(err.size()).isZero();
        assertThat(Main.run(new String[]{"gateway", "--help"}, Map.of(), new PrintStream(out), new PrintStream(err))).isZero();
    }

    @Test
    void versionPrintsTheBuildVersion() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"--version"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).matches("trader-gateway \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void anUnknownKeyInTheSettingsFileIsOneLineWithASuggestion() throws IOException {
        Path file = Files.writeString(dir.resolve("gw.properties"), "http.prot=9000\n");

        Outcome out = run(Map.of(), "gateway", "--config", file.toString());

        assertThat(onlyLine(out))
                .isEqualTo("configuration error: --config " + file + ": unknown setting 'http.prot'; did you mean http.port?");
    }

    /** As a real process: exactly one line on stderr, a non-zero exit, and no stack trace anywhere in the output. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TRADER_FIX_CONFIG=fix-config/nope.cfg", "TRADER_DB_URL=jdbc:nosuchdb://db.example/x"})
    void childJvmPrintsOneLineAndExitsNonZero(String setting) throws Exception {
        String[] kv = setting.split("=", 2);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), "io.tradergateway.app.Main", "gateway");
        pb.environment().put("TRADER_DATA_DIR", dir.resolve("child").toAbsolutePath().toString());
        pb.environment().put("TRADER_HTTP_PORT", "0");
        pb.environment().put(kv[0], kv[1]);
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        pb.redirectOutput(dir.resolve("stdout.txt").toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(45, TimeUnit.SECONDS)).as("the process ends by itself").isTrue();
        } finally {
            p.destroyForcibly();
        }
        List<String> stderr = Files.readAllLines(dir.resolve("stderr.txt"));
        String stdout = Files.readString(dir.resolve("stdout.txt"));

        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(stderr).singleElement().asString().startsWith("configuration error: setting ").contains(kv[0]);
        assertThat(stdout).doesNotContain("Exception", "\tat ");
    }
}
