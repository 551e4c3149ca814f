package io.tradergateway.simvenue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import quickfix.Message;
import quickfix.field.MsgType;
import quickfix.field.Side;
import quickfix.field.TimeInForce;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.tradergateway.simvenue.TestFixClient.field;
import static io.tradergateway.simvenue.TestFixClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same seed and the same order flow give the same fills, with all the randomness on (book size jitter, ack
 * jitter, random rejects, sliced partial fills, the price process); another seed gives other fills.
 */
@Timeout(60)
class SimVenueDeterminismTest {
    @TempDir
    Path dataDir;

    @Test
    void sameSeedAndFlowGiveTheSameFillsAndAnotherSeedDoesNot() throws Exception {
        List<String> first = runFlow(7L, dataDir.resolve("run1"));
        List<String> second = runFlow(7L, dataDir.resolve("run2"));
        List<String> otherSeed = runFlow(8L, dataDir.resolve("run3"));

        assertTrue(first.stream().filter(line -> line.startsWith("fill")).count() > 10, first.toString());
        assertTrue(first.stream().anyMatch(line -> line.contains("REJECT")), "the flow includes random rejects: " + first);
        assertEquals(first, second);
        assertNotEquals(first, otherSeed);
    }

    /** Runs a fixed order flow against a fresh sim with this seed; returns every outcome as readable lines. */
    private List<String> runFlow(long seed, Path dir) throws Exception {
        SimVenueConfig config = SimVenueConfig.load(Path.of("sim-venue"))
                .withSeed(seed)
                .withDataDir(dir)
                .withTickInterval(Duration.ZERO) // the flow moves prices itself with advanceTicks
                .withEveryProfile(p -> p.withAckLatency(Duration.ofMillis(1)).withAckJitter(Duration.ofMillis(3))
                        .withPartialFillInterval(Duration.ofMillis(10)))
                .withProfile("SIM_CHEAP", p -> p.withRejectRate(0.25));
        for (String venue : config.venues()) config = config.withPort(venue, TestFixClient.freePort());

        List<String> outcomes = new ArrayList<>();
        try (SimVenue sim = SimVenue.start(config); TestFixClient client = TestFixClient.connect(config)) {
            int n = 0;
            for (int round = 0; round < 4; round++) {
                sim.advanceTicks(5);
                for (String venue : config.venues()) {
                    String symbol = round % 2 == 0 ? "AAPL" : "SPY";
                    char side = (round + n) % 2 == 0 ? Side.BUY : Side.SELL;
                    String clOrdId = "D" + (++n);
                    client.send(venue, TestFixClient.market(clOrdId, symbol, side, String.valueOf(150 + 37 * n)));
                    awaitDone(client, venue, clOrdId);
                }
            }
            // a resting limit a little below the mid, then the market wanders
            for (String venue : config.venues()) {
                BigDecimal limit = sim.mid("TSLA").multiply(new BigDecimal("0.999")).setScale(2, RoundingMode.DOWN);
                String clOrdId = "R-" + venue;
                client.send(venue, TestFixClient.limit(clOrdId, "TSLA", Side.BUY, "500", limit.toPlainString(), TimeInForce.DAY));
                client.await(venue, m -> clOrdId.equals(field(m, 11)) && type(m).equals(MsgType.EXECUTION_REPORT));
            }
            sim.advanceTicks(200);
            for (String venue : config.venues()) {
                String clOrdId = "R-" + venue;
                client.send(venue, TestFixClient.status(clOrdId, "TSLA", Side.BUY));
                client.awaitExecType(venue, clOrdId, 'I');
            }
            for (String venue : config.venues()) {
                for (SimExecution e : sim.executions(venue)) {
                    outcomes.add("fill " + venue + " " + e.clOrdId() + " " + e.side() + " " + e.quantity().toPlainString()
                            + " @ " + e.price().toPlainString() + " fee " + e.fee().toPlainString());
                }
                for (Message m : client.messages(venue)) {
                    String execType = field(m, 150);
                    if ("8".equals(execType)) outcomes.add("REJECT " + venue + " " + field(m, 11) + " " + field(m, 58));
                    if ("4".equals(execType) || "I".equals(execType)) {
                        outcomes.add("end " + venue + " " + field(m, 11) + " status " + field(m, 39) + " cum " + field(m, 14));
                    }
                }
            }
            for (String symbol : config.symbols().keySet()) outcomes.add("mid " + symbol + " " + sim.mid(symbol).toPlainString());
        }
        return outcomes;
    }

    private static void awaitDone(TestFixClient client, String venue, String clOrdId) {
        client.await(venue, m -> clOrdId.equals(field(m, 11)) && type(m).equals(MsgType.EXECUTION_REPORT)
                && List.of("2", "4", "8").contains(field(m, 39)));
    }
}
