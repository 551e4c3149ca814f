package io.tradergateway.app;

import io.tradergateway.kafka.KafkaSettings;
import io.tradergateway.risk.RiskLimits;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The gateway's validated settings: the bundled {@code gateway.properties}, then an optional file given
 * with {@code --config}, then environment variables ({@code TRADER_HTTP_PORT} for {@code http.port}, ...).
 * Built once at start-up; a bad value throws a {@link ConfigException} naming the key.
 */
public record GatewayConfig(
        String httpBind,
        int httpPort,
        String apiToken,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        Path fixConfig,
        Path simVenueDir,
        BigDecimal portfolioEquity,
        Duration marketWindow,
        double venueStatsAlpha,
        Duration venueStatsHalfLife,
        Duration apiTimeout,
        Map<String, URI> consumerUrls,
        Duration consumerTimeout,
        Map<String, Integer> fixPortOverrides,
        RiskLimits risk,
        KafkaSettings kafka,
        Map<String, Setting> settings) {

    public static final List<String> CONSUMERS = List.of("alpha_detector", "decision_maker", "learning_systems");

    public GatewayConfig {
        consumerUrls = Map.copyOf(consumerUrls);
        fixPortOverrides = Map.copyOf(fixPortOverrides);
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** A setting's raw value and where it came from: {@code default}, {@code file <path>} or {@code env <VARIABLE>}. */
    public record Setting(String value, String source) {
    }

    /**
     * Loads the bundled defaults, then {@code overrideFile} (may be null), then the environment. A key in the file that the
     * gateway does not know is refused with the nearest known key as a suggestion (a typo would otherwise be silently ignored).
     */
    public static GatewayConfig load(Path overrideFile, Map<String, String> env) {
        Properties props = new Properties();
        try (InputStream in = GatewayConfig.class.getResourceAsStream("/gateway.properties")) {
            if (in == null) throw new ConfigException("gateway.properties is missing from the classpath");
            props.load(in);
        } catch (IOException e) {
            throw new ConfigException("cannot read bundled gateway.properties: " + e.getMessage());
        }
        Map<String, Setting> values = new TreeMap<>();
        for (String key : props.stringPropertyNames()) values.put(key, new Setting(props.getProperty(key).trim(), "default"));
        if (overrideFile != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(overrideFile)) {
                file.load(reader);
            } catch (IOException e) {
                throw new ConfigException("--config " + overrideFile + ": cannot read (" + e.getMessage() + ")");
            }
            for (String key : new TreeSet<>(file.stringPropertyNames())) {
                if (!values.containsKey(key)) {
                    String nearest = nearest(key, values.keySet());
                    throw new ConfigException("--config " + overrideFile + ": unknown setting " + quote(key)
                            + (nearest == null ? "" : "; did you mean " + nearest + "?"));
                }
                values.put(key, new Setting(file.getProperty(key).trim(), "file " + overrideFile));
            }
        }
        for (String key : List.copyOf(values.keySet())) {
            String envValue = env.get(envName(key));
            if (envValue != null) values.put(key, new Setting(envValue.trim(), "env " + envName(key)));
        }
        return fromMap(values);
    }

    /** The known key closest to {@code key} by edit distance, or null when none is near (more than a third of it differs). */
    static String nearest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = levenshtein(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Every setting in force as {@code key = value (source)} lines, in key order; tokens and passwords masked. */
    public List<String> describeSettings() {
        List<String> out = new ArrayList<>();
        settings.forEach((key, s) -> out.add(key + " = " + (secret(key) ? mask(s.value()) : quote(s.value())) + " (" + s.source() + ")"));
        return out;
    }

    static boolean secret(String key) {
        return key.contains("token") || key.contains("password");
    }

    private static String mask(String value) {
        return value.isEmpty() ? "''" : "****";
    }

    /** The token shipped in gateway.properties: anyone who read the README knows it. */
    public static final String DEFAULT_TOKEN = "dev-token-change-me";

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return "TRADER_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    static GatewayConfig fromMap(Map<String, Setting> settings) {
        Map<String, String> v = new LinkedHashMap<>();
        settings.forEach((key, s) -> v.put(key, s.value()));
        Settings r = new Settings(v);
        String httpBind = r.address("http.bind");
        int httpPort = r.integer("http.port", 0, 65535);
        String token = r.required("api.token");
        Path dataDir = Path.of(r.required("data.dir"));
        String dbUrl = r.optional("db.url");
        if (dbUrl.isEmpty()) {
            dbUrl = defaultDbUrl(dataDir);
        } else if (!dbUrl.startsWith("jdbc:")) {
            throw new ConfigException(r.describe("db.url") + " must be a JDBC URL starting with jdbc:, got " + quote(dbUrl));
        }
        r.bool("ha.standby");
        r.integer("ha.poll.ms", 10, 60_000);
        if (r.bool("ha.standby") && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(r.describe("ha.standby") + " needs a PostgreSQL db.url (TRADER_DB_URL): the gateways share "
                    + "its writer lock, got " + quote(dbUrl));
        }
        String journalMode = r.required("journal.mode");
        if (!List.of("auto", "file", "sql").contains(journalMode)) {
            throw new ConfigException(r.describe("journal.mode") + " must be auto, file or sql, got " + quote(journalMode));
        }
        r.bool("journal.fsync");
        r.optional("journal.dir");
        if (r.bool("ha.standby") && journalMode.equals("file")) {
            throw new ConfigException(r.describe("journal.mode") + " must be sql or auto with ha.standby=true: the standby takes over "
                    + "from the shared database, so the journal must be in it");
        }
        Map<String, URI> consumers = new LinkedHashMap<>();
        for (String consumer : CONSUMERS) {
            String key = "consumer." + consumer + ".url";
            String url = r.optional(key);
            if (!url.isEmpty()) consumers.put(consumer, r.httpUri(key, url));
        }
        return new GatewayConfig(
                httpBind,
                httpPort,
                token,
                dataDir,
                dbUrl,
                r.optional("db.user"),
                r.optional("db.password"),
                r.existingFile("fix.config"),
                Path.of(r.required("sim.venue.dir")),
                r.positiveDecimal("portfolio.equity"),
                Duration.ofSeconds(r.integer("market.window.seconds", 1, 86_400)),
                r.fraction("venue.stats.alpha"),
                Duration.ofSeconds(r.integer("venue.stats.half.life.seconds", 0, 30 * 86_400)),
                Duration.ofMillis(r.integer("api.timeout.ms", 1, 600_000)),
                consumers,
                Duration.ofMillis(r.integer("consumer.timeout.ms", 1, 600_000)),
                Map.of(),
                risk(r),
                kafka(r),
                settings);
    }

    /** The pre-trade risk limits (SPEC 7) from the {@code risk.*} keys; 0 turns a limit off. */
    private static RiskLimits risk(Settings r) {
        return new RiskLimits(r.nonNegativeDecimal("risk.max.order.notional"), r.nonNegativeDecimal("risk.max.order.quantity"),
                r.nonNegativeDecimal("risk.max.position.notional"), r.nonNegativeDecimal("risk.max.gross.notional"),
                r.nonNegativeDecimal("risk.price.collar"), r.integer("risk.max.orders.per.second", 0, 1_000_000),
                r.integer("risk.max.open.orders", 0, 10_000_000), r.integer("risk.max.rate.wait.ms", 0, 600_000));
    }

    /** The Kafka transport (SPEC 8) from the {@code kafka.*} keys; an empty {@code kafka.bootstrap.servers} turns it off. */
    private static KafkaSettings kafka(Settings r) {
        String servers = r.optional("kafka.bootstrap.servers");
        for (String server : servers.split(",")) {
            String s = server.trim();
            if (servers.isBlank()) break;
            int colon = s.lastIndexOf(':');
            boolean ok = colon > 0 && colon < s.length() - 1 && s.substring(colon + 1).chars().allMatch(Character::isDigit);
            if (!ok) throw new ConfigException(r.describe("kafka.bootstrap.servers") + " must be host:port[,host:port...], got " + quote(servers));
        }
        String plans = r.required("kafka.plans.topic");
        String reports = r.required("kafka.reports.topic");
        for (String key : List.of("kafka.plans.topic", "kafka.reports.topic")) {
            String topic = r.required(key);
            if (!topic.matches("[a-zA-Z0-9._-]{1,200}")) {
                throw new ConfigException(r.describe(key) + " must be a Kafka topic name (letters, digits, '.', '_', '-'), got " + quote(topic));
            }
        }
        // The publisher's outbox cursor is named kafka:<topic> in consumer_cursors.consumer (64 characters).
        if (reports.length() > 58) {
            throw new ConfigException(r.describe("kafka.reports.topic") + " must be at most 58 characters, got " + quote(reports));
        }
        if (plans.equals(reports)) {
            throw new ConfigException(r.describe("kafka.reports.topic") + " must differ from kafka.plans.topic, got " + quote(reports));
        }
        return new KafkaSettings(servers.trim(), plans, reports, r.required("kafka.group.id"));
    }

    public GatewayConfig withKafka(KafkaSettings kafkaSettings) {
        return with(d -> d.kafka = kafkaSettings);
    }

    public GatewayConfig withRisk(RiskLimits limits) {
        return with(d -> d.risk = limits);
    }

    /** {@code ha.standby}: wait as a hot standby while another gateway holds the database, take over when it is gone. */
    public boolean haStandby() {
        Setting s = settings.get("ha.standby");
        return s != null && Boolean.parseBoolean(s.value());
    }

    /**
     * The write-ahead journal file with the tables as its projection ({@code journal.mode} file, or auto without
     * ha.standby); otherwise one database transaction per engine batch.
     */
    public boolean fileJournal() {
        Setting s = settings.get("journal.mode");
        String mode = s == null ? "auto" : s.value();
        return mode.equals("file") || mode.equals("auto") && !haStandby();
    }

    /** {@code journal.fsync}: force each journal batch to the device. */
    public boolean journalFsync() {
        Setting s = settings.get("journal.fsync");
        return s == null || Boolean.parseBoolean(s.value());
    }

    /**
     * {@code journal.dir}: the file journal's folder; empty (the default) = {@code <data.dir>/journal}. Every plan waits
     * for two of its fsyncs in a row, so a fast device for the journal shortens its latency (BENCHMARKS.md).
     */
    public Path journalDir() {
        Setting s = settings.get("journal.dir");
        return s == null || s.value().isBlank() ? dataDir.resolve("journal") : Path.of(s.value());
    }

    /** The same settings with {@code journal.dir} set (tests). */
    public GatewayConfig withJournalDir(Path dir) {
        return withTestSettings(Map.of("journal.dir", dir.toString()));
    }

    /** The same settings with {@code journal.mode} and {@code journal.fsync} set (tests, benchmarks). */
    public GatewayConfig withJournal(boolean file, boolean fsync) {
        return withTestSettings(Map.of("journal.mode", file ? "file" : "sql", "journal.fsync", Boolean.toString(fsync)));
    }

    /** {@code ha.poll.ms}: how often a standby tries the writer lock, and the active checks that it still holds it. */
    public Duration haPoll() {
        Setting s = settings.get("ha.poll.ms");
        return Duration.ofMillis(s == null || s.value().isEmpty() ? 500 : Long.parseLong(s.value()));
    }

    /** The same settings with {@code ha.standby} and {@code ha.poll.ms} set (tests). */
    public GatewayConfig withHaStandby(boolean standby, Duration poll) {
        return withTestSettings(Map.of("ha.standby", Boolean.toString(standby), "ha.poll.ms", Long.toString(poll.toMillis())));
    }

    /** The same settings with {@code values} set, each from the source {@code test}. */
    private GatewayConfig withTestSettings(Map<String, String> values) {
        Map<String, Setting> changed = new LinkedHashMap<>(settings);
        values.forEach((key, value) -> changed.put(key, new Setting(value, "test")));
        return with(d -> d.settings = changed);
    }

    /** A copy with {@code change} applied: how every {@code with...} method is made (one place names every field). */
    private GatewayConfig with(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return new GatewayConfig(d.httpBind, d.httpPort, d.apiToken, d.dataDir, d.dbUrl, d.dbUser, d.dbPassword, d.fixConfig,
                d.simVenueDir, d.portfolioEquity, d.marketWindow, d.venueStatsAlpha, d.venueStatsHalfLife, d.apiTimeout, d.consumerUrls,
                d.consumerTimeout, d.fixPortOverrides, d.risk, d.kafka, d.settings);
    }

    /** The fields of a configuration being changed (see {@link #with}). */
    private static final class Draft {
        String httpBind;
        int httpPort;
        String apiToken;
        Path dataDir;
        String dbUrl;
        String dbUser;
        String dbPassword;
        Path fixConfig;
        Path simVenueDir;
        BigDecimal portfolioEquity;
        Duration marketWindow;
        double venueStatsAlpha;
        Duration venueStatsHalfLife;
        Duration apiTimeout;
        Map<String, URI> consumerUrls;
        Duration consumerTimeout;
        Map<String, Integer> fixPortOverrides;
        RiskLimits risk;
        KafkaSettings kafka;
        Map<String, Setting> settings;

        Draft(GatewayConfig c) {
            httpBind = c.httpBind;
            httpPort = c.httpPort;
            apiToken = c.apiToken;
            dataDir = c.dataDir;
            dbUrl = c.dbUrl;
            dbUser = c.dbUser;
            dbPassword = c.dbPassword;
            fixConfig = c.fixConfig;
            simVenueDir = c.simVenueDir;
            portfolioEquity = c.portfolioEquity;
            marketWindow = c.marketWindow;
            venueStatsAlpha = c.venueStatsAlpha;
            venueStatsHalfLife = c.venueStatsHalfLife;
            apiTimeout = c.apiTimeout;
            consumerUrls = c.consumerUrls;
            consumerTimeout = c.consumerTimeout;
            fixPortOverrides = c.fixPortOverrides;
            risk = c.risk;
            kafka = c.kafka;
            settings = c.settings;
        }
    }

    /** The bad value as it goes into a one-line error: quoted, line breaks made visible. */
    static String quote(String value) {
        return "'" + value.replace("\r", "\\r").replace("\n", "\\n") + "'";
    }

    public static String defaultDbUrl(Path dataDir) {
        // WRITE_DELAY=0: a commit is written to the file before it returns. H2's default (500 ms) loses the last
        // half second of committed rows on a kill -9, which would break "stored before anything leaves".
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database under the gateway's (SIGTERM, Ctrl-C),
        // before the engine's last commit; the gateway closes it itself, last.
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("gateway") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    public Path fixStoreDir() {
        return dataDir.resolve("fix").resolve("store");
    }

    public Path fixLogDir() {
        return dataDir.resolve("fix").resolve("log");
    }

    public Path reportsLog() {
        return dataDir.resolve("reports").resolve("exec-reports.jsonl");
    }

    public GatewayConfig withHttpPort(int port) {
        return with(d -> d.httpPort = port);
    }

    public GatewayConfig withDataDir(Path dir) {
        return with(d -> {
            d.dataDir = dir;
            d.dbUrl = defaultDbUrl(dir);
        });
    }

    /** A database server (db.url, db.user, db.password) instead of the embedded H2; the data folder keeps the rest. */
    public GatewayConfig withDb(String url, String user, String password) {
        return with(d -> {
            d.dbUrl = url;
            d.dbUser = user;
            d.dbPassword = password;
        });
    }

    public GatewayConfig withFixPorts(Map<String, Integer> ports) {
        return with(d -> d.fixPortOverrides = ports);
    }

    /** Another QuickFIX/J settings file (other venues, other versions and capabilities). */
    public GatewayConfig withFixConfig(Path file) {
        return with(d -> d.fixConfig = file);
    }

    public GatewayConfig withConsumerUrls(Map<String, URI> urls) {
        return with(d -> d.consumerUrls = urls);
    }

    public GatewayConfig withConsumerTimeout(Duration timeout) {
        return with(d -> d.consumerTimeout = timeout);
    }

    public GatewayConfig withMarketWindow(Duration window) {
        return with(d -> d.marketWindow = window);
    }

    public GatewayConfig withVenueStatsHalfLife(Duration halfLife) {
        return with(d -> d.venueStatsHalfLife = halfLife);
    }

    /** Typed access to the raw values; every failure names the key and the variable that overrides it. */
    private record Settings(Map<String, String> values) {
        String describe(String key) {
            return "setting " + key + " (" + envName(key) + ")";
        }

        String optional(String key) {
            return values.getOrDefault(key, "");
        }

        String required(String key) {
            String value = optional(key);
            if (value.isEmpty()) throw new ConfigException(describe(key) + " is required but empty");
            return value;
        }

        /** An address this machine can listen on: an IP literal or a name that resolves. */
        String address(String key) {
            String value = required(key);
            try {
                InetAddress.getByName(value);
                return value;
            } catch (UnknownHostException e) {
                throw new ConfigException(describe(key) + " must be an IP address or a host name of this machine, got " + quote(value));
            }
        }

        /** A path that must name a readable file when the gateway starts (a directory or a missing file is refused). */
        Path existingFile(String key) {
            String value = required(key);
            Path path;
            try {
                path = Path.of(value);
            } catch (InvalidPathException e) {
                throw new ConfigException(describe(key) + ": not a file path: " + quote(value));
            }
            if (!Files.exists(path)) throw new ConfigException(describe(key) + ": file " + path + " not found");
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new ConfigException(describe(key) + ": " + path + " is not a readable file");
            }
            return path;
        }

        int integer(String key, int min, int max) {
            String value = required(key);
            try {
                int n = Integer.parseInt(value);
                if (n < min || n > max) {
                    throw new ConfigException(describe(key) + " must be between " + min + " and " + max + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException(describe(key) + " must be an integer, got " + quote(value));
            }
        }

        boolean bool(String key) {
            String value = required(key);
            if (value.equalsIgnoreCase("true")) return true;
            if (value.equalsIgnoreCase("false")) return false;
            throw new ConfigException(describe(key) + " must be true or false, got " + quote(value));
        }

        BigDecimal positiveDecimal(String key) {
            String value = required(key);
            try {
                BigDecimal d = new BigDecimal(value);
                if (d.signum() <= 0) throw new ConfigException(describe(key) + " must be positive, got " + value);
                return d;
            } catch (NumberFormatException e) {
                throw new ConfigException(describe(key) + " must be a number, got " + quote(value));
            }
        }

        BigDecimal nonNegativeDecimal(String key) {
            String value = required(key);
            try {
                BigDecimal d = new BigDecimal(value);
                if (d.signum() < 0) throw new ConfigException(describe(key) + " must be 0 (off) or positive, got " + value);
                return d;
            } catch (NumberFormatException e) {
                throw new ConfigException(describe(key) + " must be a number, got " + quote(value));
            }
        }

        double fraction(String key) {
            String value = required(key);
            try {
                double d = Double.parseDouble(value);
                if (!(d > 0 && d <= 1)) throw new ConfigException(describe(key) + " must be in (0, 1], got " + value);
                return d;
            } catch (NumberFormatException e) {
                throw new ConfigException(describe(key) + " must be a number, got " + quote(value));
            }
        }

        URI httpUri(String key, String value) {
            try {
                URI uri = URI.create(value);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new ConfigException(describe(key) + " must be an http(s) URL, got " + quote(value));
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new ConfigException(describe(key) + " is not a URL: " + quote(value));
            }
        }
    }
}
