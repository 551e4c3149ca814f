package io.tradergateway.fix;

import io.tradergateway.domain.Instrument;
import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.TimeInForce;
import io.tradergateway.execution.VenueCapabilities;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway keys of one venue's {@code [session]} block (SPEC 4.2), parsed and checked. Pure: the settings and the
 * environment come in as lookups. A bad value throws an {@link IllegalArgumentException} whose message is one line
 * naming the session, the key and the value (never a password).
 *
 * @param capabilities  what the venue takes, for the engine
 * @param orderFields   the {@code OrderFields} tags in tag order (also in {@code capabilities})
 * @param logonPassword Password (553) for the Logon, resolved from the environment; null when none. Never logged.
 */
public record VenueSettings(VenueCapabilities capabilities, SortedMap<Integer, String> orderFields, String logonPassword) {
    public static final String INSTRUMENTS = "Instruments";
    public static final String SECURITY_LIST_REQUEST = "SecurityListRequest";
    public static final String MARKET_DATA_REQUEST = "MarketDataRequest";
    public static final String ROUTE_ORDERS = "RouteOrders";
    public static final String ORDER_TYPES = "OrderTypes";
    public static final String TIME_IN_FORCE = "TimeInForce";
    public static final String CANCEL_REQUEST = "CancelRequest";
    public static final String ORDER_STATUS_REQUEST = "OrderStatusRequest";
    public static final String ORDER_FIELDS = "OrderFields";
    public static final String LOGON_USERNAME = "LogonUsername";
    public static final String LOGON_PASSWORD = "LogonPassword";
    public static final List<String> KEYS = List.of(INSTRUMENTS, SECURITY_LIST_REQUEST, MARKET_DATA_REQUEST, ROUTE_ORDERS,
            ORDER_TYPES, TIME_IN_FORCE, CANCEL_REQUEST, ORDER_STATUS_REQUEST, ORDER_FIELDS, LOGON_USERNAME, LOGON_PASSWORD);

    static final BigDecimal DEFAULT_LOT = BigDecimal.ONE;
    static final BigDecimal DEFAULT_TICK = new BigDecimal("0.01");

    /**
     * Tags the gateway sets itself on orders (header, identity and terms of the order): an {@code OrderFields} entry
     * may not replace them. HandlInst (21) is not among them: brokers often want their own value.
     */
    static final Set<Integer> RESERVED_TAGS = Set.of(8, 9, 10, 34, 35, 43, 49, 52, 56, 97, 122, // header and trailer
            11, 37, 38, 40, 41, 44, 54, 55, 59, 60, 126); // ClOrdID, OrderID, qty, type, OrigClOrdID, price, side, ...

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern SYMBOL = Pattern.compile("[^\\s:,;=]+");

    public VenueSettings {
        orderFields = Collections.unmodifiableSortedMap(new TreeMap<>(orderFields));
    }

    /**
     * Reads the keys of one session.
     *
     * @param session label of the session in error messages, e.g. its SessionID {@code FIX.4.2:GATEWAY->BROKER}
     * @param venue   the venue name (TargetCompID)
     * @param version the session's FIX version
     * @param setting the raw value of a key in this session (with [default] inherited), null when not set
     * @param env     environment lookup for {@code ${NAME}} values, null when the variable is not set
     */
    public static VenueSettings parse(String session, String venue, FixVersion version, Function<String, String> setting,
                                      Function<String, String> env) {
        Reader r = new Reader(session, setting);
        List<Instrument> instruments = r.value(INSTRUMENTS) == null ? List.of() : r.instruments();
        boolean securityList = r.flag(SECURITY_LIST_REQUEST, version.hasSecurityList());
        if (securityList && !version.hasSecurityList()) {
            throw r.bad(SECURITY_LIST_REQUEST, "FIX.4.2 has no SecurityListRequest (35=x); list the instruments with "
                    + INSTRUMENTS + " and set " + SECURITY_LIST_REQUEST + "=N");
        }
        boolean marketData = r.flag(MARKET_DATA_REQUEST, true);
        boolean route = r.flag(ROUTE_ORDERS, true);
        Set<OrderType> orderTypes = r.names(ORDER_TYPES, OrderType.class);
        Set<TimeInForce> tifs = r.names(TIME_IN_FORCE, TimeInForce.class);
        boolean cancel = r.flag(CANCEL_REQUEST, true);
        boolean status = r.flag(ORDER_STATUS_REQUEST, true);
        SortedMap<Integer, String> fields = r.orderFields();
        String username = r.secret(LOGON_USERNAME, env, true);
        String password = r.secret(LOGON_PASSWORD, env, false);
        VenueCapabilities caps = new VenueCapabilities(venue, version.capabilitiesName(), instruments, securityList, marketData,
                route, orderTypes, tifs, cancel, status, fields, username);
        return new VenueSettings(caps, fields, password);
    }

    /** What the settings say, in words, for the start-up log (no password). */
    public String describe() {
        VenueCapabilities c = capabilities;
        return c.fixVersion() + ", instruments " + c.instruments().stream().map(Instrument::symbol).toList()
                + ", SecurityListRequest=" + yn(c.securityListRequest()) + ", MarketDataRequest=" + yn(c.marketDataRequest())
                + ", RouteOrders=" + yn(c.routeOrders()) + ", OrderTypes=" + EnumSet.copyOf(c.orderTypes())
                + ", TimeInForce=" + EnumSet.copyOf(c.timeInForce()) + ", CancelRequest=" + yn(c.cancelRequest())
                + ", OrderStatusRequest=" + yn(c.orderStatusRequest()) + ", OrderFields=" + orderFields
                + (c.logonUsername() == null ? "" : ", LogonUsername=" + c.logonUsername())
                + (logonPassword == null ? "" : ", LogonPassword=****");
    }

    private static String yn(boolean b) {
        return b ? "Y" : "N";
    }

    @Override
    public String toString() {
        return "VenueSettings[" + capabilities.venue() + ": " + describe() + "]";
    }

    /** Reads and checks one key at a time; every complaint names the session, the key and the value. */
    private static final class Reader {
        private final String session;
        private final Function<String, String> setting;

        Reader(String session, Function<String, String> setting) {
            this.session = session;
            this.setting = setting;
        }

        String value(String key) {
            String v = setting.apply(key);
            return v == null ? null : v.trim();
        }

        IllegalArgumentException bad(String key, String why) {
            return new IllegalArgumentException("FIX session " + session + ": " + key + "=" + value(key) + ": " + why);
        }

        boolean flag(String key, boolean byDefault) {
            String v = value(key);
            if (v == null) return byDefault;
            return switch (v.toUpperCase(Locale.ROOT)) {
                case "Y" -> true;
                case "N" -> false;
                default -> throw bad(key, "must be Y or N");
            };
        }

        <E extends Enum<E>> Set<E> names(String key, Class<E> type) {
            String v = value(key);
            if (v == null) return EnumSet.allOf(type);
            Set<E> out = EnumSet.noneOf(type);
            for (String part : v.split(",", -1)) {
                String name = part.trim().toUpperCase(Locale.ROOT);
                if (name.isEmpty()) {
                    throw bad(key, v.isEmpty() ? "names none: leave the key out for all of " + allOf(type) : "empty entry");
                }
                E value;
                try {
                    value = Enum.valueOf(type, name);
                } catch (IllegalArgumentException e) {
                    throw bad(key, "unknown value " + part.trim() + " (known: " + allOf(type) + ")");
                }
                if (!out.add(value)) throw bad(key, name + " is named twice");
            }
            return out;
        }

        private static <E extends Enum<E>> String allOf(Class<E> type) {
            return String.join(",", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
        }

        List<Instrument> instruments() {
            String v = value(INSTRUMENTS);
            if (v.isEmpty()) throw bad(INSTRUMENTS, "names no instrument: leave the key out, or list SYMBOL[:lot[:tick]],...");
            List<Instrument> out = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (String entry : v.split(",", -1)) {
                String e = entry.trim();
                String[] parts = e.split(":", -1);
                if (e.isEmpty() || parts.length > 3 || !SYMBOL.matcher(parts[0]).matches()) {
                    throw bad(INSTRUMENTS, "malformed entry '" + e + "' (SYMBOL[:lot[:tick]])");
                }
                BigDecimal lot = parts.length > 1 ? positive(INSTRUMENTS, e, "lot", parts[1]) : DEFAULT_LOT;
                BigDecimal tick = parts.length > 2 ? positive(INSTRUMENTS, e, "tick", parts[2]) : DEFAULT_TICK;
                if (!seen.add(parts[0])) throw bad(INSTRUMENTS, parts[0] + " is listed twice");
                out.add(new Instrument(parts[0], lot.stripTrailingZeros(), tick.stripTrailingZeros()));
            }
            return out;
        }

        private BigDecimal positive(String key, String entry, String what, String text) {
            try {
                BigDecimal d = new BigDecimal(text.trim());
                if (d.signum() > 0) return d;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw bad(key, "malformed entry '" + entry + "': " + what + " '" + text + "' is not a positive number");
        }

        SortedMap<Integer, String> orderFields() {
            String v = value(ORDER_FIELDS);
            SortedMap<Integer, String> out = new TreeMap<>();
            if (v == null) return out;
            for (String entry : v.split(";", -1)) {
                String e = entry.trim();
                if (e.isEmpty()) continue; // "1=A;" and "1=A; 100=B" are fine
                int eq = e.indexOf('=');
                String tagText = eq < 0 ? e : e.substring(0, eq).trim();
                String value = eq < 0 ? "" : e.substring(eq + 1).trim();
                int tag;
                try {
                    tag = Integer.parseInt(tagText);
                } catch (NumberFormatException ex) {
                    throw bad(ORDER_FIELDS, "'" + e + "': tag '" + tagText + "' is not a number (tag=value;tag=value)");
                }
                if (tag <= 0) throw bad(ORDER_FIELDS, "'" + e + "': tag " + tag + " is not a positive number");
                if (eq < 0 || value.isEmpty()) throw bad(ORDER_FIELDS, "'" + e + "': no value (tag=value;tag=value)");
                if (value.indexOf('\u0001') >= 0 || value.indexOf('|') >= 0) {
                    throw bad(ORDER_FIELDS, "'" + e + "': a value may not contain SOH or '|'");
                }
                if (RESERVED_TAGS.contains(tag)) throw bad(ORDER_FIELDS, "tag " + tag + " is set by the gateway itself");
                if (out.put(tag, value) != null) throw bad(ORDER_FIELDS, "tag " + tag + " is given twice");
            }
            if (out.isEmpty()) throw bad(ORDER_FIELDS, "names no field: leave the key out, or give tag=value;tag=value");
            return out;
        }

        /** A username or password: a literal, or {@code ${NAME}} read from the environment. */
        String secret(String key, Function<String, String> env, boolean showValue) {
            String v = value(key);
            if (v == null) return null;
            String shown = showValue || v.startsWith("${") ? v : "****";
            if (v.isEmpty()) throw bad(key, "is empty: leave the key out for none");
            Matcher m = ENV.matcher(v);
            if (m.matches()) {
                String resolved = env.apply(m.group(1));
                if (resolved == null || resolved.isEmpty()) {
                    throw new IllegalArgumentException("FIX session " + session + ": " + key + "=" + shown
                            + ": environment variable " + m.group(1) + " is not set");
                }
                return resolved;
            }
            if (v.contains("${")) {
                throw new IllegalArgumentException("FIX session " + session + ": " + key + "=" + shown
                        + ": malformed; use a literal or exactly ${NAME}");
            }
            return v;
        }
    }
}
