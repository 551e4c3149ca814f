package io.tradergateway.simvenue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import quickfix.ConfigError;
import quickfix.FieldConvertError;
import quickfix.SessionID;
import quickfix.SessionSettings;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Everything the simulated venue needs to start: the QuickFIX/J acceptor sessions ({@code acceptor.cfg}), the
 * venue profiles and symbols ({@code venues.json}), the seed, the tick interval and the data directory.
 * Immutable; the withers return changed copies (tests use them to pick free ports, a temp data dir, a seed,
 * no background ticks, or a more predictable profile).
 */
public final class SimVenueConfig {
    public static final String ACCEPTOR_CFG = "acceptor.cfg";
    public static final String VENUES_JSON = "venues.json";
    public static final LocalTime DEFAULT_DAY_END_UTC = LocalTime.of(21, 0);
    /** The counterparty of every sim session added by {@link #withVenue} (acceptor.cfg's TargetCompID). */
    public static final String GATEWAY = "GATEWAY";

    /** The FIX versions a sim session may speak (SPEC 4.1), with the dictionary of its application messages. */
    enum FixVersion {
        FIX42("FIX.4.2", "FIX42.xml"), FIX44("FIX.4.4", "FIX44.xml"), FIXT11_FIX50SP2("FIXT.1.1", "FIX50SP2.xml");

        final String beginString;
        final String dictionary;

        FixVersion(String beginString, String dictionary) {
            this.beginString = beginString;
            this.dictionary = dictionary;
        }

        static FixVersion of(String beginString, String defaultApplVerId) {
            for (FixVersion v : values()) {
                if (v.beginString.equals(beginString)) {
                    if (v == FIXT11_FIX50SP2 && defaultApplVerId != null
                            && !defaultApplVerId.equals("FIX.5.0SP2") && !defaultApplVerId.equals("9")) {
                        throw new IllegalArgumentException("DefaultApplVerID " + defaultApplVerId
                                + " is not supported (FIXT.1.1 sessions speak FIX.5.0SP2)");
                    }
                    return v;
                }
            }
            throw new IllegalArgumentException("BeginString " + beginString
                    + " is not supported (FIX.4.2, FIX.4.4 or FIXT.1.1 with DefaultApplVerID=FIX.5.0SP2)");
        }
    }

    private final String acceptorSettingsText;
    /** The directory holding FIX42.xml, FIX44.xml, FIXT11.xml and FIX50SP2.xml (null: QuickFIX/J's own). */
    private final Path dictionaryDir;
    private final Map<String, Integer> ports;
    /** Per venue, the session's FIX version. */
    private final Map<String, FixVersion> versions;
    private final Map<String, VenueProfile> profiles;
    private final Map<String, SymbolSpec> symbols;
    private final long seed;
    private final Duration tickInterval;
    private final double timeScale;
    private final double tradeProbabilityPerTick;
    private final int maxTradeLots;
    private final Path dataDir;
    private final LocalTime dayEndUtc;

    private SimVenueConfig(String acceptorSettingsText, Path dictionaryDir, Map<String, Integer> ports,
                           Map<String, FixVersion> versions, Map<String, VenueProfile> profiles, Map<String, SymbolSpec> symbols, long seed,
                           Duration tickInterval, double timeScale, double tradeProbabilityPerTick,
                           int maxTradeLots, Path dataDir, LocalTime dayEndUtc) {
        this.acceptorSettingsText = acceptorSettingsText;
        this.dictionaryDir = dictionaryDir;
        this.ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
        this.versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        this.profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
        this.symbols = Collections.unmodifiableMap(new LinkedHashMap<>(symbols));
        this.seed = seed;
        this.tickInterval = tickInterval;
        this.timeScale = timeScale;
        this.tradeProbabilityPerTick = tradeProbabilityPerTick;
        this.maxTradeLots = maxTradeLots;
        this.dataDir = dataDir;
        this.dayEndUtc = Objects.requireNonNull(dayEndUtc, "dayEndUtc");
    }

    /**
     * Reads {@code acceptor.cfg} and {@code venues.json} from the directory. A relative DataDictionary path in
     * acceptor.cfg is resolved against the working directory, else against the directory's parent (the repo root).
     *
     * @throws IllegalArgumentException with one line naming the file and the bad setting
     */
    public static SimVenueConfig load(Path simVenueDir) {
        Path cfgFile = simVenueDir.resolve(ACCEPTOR_CFG);
        Path jsonFile = simVenueDir.resolve(VENUES_JSON);
        String cfgText = read(cfgFile);
        VenuesFile file = parseVenues(jsonFile, read(jsonFile));

        SessionSettings settings = parseSettings(cfgFile.toString(), cfgText);
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, FixVersion> versions = new LinkedHashMap<>();
        Path dictionary = null;
        for (Iterator<SessionID> it = settings.sectionIterator(); it.hasNext(); ) {
            SessionID id = it.next();
            String venue = id.getSenderCompID();
            try {
                versions.put(venue, FixVersion.of(id.getBeginString(),
                        settings.isSetting(id, "DefaultApplVerID") ? settings.getString(id, "DefaultApplVerID") : null));
            } catch (IllegalArgumentException | ConfigError e) {
                throw new IllegalArgumentException(cfgFile + ": session " + id + ": " + e.getMessage(), e);
            }
            try {
                ports.put(venue, settings.getInt(id, "SocketAcceptPort"));
                if (dictionary == null && settings.isSetting(id, "DataDictionary")) {
                    dictionary = resolveDictionary(simVenueDir, settings.getString(id, "DataDictionary"), cfgFile);
                }
            } catch (ConfigError | FieldConvertError e) {
                throw new IllegalArgumentException(cfgFile + ": session " + id + ": SocketAcceptPort: " + e.getMessage(), e);
            }
        }
        if (ports.isEmpty()) throw new IllegalArgumentException(cfgFile + ": no [session] defined");

        Map<String, SymbolSpec> symbols = new LinkedHashMap<>();
        List<SymbolJson> symbolList = required(file.symbols(), jsonFile, "symbols");
        for (int i = 0; i < symbolList.size(); i++) {
            SymbolJson s = symbolList.get(i);
            String where = "symbols[" + i + "]";
            try {
                SymbolSpec spec = new SymbolSpec(required(s.symbol(), jsonFile, where + ".symbol"),
                        required(s.initialPrice(), jsonFile, where + ".initialPrice"),
                        orDefault(s.drift(), 0.0), required(s.volatility(), jsonFile, where + ".volatility"),
                        required(s.lotSize(), jsonFile, where + ".lotSize"),
                        required(s.tickSize(), jsonFile, where + ".tickSize"));
                if (symbols.put(spec.symbol(), spec) != null) {
                    throw new IllegalArgumentException("duplicate symbol " + spec.symbol());
                }
            } catch (IllegalArgumentException e) {
                throw rethrow(jsonFile, where, e);
            }
        }

        Map<String, VenueProfile> profiles = new LinkedHashMap<>();
        List<VenueJson> venueList = required(file.venues(), jsonFile, "venues");
        for (int i = 0; i < venueList.size(); i++) {
            VenueJson v = venueList.get(i);
            String where = "venues[" + i + "]";
            try {
                String name = required(v.name(), jsonFile, where + ".name");
                List<String> listed = required(v.symbols(), jsonFile, where + ".symbols");
                for (String s : listed) {
                    if (!symbols.containsKey(s)) throw new IllegalArgumentException("symbols: " + s + " is not defined in \"symbols\"");
                }
                VenueProfile profile = new VenueProfile(name, listed,
                        required(v.spreadBps(), jsonFile, where + ".spreadBps"),
                        required(v.depthLevels(), jsonFile, where + ".depthLevels"),
                        required(v.levelSize(), jsonFile, where + ".levelSize"),
                        orDefault(v.levelSizeGrowth(), BigDecimal.ZERO),
                        orDefault(v.levelSpacingTicks(), 1),
                        orDefault(v.sizeJitter(), 0.0),
                        Duration.ofMillis(required(v.ackLatencyMs(), jsonFile, where + ".ackLatencyMs")),
                        Duration.ofMillis(orDefault(v.ackJitterMs(), 0L)),
                        required(v.feeBps(), jsonFile, where + ".feeBps"),
                        orDefault(v.rejectRate(), 0.0),
                        orDefault(v.partialFillProbability(), 0.0),
                        orDefault(v.partialFillSlices(), 1),
                        Duration.ofMillis(orDefault(v.partialFillIntervalMs(), 0L)),
                        support(v), v.execIdStart());
                if (!ports.containsKey(name)) {
                    throw new IllegalArgumentException("venue " + name + " has no [session] with SenderCompID=" + name
                            + " in " + cfgFile);
                }
                if (profiles.put(name, profile) != null) throw new IllegalArgumentException("duplicate venue " + name);
            } catch (IllegalArgumentException e) {
                throw rethrow(jsonFile, where, e);
            }
        }
        for (String venue : ports.keySet()) {
            if (!profiles.containsKey(venue)) {
                throw new IllegalArgumentException(cfgFile + ": session SenderCompID=" + venue + " has no profile in " + jsonFile);
            }
        }
        BackgroundTradesJson trades = file.backgroundTrades() == null
                ? new BackgroundTradesJson(0.0, 1) : file.backgroundTrades();
        double probability = orDefault(trades.probabilityPerTick(), 0.0);
        int maxLots = orDefault(trades.maxLots(), 1);
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException(jsonFile + ": backgroundTrades.probabilityPerTick must be in [0, 1]: " + probability);
        }
        if (maxLots < 1) throw new IllegalArgumentException(jsonFile + ": backgroundTrades.maxLots must be >= 1: " + maxLots);
        long tickMs = orDefault(file.tickIntervalMs(), 250L);
        if (tickMs < 0) throw new IllegalArgumentException(jsonFile + ": tickIntervalMs must be >= 0: " + tickMs);
        double timeScale = orDefault(file.timeScale(), 1.0);
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException(jsonFile + ": timeScale must be > 0: " + timeScale);
        }
        if (dictionary == null) {
            Path fallback = Path.of("dictionaries", FixVersion.FIX44.dictionary);
            if (Files.exists(fallback)) dictionary = fallback.toAbsolutePath();
        }
        return new SimVenueConfig(cfgText, dictionary == null ? null : dictionary.getParent(), ports, versions, profiles,
                symbols, orDefault(file.seed(), 42L),
                Duration.ofMillis(tickMs), timeScale, probability, maxLots, Path.of("data", "sim-venue"),
                parseDayEnd(jsonFile, file.dayEndUtc()));
    }

    /** The venue's Support from its optional "orderTypes", "timeInForces" and "refusedMessageTypes" (default: all). */
    private static VenueProfile.Support support(VenueJson v) {
        VenueProfile.Support full = VenueProfile.Support.FULL;
        return new VenueProfile.Support(
                v.orderTypes() == null ? full.orderTypes() : VenueProfile.Support.orderTypeCodes(v.orderTypes()),
                v.timeInForces() == null ? full.timeInForces() : VenueProfile.Support.timeInForceCodes(v.timeInForces()),
                v.refusedMessageTypes() == null ? full.refusedMessageTypes() : Set.copyOf(v.refusedMessageTypes()));
    }

    /** The sim's default data directory: {@code $TRADER_DATA_DIR/sim-venue}, {@code data/sim-venue} without it. */
    public static Path defaultDataDir(Map<String, String> environment) {
        String base = environment.get("TRADER_DATA_DIR");
        return Path.of(base == null || base.isBlank() ? "data" : base).resolve("sim-venue");
    }

    public SimVenueConfig withPort(String venue, int port) {
        requireVenue(venue);
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        Map<String, Integer> copy = new LinkedHashMap<>(ports);
        copy.put(venue, port);
        return new SimVenueConfig(acceptorSettingsText, dictionaryDir, copy, versions, profiles, symbols, seed, tickInterval,
                timeScale, tradeProbabilityPerTick, maxTradeLots, dataDir, dayEndUtc);
    }

    public SimVenueConfig withSeed(long newSeed) {
        return new SimVenueConfig(acceptorSettingsText, dictionaryDir, ports, versions, profiles, symbols, newSeed, tickInterval,
                timeScale, tradeProbabilityPerTick, maxTradeLots, dataDir, dayEndUtc);
    }

    /** {@link Duration#ZERO}: no background price moves or trades; prices move only by setMid / printTrade / advanceTicks. */
    public SimVenueConfig withTickInterval(Duration d) {
        if (d == null || d.isNegative()) throw new IllegalArgumentException("tick interval must be >= 0: " + d);
        return new SimVenueConfig(acceptorSettingsText, dictionaryDir, ports, versions, profiles, symbols, seed, d,
                timeScale, tradeProbabilityPerTick, maxTradeLots, dataDir, dayEndUtc);
    }

    /** Simulated market seconds per tick-second: larger values make the GBM move more per tick. */
    public SimVenueConfig withTimeScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("timeScale must be > 0: " + scale);
        return new SimVenueConfig(acceptorSettingsText, dictionaryDir, ports, versions, profiles, symbols, seed, tickInterval,
                scale, tradeProbabilityPerTick, maxTradeLots, dataDir, dayEndUtc);
    }

    /** Background trades: per tick and symbol, a trade of 1..maxLots lots happens with this probability. */
    public SimVenueConfig withBackgroundTrades(double probabilityPerTick, int maxLots) {
        if (probabilityPerTick < 0 || probabilityPerTick > 1 || maxLots < 1) {
            throw new IllegalArgumentException("background trades: probability in [0,1] and maxLots >= 1 required: "
                    + probabilityPerTick + ", " + maxLots);
        }
        return new SimVenueConfig(acceptorSettingsText, dictionaryDir, ports, versions, profiles, symbols, seed, tickInterval,
                timeScale, probabilityPerTick, maxLots, dataDir, dayEndUtc);
    }

    /** Where the FIX file store (sequence numbers survive restarts) and the FIX message logs go. */
    public SimVenueConfig withDataDir(Path dir) {
        Objects.requireNonNull(dir, "dataDir");
        return new SimVenueConfig(acceptorSettingsText, dictionaryDir, ports, versions, profiles, symbols, seed, tickInterval,
                timeScale, tradeProbabilityPerTick, maxTradeLots, dir, dayEndUtc);
    }

    /** The time of day (UTC) at which the venue's trading day ends and its working DAY orders expire. */
    public SimVenueConfig withDayEndUtc(LocalTime dayEnd) {
        return new SimVenueConfig(acceptorSettingsText, dictionaryDir, ports, versions, profiles, symbols, seed, tickInterval,
                timeScale, tradeProbabilityPerTick, maxTradeLots, dataDir, dayEnd);
    }

    public SimVenueConfig withProfile(String venue, UnaryOperator<VenueProfile> change) {
        requireVenue(venue);
        VenueProfile changed = Objects.requireNonNull(change.apply(profiles.get(venue)), "changed profile");
        if (!changed.name().equals(venue)) throw new IllegalArgumentException("a profile cannot be renamed: " + changed.name());
        for (String s : changed.symbols()) {
            if (!symbols.containsKey(s)) throw new IllegalArgumentException("venue " + venue + ": unknown symbol " + s);
        }
        Map<String, VenueProfile> copy = new LinkedHashMap<>(profiles);
        copy.put(venue, changed);
        return new SimVenueConfig(acceptorSettingsText, dictionaryDir, ports, versions, copy, symbols, seed, tickInterval,
                timeScale, tradeProbabilityPerTick, maxTradeLots, dataDir, dayEndUtc);
    }

    /** Applies the same change to every venue's profile (e.g. {@code VenueProfile::predictable}). */
    public SimVenueConfig withEveryProfile(UnaryOperator<VenueProfile> change) {
        SimVenueConfig result = this;
        for (String venue : venues()) result = result.withProfile(venue, change);
        return result;
    }

    /**
     * Adds (or replaces) a venue with its own acceptor session {@code name -> GATEWAY} speaking {@code beginString}
     * ({@code FIX.4.2}, {@code FIX.4.4} or {@code FIXT.1.1}, the latter with FIX.5.0SP2) on {@code port}. Its symbols
     * must be defined in venues.json "symbols". E.g.
     * {@code config.withVenue(config.profile("SIM_FAST").renamed("SIM_LIMITED").limited(), "FIX.4.4", port)}.
     */
    public SimVenueConfig withVenue(VenueProfile profile, String beginString, int port) {
        Objects.requireNonNull(profile, "profile");
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        for (String s : profile.symbols()) {
            if (!symbols.containsKey(s)) throw new IllegalArgumentException("venue " + profile.name() + ": unknown symbol " + s);
        }
        Map<String, Integer> newPorts = new LinkedHashMap<>(ports);
        Map<String, FixVersion> newVersions = new LinkedHashMap<>(versions);
        Map<String, VenueProfile> newProfiles = new LinkedHashMap<>(profiles);
        newPorts.put(profile.name(), port);
        newVersions.put(profile.name(), FixVersion.of(beginString, null));
        newProfiles.put(profile.name(), profile);
        return new SimVenueConfig(acceptorSettingsText, dictionaryDir, newPorts, newVersions, newProfiles, symbols, seed,
                tickInterval, timeScale, tradeProbabilityPerTick, maxTradeLots, dataDir, dayEndUtc);
    }

    /** Every venue of {@code other} (e.g. the optional ones of {@code sim-venue/extras}) added to this config. */
    public SimVenueConfig withVenuesOf(SimVenueConfig other) {
        SimVenueConfig result = this;
        for (String venue : other.venues()) {
            result = result.withVenue(other.profile(venue), other.beginString(venue), other.port(venue));
        }
        return result;
    }

    /** The venue's session speaks this FIX version: {@code FIX.4.2}, {@code FIX.4.4} or {@code FIXT.1.1} (FIX.5.0SP2). */
    public SimVenueConfig withBeginString(String venue, String beginString) {
        requireVenue(venue);
        return withVenue(profiles.get(venue), beginString, ports.get(venue));
    }

    /** Only these venues (in this config's order); the others are not started. */
    public SimVenueConfig withOnlyVenues(String... venues) {
        Set<String> keep = new LinkedHashSet<>(List.of(venues));
        for (String venue : keep) requireVenue(venue);
        Map<String, Integer> newPorts = new LinkedHashMap<>(ports);
        Map<String, FixVersion> newVersions = new LinkedHashMap<>(versions);
        Map<String, VenueProfile> newProfiles = new LinkedHashMap<>(profiles);
        newPorts.keySet().retainAll(keep);
        newVersions.keySet().retainAll(keep);
        newProfiles.keySet().retainAll(keep);
        if (newProfiles.isEmpty()) throw new IllegalArgumentException("at least one venue is needed");
        return new SimVenueConfig(acceptorSettingsText, dictionaryDir, newPorts, newVersions, newProfiles, symbols, seed,
                tickInterval, timeScale, tradeProbabilityPerTick, maxTradeLots, dataDir, dayEndUtc);
    }

    /** Every venue on a free local port (picked now; tests on a busy machine retry on "Error while binding"). */
    public SimVenueConfig withFreePorts() {
        SimVenueConfig result = this;
        for (String venue : venues()) result = result.withPort(venue, freePort());
        return result;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port: " + e, e);
        }
    }

    public Set<String> venues() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(profiles.keySet()));
    }

    public VenueProfile profile(String venue) {
        requireVenue(venue);
        return profiles.get(venue);
    }

    public int port(String venue) {
        requireVenue(venue);
        return ports.get(venue);
    }

    public Map<String, SymbolSpec> symbols() {
        return symbols;
    }

    public long seed() {
        return seed;
    }

    public Duration tickInterval() {
        return tickInterval;
    }

    public double timeScale() {
        return timeScale;
    }

    public double tradeProbabilityPerTick() {
        return tradeProbabilityPerTick;
    }

    public int maxTradeLots() {
        return maxTradeLots;
    }

    public Path dataDir() {
        return dataDir;
    }

    public LocalTime dayEndUtc() {
        return dayEndUtc;
    }

    /**
     * The QuickFIX/J settings: acceptor.cfg's defaults and sessions (one per venue, in profile order; a venue added by
     * {@link #withVenue} gets a section of its own), each with this config's BeginString, port, data directory and
     * the dictionaries of its FIX version.
     */
    SessionSettings sessionSettings() {
        SessionSettings parsed = parseSettings(ACCEPTOR_CFG, acceptorSettingsText);
        Map<String, SessionID> parsedIds = new LinkedHashMap<>();
        parsed.sectionIterator().forEachRemaining(id -> parsedIds.put(id.getSenderCompID(), id));
        SessionSettings settings = new SessionSettings();
        try {
            settings.set(parsed.get());
            for (String venue : profiles.keySet()) {
                SessionID old = parsedIds.get(venue);
                String target = old == null ? GATEWAY : old.getTargetCompID();
                FixVersion version = versions.get(venue);
                SessionID id = new SessionID(version.beginString, venue, target);
                settings.set(id, old == null ? new quickfix.Dictionary() : new quickfix.Dictionary(null, parsed.get(old).toMap()));
                settings.setString(id, "BeginString", version.beginString);
                settings.setString(id, "SenderCompID", venue);
                settings.setString(id, "TargetCompID", target);
                settings.setLong(id, "SocketAcceptPort", ports.get(venue));
                settings.setString(id, "FileStorePath", dataDir.resolve("store").toString());
                settings.setString(id, "FileLogPath", dataDir.resolve("log").toString());
                if (version == FixVersion.FIXT11_FIX50SP2) {
                    settings.setString(id, "DefaultApplVerID", "FIX.5.0SP2");
                    if (dictionaryDir != null) {
                        settings.setString(id, "TransportDataDictionary", dictionaryDir.resolve("FIXT11.xml").toString());
                        settings.setString(id, "AppDataDictionary", dictionaryDir.resolve(version.dictionary).toString());
                    }
                } else if (dictionaryDir != null) {
                    settings.setString(id, "DataDictionary", dictionaryDir.resolve(version.dictionary).toString());
                }
            }
        } catch (ConfigError e) {
            throw new IllegalStateException("sim-venue: building the acceptor settings: " + e.getMessage(), e);
        }
        return settings;
    }

    /** The venue session's BeginString: {@code FIX.4.2}, {@code FIX.4.4} or {@code FIXT.1.1} (with FIX.5.0SP2). */
    public String beginString(String venue) {
        requireVenue(venue);
        return versions.get(venue).beginString;
    }

    /** The directory of the FIX dictionaries the sessions use, or null when QuickFIX/J's built-in ones are used. */
    public Path dictionaryDir() {
        return dictionaryDir;
    }

    private void requireVenue(String venue) {
        if (!profiles.containsKey(venue)) throw new IllegalArgumentException("unknown venue: " + venue + " (known: " + profiles.keySet() + ")");
    }

    private static Path resolveDictionary(Path simVenueDir, String configured, Path cfgFile) {
        Path path = Path.of(configured);
        if (path.isAbsolute() || Files.exists(path)) return path.toAbsolutePath();
        Path parent = simVenueDir.toAbsolutePath().getParent();
        if (parent != null && Files.exists(parent.resolve(configured))) return parent.resolve(configured);
        throw new IllegalArgumentException(cfgFile + ": DataDictionary not found: " + configured);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("sim-venue settings file " + file.toAbsolutePath() + " not found", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sim-venue settings " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    private static SessionSettings parseSettings(String name, String text) {
        try {
            return new SessionSettings(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (ConfigError e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static VenuesFile parseVenues(Path file, String text) {
        ObjectMapper mapper = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try {
            return mapper.readValue(text, VenuesFile.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": " + e.getOriginalMessage()
                    + " at line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()), e);
        }
    }

    /** {@code dayEndUtc}: "HH:mm" or "HH:mm:ss" in UTC; 21:00 (the US close) when absent. */
    private static LocalTime parseDayEnd(Path file, String value) {
        if (value == null) return DEFAULT_DAY_END_UTC;
        try {
            return LocalTime.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(file + ": dayEndUtc must be a time of day HH:mm[:ss] (UTC), got '" + value + "'", e);
        }
    }

    private static <T> T required(T value, Path file, String key) {
        if (value == null) throw new IllegalArgumentException(file + ": " + key + " is missing");
        return value;
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static IllegalArgumentException rethrow(Path file, String where, IllegalArgumentException e) {
        String message = e.getMessage();
        if (message != null && message.startsWith(file.toString())) return e;
        return new IllegalArgumentException(file + ": " + where + ": " + message, e);
    }

    record VenuesFile(Long seed, Long tickIntervalMs, Double timeScale, String dayEndUtc, BackgroundTradesJson backgroundTrades,
                      List<SymbolJson> symbols, List<VenueJson> venues, String comment) { }

    record BackgroundTradesJson(Double probabilityPerTick, Integer maxLots) { }

    record SymbolJson(String symbol, BigDecimal initialPrice, Double drift, Double volatility, BigDecimal lotSize,
                      BigDecimal tickSize) { }

    record VenueJson(String name, String description, List<String> symbols, BigDecimal spreadBps, Integer depthLevels,
                     BigDecimal levelSize, BigDecimal levelSizeGrowth, Integer levelSpacingTicks, Double sizeJitter,
                     Long ackLatencyMs, Long ackJitterMs, BigDecimal feeBps, Double rejectRate,
                     Double partialFillProbability, Integer partialFillSlices, Long partialFillIntervalMs,
                     List<String> orderTypes, List<String> timeInForces, List<String> refusedMessageTypes,
                     Long execIdStart) { }

    @Override
    public String toString() {
        return "SimVenueConfig{venues=" + ports + ", seed=" + seed + ", tickInterval=" + tickInterval + ", dayEndUtc=" + dayEndUtc
                + ", dataDir=" + dataDir + "}";
    }
}
