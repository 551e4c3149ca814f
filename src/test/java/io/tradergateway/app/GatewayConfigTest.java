package io.tradergateway.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Settings: bundled defaults, an optional --config file, then TRADER_* environment variables; bad values stop start-up. */
class GatewayConfigTest {

    @Test
    void bundledDefaultsLoad() {
        GatewayConfig config = GatewayConfig.load(null, Map.of());

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.apiToken()).isEqualTo("dev-token-change-me");
        assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        // Empty db.url = embedded H2 under the data dir.
        assertThat(config.dbUrl()).isEqualTo("jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("db").resolve("gateway") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(config.dbUser()).isEqualTo("sa");
        assertThat(config.dbPassword()).isEmpty();
        assertThat(config.fixConfig()).isEqualTo(Path.of("fix-config/gateway.cfg"));
        assertThat(config.simVenueDir()).isEqualTo(Path.of("sim-venue"));
        assertThat(config.portfolioEquity()).isEqualTo(new BigDecimal("1000000"));
        assertThat(config.marketWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.venueStatsAlpha()).isEqualTo(0.2);
        assertThat(config.venueStatsHalfLife()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.apiTimeout()).isEqualTo(Duration.ofMillis(5000));
        assertThat(config.consumerUrls()).isEmpty();
        assertThat(config.consumerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.fixPortOverrides()).isEmpty();
    }

    @Test
    void environmentOverridesTheBundledValues(@TempDir Path dir) {
        Map<String, String> env = Map.of(
                "TRADER_HTTP_PORT", "9191",
                "TRADER_API_TOKEN", "s3cret",
                "TRADER_DATA_DIR", dir.toString(),
                "TRADER_DB_URL", "jdbc:h2:mem:gateway-test",
                "TRADER_CONSUMER_ALPHA_DETECTOR_URL", "http://localhost:7001/reports",
                "TRADER_CONSUMER_LEARNING_SYSTEMS_URL", "https://learning.example.com/v1/exec-reports",
                "TRADER_CONSUMER_TIMEOUT_MS", "2500",
                "TRADER_PORTFOLIO_EQUITY", "250000.50");

        GatewayConfig config = GatewayConfig.load(null, env);

        assertThat(config.httpPort()).isEqualTo(9191);
        assertThat(config.apiToken()).isEqualTo("s3cret");
        assertThat(config.dataDir()).isEqualTo(dir);
        assertThat(config.dbUrl()).isEqualTo("jdbc:h2:mem:gateway-test");
        assertThat(config.portfolioEquity()).isEqualTo(new BigDecimal("250000.50"));
        assertThat(config.consumerUrls()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "alpha_detector", URI.create("http://localhost:7001/reports"),
                "learning_systems", URI.create("https://learning.example.com/v1/exec-reports")));
        assertThat(config.consumerTimeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void dataDirOverrideMovesTheEmbeddedDatabaseWithIt(@TempDir Path dir) {
        GatewayConfig config = GatewayConfig.load(null, Map.of("TRADER_DATA_DIR", dir.toString()));

        assertThat(config.dbUrl()).isEqualTo("jdbc:h2:file:" + dir.toAbsolutePath().resolve("db").resolve("gateway") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(config.fixStoreDir()).isEqualTo(dir.resolve("fix").resolve("store"));
    }

    @Test
    void environmentValuesAreTrimmed() {
        GatewayConfig config = GatewayConfig.load(null, Map.of("TRADER_HTTP_PORT", " 9192 ", "TRADER_API_TOKEN", "tok \n"));

        assertThat(config.httpPort()).isEqualTo(9192);
        assertThat(config.apiToken()).isEqualTo("tok");
    }

    @Test
    void configFileOverridesDefaultsAndEnvironmentOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway-local.properties");
        Files.writeString(file, "http.port=9300\napi.token=from-file\nmarket.window.seconds=120\n");

        GatewayConfig config = GatewayConfig.load(file, Map.of("TRADER_API_TOKEN", "from-env"));

        assertThat(config.httpPort()).isEqualTo(9300);
        assertThat(config.marketWindow()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.apiToken()).isEqualTo("from-env");
    }

    @Test
    void unreadableConfigFileNamesTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");

        assertThatThrownBy(() -> GatewayConfig.load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    @ParameterizedTest(name = "{0}=''{1}'' is refused naming {2}")
    @CsvSource(delimiter = '|', value = {
            "TRADER_HTTP_PORT                   | abc            | http.port",
            "TRADER_HTTP_PORT                   | 70000          | http.port",
            "TRADER_HTTP_PORT                   | -1             | http.port",
            "TRADER_PORTFOLIO_EQUITY            | -1             | portfolio.equity",
            "TRADER_PORTFOLIO_EQUITY            | 0              | portfolio.equity",
            "TRADER_PORTFOLIO_EQUITY            | lots           | portfolio.equity",
            "TRADER_DB_URL                      | postgres://x   | db.url",
            "TRADER_CONSUMER_ALPHA_DETECTOR_URL | ftp://x        | consumer.alpha_detector.url",
            "TRADER_CONSUMER_DECISION_MAKER_URL | not a url      | consumer.decision_maker.url",
            "TRADER_MARKET_WINDOW_SECONDS       | 0              | market.window.seconds",
            "TRADER_VENUE_STATS_ALPHA           | 1.5            | venue.stats.alpha",
            "TRADER_VENUE_STATS_HALF_LIFE_SECONDS | -5           | venue.stats.half.life.seconds",
            "TRADER_API_TIMEOUT_MS              | 5s             | api.timeout.ms",
            "TRADER_CONSUMER_TIMEOUT_MS         | 0              | consumer.timeout.ms",
            "TRADER_CONSUMER_TIMEOUT_MS         | 10s            | consumer.timeout.ms",
    })
    void badValueStopsStartUpWithOneLineNamingKeyVariableAndValue(String variable, String value, String key) {
        ConfigException e = catchThrowableOfType(() -> GatewayConfig.load(null, Map.of(variable, value)),
                ConfigException.class);

        assertThat(e).as("%s=%s must be refused", variable, value).isNotNull();
        assertThat(e.getMessage()).contains(key).contains(variable).contains(value).doesNotContain("\n", "\r");
    }

    @ParameterizedTest(name = "empty {0} is refused")
    @CsvSource({"TRADER_API_TOKEN, api.token", "TRADER_DATA_DIR, data.dir", "TRADER_HTTP_PORT, http.port"})
    void emptyRequiredValueIsRefusedNamingKeyAndVariable(String variable, String key) {
        for (String empty : new String[]{"", "   "}) {
            ConfigException e = catchThrowableOfType(() -> GatewayConfig.load(null, Map.of(variable, empty)),
                    ConfigException.class);

            assertThat(e).as("%s='%s' must be refused", variable, empty).isNotNull();
            assertThat(e.getMessage()).contains(key).contains(variable).doesNotContain("\n", "\r");
        }
    }

    @Test
    void messageStaysOneLineEvenWhenTheValueHasALineBreak() {
        ConfigException e = catchThrowableOfType(
                () -> GatewayConfig.load(null, Map.of("TRADER_DB_URL", "postgres://x\nlevel=INFO started")),
                ConfigException.class);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("db.url").contains("TRADER_DB_URL").doesNotContain("\n", "\r");
    }

    @Test
    void theJournalIsAFileByDefaultAndInTheDatabaseForAHotStandby() {
        GatewayConfig defaults = GatewayConfig.load(null, Map.of());
        assertThat(defaults.fileJournal()).isTrue();
        assertThat(defaults.journalFsync()).isTrue();
        Map<String, String> standby = Map.of("TRADER_HA_STANDBY", "true", "TRADER_DB_URL", "jdbc:postgresql://db:5432/trader");
        assertThat(GatewayConfig.load(null, standby).fileJournal()).as("auto: the standby reads the shared database").isFalse();
        assertThat(GatewayConfig.load(null, Map.of("TRADER_JOURNAL_MODE", "sql", "TRADER_JOURNAL_FSYNC", "false")))
                .satisfies(c -> assertThat(c.fileJournal()).isFalse()).satisfies(c -> assertThat(c.journalFsync()).isFalse());

        assertThat(defaults.journalDir()).isEqualTo(defaults.dataDir().resolve("journal"));
        assertThat(GatewayConfig.load(null, Map.of("TRADER_JOURNAL_DIR", "/mnt/wal/trader")).journalDir())
                .as("a device of its own").isEqualTo(Path.of("/mnt/wal/trader"));
        assertThatThrownBy(() -> GatewayConfig.load(null, Map.of("TRADER_JOURNAL_MODE", "disk")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("journal.mode (TRADER_JOURNAL_MODE) must be auto, file or sql");
        Map<String, String> fileStandby = new HashMap<>(standby);
        fileStandby.put("TRADER_JOURNAL_MODE", "file");
        assertThatThrownBy(() -> GatewayConfig.load(null, fileStandby))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be sql or auto with ha.standby=true");
    }

    @Test
    void fixConfigMustBeAnExistingFile(@TempDir Path dir) {
        assertThatThrownBy(() -> GatewayConfig.load(null, Map.of("TRADER_FIX_CONFIG", "fix-config/nope.cfg")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting fix.config (TRADER_FIX_CONFIG): file fix-config/nope.cfg not found");
        assertThatThrownBy(() -> GatewayConfig.load(null, Map.of("TRADER_FIX_CONFIG", dir.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting fix.config (TRADER_FIX_CONFIG): " + dir + " is not a readable file");
    }

    @Test
    void theApiListensOnLoopbackByDefaultAndHttpBindChangesIt() {
        assertThat(GatewayConfig.load(null, Map.of()).httpBind()).isEqualTo("127.0.0.1");
        assertThat(GatewayConfig.load(null, Map.of("TRADER_HTTP_BIND", "0.0.0.0")).httpBind()).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> GatewayConfig.load(null, Map.of("TRADER_HTTP_BIND", "no such host")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("setting http.bind (TRADER_HTTP_BIND) must be");
    }

    @Test
    void theSettingsInForceNameTheirSourceAndMaskSecrets(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("gw.properties"), "portfolio.equity=5000\ndb.password=hunter2\n");
        GatewayConfig config = GatewayConfig.load(file, Map.of("TRADER_API_TOKEN", "s3cret-token"));

        assertThat(config.describeSettings())
                .contains("portfolio.equity = '5000' (file " + file + ")")
                .contains("db.password = **** (file " + file + ")")
                .contains("api.token = **** (env TRADER_API_TOKEN)")
                .contains("http.port = '8080' (default)")
                .hasSize(config.settings().size())
                .noneMatch(line -> line.contains("hunter2") || line.contains("s3cret-token"));
    }

    @Test
    void theNearestKnownKeyIsSuggestedOnlyWhenItIsNear() {
        assertThat(GatewayConfig.nearest("http.prot", List.of("http.port", "http.bind"))).isEqualTo("http.port");
        assertThat(GatewayConfig.nearest("completely.different.thing", List.of("http.port"))).isNull();
    }

    @Test
    void theDefaultTokenIsWarnedAboutLoudlyOutsideTheDemo() {
        GatewayConfig defaults = GatewayConfig.load(null, Map.of());
        assertThat(Main.tokenWarning(defaults, false))
                .hasValueSatisfying(w -> assertThat(w).contains("dev-token-change-me", "TRADER_API_TOKEN"));
        assertThat(Main.tokenWarning(defaults, true)).hasValueSatisfying(w -> assertThat(w).contains("demo"));
        assertThat(Main.tokenWarning(GatewayConfig.load(null, Map.of("TRADER_API_TOKEN", "x")), false)).isEmpty();
    }

    @Test
    void aTraderVariableThatIsNoSettingIsWarnedAboutWithTheNearestOne() {
        GatewayConfig config = GatewayConfig.load(null, Map.of());
        Map<String, String> env = Map.of("TRADER_HTTP_PROT", "9000", "TRADER_HTTP_PORT", "8080", "TRADER_LOG_DIR", "/x", "PATH", "/bin");

        assertThat(Main.unknownVariables(env, config)).containsExactly(
                "environment variable TRADER_HTTP_PROT is not a gateway setting and is ignored; did you mean TRADER_HTTP_PORT?");
    }
}
