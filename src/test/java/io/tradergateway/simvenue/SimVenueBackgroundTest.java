package io.tradergateway.simvenue;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quickfix.Group;
import quickfix.Message;
import quickfix.field.MsgType;
import quickfix.field.NoMDEntries;

import java.math.BigDecimal;
import java.time.Duration;

import static io.tradergateway.simvenue.TestFixClient.field;
import static io.tradergateway.simvenue.TestFixClient.type;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** With background ticks on, prices move and trades print on their own, and market data shows both. */
@Timeout(60)
class SimVenueBackgroundTest extends SimVenueFixture {
    @Override
    SimVenueConfig configure(SimVenueConfig base) {
        // 20 ms ticks, an hour of market time per real second: visible moves within a few ticks
        return base.withTickInterval(Duration.ofMillis(20)).withTimeScale(3600).withBackgroundTrades(0.5, 50);
    }

    private static boolean hasEntry(Message m, String action, String entryType) {
        if (!type(m).equals(MsgType.MARKET_DATA_INCREMENTAL_REFRESH)) return false;
        for (Group g : m.getGroups(NoMDEntries.FIELD)) {
            if (action.equals(field(g, 279)) && entryType.equals(field(g, 269))) return true;
        }
        return false;
    }

    @Test
    void pricesMoveAndBackgroundTradesPrintOnTheirOwn() {
        BigDecimal start = sim.mid("TSLA");
        client.send("SIM_DEEP", TestFixClient.marketData("BG", TestFixClient.SUBSCRIBE, "TSLA"));
        client.await("SIM_DEEP", m -> hasEntry(m, "0", "2")); // a trade
        client.await("SIM_DEEP", m -> hasEntry(m, "1", "0")); // a bid level changed
        Awaitility.await().atMost(TestFixClient.WAIT).until(() -> sim.mid("TSLA").compareTo(start) != 0);
        assertNotEquals(0, sim.mid("TSLA").compareTo(start));
        assertNotNull(sim.lastTrade("SIM_DEEP", "TSLA"));
    }
}
