package io.tradergateway.simvenue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How one simulated venue behaves: its book shape, speed, fees, reject rate and partial-fill habit, and
 * which symbols it lists.
 *
 * @param name                   venue name = the acceptor session's SenderCompID (e.g. SIM_DEEP)
 * @param symbols                symbols this venue lists (each must be defined in venues.json "symbols")
 * @param spreadBps              full bid/offer spread around the reference mid, in basis points of the mid
 * @param depthLevels            price levels per side
 * @param levelSize              quantity at the top level
 * @param levelSizeGrowth        extra quantity per level deeper, as a fraction of levelSize (0.5: 100, 150, 200 ...)
 * @param levelSpacingTicks      ticks between two adjacent levels
 * @param sizeJitter             random +/- fraction applied to each level's size when the book regenerates (0 = exact)
 * @param ackLatency             delay between receiving a request and answering it
 * @param ackJitter              extra random delay, uniform in [0, ackJitter)
 * @param feeBps                 fee per fill in basis points of the fill's notional (reported in Commission(12))
 * @param rejectRate             probability in [0, 1] that a valid NewOrderSingle is rejected anyway
 * @param partialFillProbability probability in [0, 1] that a marketable order is worked in slices instead of at once
 * @param partialFillSlices      number of slices such an order is split into (>= 1)
 * @param partialFillInterval    delay between two slices
 * @param support                what the venue takes: order types, TimeInForce values, message types it refuses
 *                               ({@link Support#FULL} = everything, the shipped venues)
 * @param execIdStart            null: ExecIDs unique across sim restarts (a per-start run id, the default); a number:
 *                               plain ExecIDs counting up from it, so a restarted sim repeats them (a venue that
 *                               numbers its executions from 1 again after a restart)
 */
public record VenueProfile(String name, List<String> symbols, BigDecimal spreadBps, int depthLevels,
                           BigDecimal levelSize, BigDecimal levelSizeGrowth, int levelSpacingTicks,
                           double sizeJitter, Duration ackLatency, Duration ackJitter, BigDecimal feeBps,
                           double rejectRate, double partialFillProbability, int partialFillSlices,
                           Duration partialFillInterval, Support support, Long execIdStart) {

    /** A venue that supports everything (the shipped venues' behaviour), with run-unique ExecIDs. */
    public VenueProfile(String name, List<String> symbols, BigDecimal spreadBps, int depthLevels,
                        BigDecimal levelSize, BigDecimal levelSizeGrowth, int levelSpacingTicks,
                        double sizeJitter, Duration ackLatency, Duration ackJitter, BigDecimal feeBps,
                        double rejectRate, double partialFillProbability, int partialFillSlices,
                        Duration partialFillInterval) {
        this(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks, sizeJitter,
                ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, Support.FULL, null);
    }

    public VenueProfile {
        Objects.requireNonNull(name, "name");
        support = support == null ? Support.FULL : support;
        require(execIdStart == null || execIdStart >= 0, name, "execIdStart must be >= 0: " + execIdStart);
        symbols = List.copyOf(Objects.requireNonNull(symbols, "symbols"));
        require(spreadBps != null && spreadBps.signum() > 0, name, "spreadBps must be > 0: " + spreadBps);
        require(depthLevels >= 1, name, "depthLevels must be >= 1: " + depthLevels);
        require(levelSize != null && levelSize.signum() > 0, name, "levelSize must be > 0: " + levelSize);
        require(levelSizeGrowth != null && levelSizeGrowth.signum() >= 0, name,
                "levelSizeGrowth must be >= 0: " + levelSizeGrowth);
        require(levelSpacingTicks >= 1, name, "levelSpacingTicks must be >= 1: " + levelSpacingTicks);
        require(sizeJitter >= 0 && sizeJitter < 1, name, "sizeJitter must be in [0, 1): " + sizeJitter);
        require(ackLatency != null && !ackLatency.isNegative(), name, "ackLatency must be >= 0: " + ackLatency);
        require(ackJitter != null && !ackJitter.isNegative(), name, "ackJitter must be >= 0: " + ackJitter);
        require(feeBps != null && feeBps.signum() >= 0, name, "feeBps must be >= 0: " + feeBps);
        require(rejectRate >= 0 && rejectRate <= 1, name, "rejectRate must be in [0, 1]: " + rejectRate);
        require(partialFillProbability >= 0 && partialFillProbability <= 1, name,
                "partialFillProbability must be in [0, 1]: " + partialFillProbability);
        require(partialFillSlices >= 1, name, "partialFillSlices must be >= 1: " + partialFillSlices);
        require(partialFillInterval != null && !partialFillInterval.isNegative(), name,
                "partialFillInterval must be >= 0: " + partialFillInterval);
    }

    private static void require(boolean ok, String venue, String message) {
        if (!ok) throw new IllegalArgumentException("venue " + venue + ": " + message);
    }

    public boolean lists(String symbol) {
        return symbols.contains(symbol);
    }

    public VenueProfile withSymbols(List<String> v) {
        return new VenueProfile(name, v, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, support, execIdStart);
    }

    public VenueProfile withSpreadBps(BigDecimal v) {
        return new VenueProfile(name, symbols, v, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, support, execIdStart);
    }

    public VenueProfile withDepthLevels(int v) {
        return new VenueProfile(name, symbols, spreadBps, v, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, support, execIdStart);
    }

    public VenueProfile withLevelSize(BigDecimal v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, v, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, support, execIdStart);
    }

    public VenueProfile withLevelSizeGrowth(BigDecimal v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, v, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, support, execIdStart);
    }

    public VenueProfile withLevelSpacingTicks(int v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, v,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, support, execIdStart);
    }

    public VenueProfile withSizeJitter(double v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                v, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, support, execIdStart);
    }

    public VenueProfile withAckLatency(Duration v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, v, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, support, execIdStart);
    }

    public VenueProfile withAckJitter(Duration v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, v, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, support, execIdStart);
    }

    public VenueProfile withFeeBps(BigDecimal v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, v, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, support, execIdStart);
    }

    public VenueProfile withRejectRate(double v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, v, partialFillProbability, partialFillSlices,
                partialFillInterval, support, execIdStart);
    }

    public VenueProfile withPartialFillProbability(double v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, v, partialFillSlices, partialFillInterval, support, execIdStart);
    }

    public VenueProfile withPartialFillSlices(int v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, v, partialFillInterval, support, execIdStart);
    }

    public VenueProfile withPartialFillInterval(Duration v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices, v, support, execIdStart);
    }

    /** No randomness in this venue's answers: no jitter, no random rejects, no slicing, exact level sizes. */
    public VenueProfile predictable() {
        return withAckJitter(Duration.ZERO).withRejectRate(0).withPartialFillProbability(0).withSizeJitter(0);
    }

    /** The same profile under another venue name (for {@link SimVenueConfig#withVenue}). */
    public VenueProfile renamed(String newName) {
        return new VenueProfile(newName, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, support, execIdStart);
    }

    public VenueProfile withSupport(Support v) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, v, execIdStart);
    }

    /** Only these order types, by name: {@code MARKET}, {@code LIMIT}. */
    public VenueProfile withOrderTypes(String... names) {
        return withSupport(new Support(Support.orderTypeCodes(List.of(names)), support.timeInForces(),
                support.refusedMessageTypes()));
    }

    /** Only these TimeInForce values, by name: {@code DAY}, {@code GTC}, {@code IOC}, {@code FOK}, {@code GTD}. */
    public VenueProfile withTimeInForces(String... names) {
        return withSupport(new Support(support.orderTypes(), Support.timeInForceCodes(List.of(names)),
                support.refusedMessageTypes()));
    }

    /** These MsgTypes ({@code F G H V x}) are answered with a BusinessMessageReject (35=j, reason 3) instead. */
    public VenueProfile withRefusedMessageTypes(String... msgTypes) {
        return withSupport(new Support(support.orderTypes(), support.timeInForces(), Set.of(msgTypes)));
    }

    /** Plain ExecIDs counting from {@code start} (null: run-unique ExecIDs, the default). */
    public VenueProfile withExecIdStart(Long start) {
        return new VenueProfile(name, symbols, spreadBps, depthLevels, levelSize, levelSizeGrowth, levelSpacingTicks,
                sizeJitter, ackLatency, ackJitter, feeBps, rejectRate, partialFillProbability, partialFillSlices,
                partialFillInterval, support, start);
    }

    /**
     * A broker-style session that supports little: LIMIT orders only, DAY only, and it refuses OrderCancelRequest,
     * OrderCancelReplaceRequest, OrderStatusRequest, MarketDataRequest and SecurityListRequest (35=j).
     */
    public VenueProfile limited() {
        return withOrderTypes("LIMIT").withTimeInForces("DAY").withRefusedMessageTypes("F", "G", "H", "V", "x");
    }

    /**
     * What a venue takes. Order types and TimeInForce values are FIX chars (OrdType 1/2, TimeInForce 0/1/3/4/6); an
     * order with another one is rejected (ExecutionReport ExecType=8 with a Text saying what the venue takes). Refused
     * message types get a BusinessMessageReject (35=j) with BusinessRejectReason=3 (unsupported message type).
     */
    public record Support(Set<Character> orderTypes, Set<Character> timeInForces, Set<String> refusedMessageTypes) {
        /** Names, in FIX order, of the order types and TimeInForce values the sim knows. */
        static final Map<String, Character> ORDER_TYPES = orderedMap("MARKET", '1', "LIMIT", '2');
        static final Map<String, Character> TIME_IN_FORCES = orderedMap("DAY", '0', "GTC", '1', "IOC", '3', "FOK", '4', "GTD", '6');
        /** Message types a venue may refuse. */
        static final Set<String> REFUSABLE = new LinkedHashSet<>(List.of("F", "G", "H", "V", "x"));
        public static final Support FULL = new Support(Set.copyOf(ORDER_TYPES.values()), Set.copyOf(TIME_IN_FORCES.values()), Set.of());

        public Support {
            orderTypes = Set.copyOf(Objects.requireNonNull(orderTypes, "orderTypes"));
            timeInForces = Set.copyOf(Objects.requireNonNull(timeInForces, "timeInForces"));
            refusedMessageTypes = Set.copyOf(Objects.requireNonNull(refusedMessageTypes, "refusedMessageTypes"));
            if (orderTypes.isEmpty()) throw new IllegalArgumentException("orderTypes: at least one order type is needed");
            if (timeInForces.isEmpty()) throw new IllegalArgumentException("timeInForces: at least one TimeInForce is needed");
            for (char c : orderTypes) {
                if (!ORDER_TYPES.containsValue(c)) throw new IllegalArgumentException("orderTypes: unknown OrdType " + c);
            }
            for (char c : timeInForces) {
                if (!TIME_IN_FORCES.containsValue(c)) throw new IllegalArgumentException("timeInForces: unknown TimeInForce " + c);
            }
            for (String t : refusedMessageTypes) {
                if (!REFUSABLE.contains(t)) {
                    throw new IllegalArgumentException("refusedMessageTypes: " + t + " cannot be refused (one of " + REFUSABLE + ")");
                }
            }
        }

        public boolean acceptsOrderType(char ordType) {
            return orderTypes.contains(ordType);
        }

        public boolean acceptsTimeInForce(char timeInForce) {
            return timeInForces.contains(timeInForce);
        }

        public boolean refuses(String msgType) {
            return refusedMessageTypes.contains(msgType);
        }

        static Set<Character> orderTypeCodes(List<String> names) {
            return codes(names, ORDER_TYPES, "orderTypes");
        }

        static Set<Character> timeInForceCodes(List<String> names) {
            return codes(names, TIME_IN_FORCES, "timeInForces");
        }

        /** e.g. {@code LIMIT (40=2)} or {@code IOC (59=3)}. */
        static String orderTypeName(char code) {
            return name(ORDER_TYPES, code) + " (40=" + code + ")";
        }

        static String timeInForceName(char code) {
            return name(TIME_IN_FORCES, code) + " (59=" + code + ")";
        }

        /** The accepted names in FIX order, e.g. {@code LIMIT} or {@code DAY, IOC}. */
        static String names(Map<String, Character> known, Set<Character> codes) {
            List<String> names = new ArrayList<>();
            known.forEach((name, code) -> {
                if (codes.contains(code)) names.add(name);
            });
            return String.join(", ", names);
        }

        private static String name(Map<String, Character> known, char code) {
            for (Map.Entry<String, Character> e : known.entrySet()) {
                if (e.getValue() == code) return e.getKey();
            }
            return "?";
        }

        private static Set<Character> codes(List<String> names, Map<String, Character> known, String key) {
            Set<Character> result = new LinkedHashSet<>();
            for (String n : names) {
                Character code = n == null ? null : known.get(n.strip().toUpperCase(Locale.ROOT));
                if (code == null) throw new IllegalArgumentException(key + ": unknown value " + n + " (one of " + known.keySet() + ")");
                result.add(code);
            }
            return result;
        }

        private static Map<String, Character> orderedMap(Object... pairs) {
            Map<String, Character> map = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) map.put((String) pairs[i], (Character) pairs[i + 1]);
            return Collections.unmodifiableMap(map);
        }
    }
}
