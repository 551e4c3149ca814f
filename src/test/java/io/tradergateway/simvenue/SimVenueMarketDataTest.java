package io.tradergateway.simvenue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quickfix.Group;
import quickfix.Message;
import quickfix.field.MsgType;
import quickfix.field.NoMDEntries;
import quickfix.field.Side;

import java.util.ArrayList;
import java.util.List;

import static io.tradergateway.simvenue.TestFixClient.field;
import static io.tradergateway.simvenue.TestFixClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MarketDataRequest subscribe/unsubscribe, snapshot, incremental book and trade updates, rejects. */
@Timeout(60)
class SimVenueMarketDataTest extends SimVenueFixture {
    private static final String FAST = "SIM_FAST";

    /** The entries of a W or X as "action/type/position/price/size" (action blank in a snapshot). */
    private static List<String> entries(Message m) {
        List<String> result = new ArrayList<>();
        for (Group g : m.getGroups(NoMDEntries.FIELD)) {
            String action = field(g, 279);
            result.add((action == null ? "" : action) + "/" + field(g, 269) + "/" + field(g, 290) + "/"
                    + field(g, 270) + "/" + field(g, 271));
        }
        return result;
    }

    private List<Message> incrementals(String mdReqId) {
        return client.messages(FAST).stream()
                .filter(m -> type(m).equals(MsgType.MARKET_DATA_INCREMENTAL_REFRESH) && mdReqId.equals(field(m, 262)))
                .toList();
    }

    @Test
    void snapshotThenIncrementsForBookChangesTradesAndFillsUntilUnsubscribed() {
        sim.setMid("AAPL", bd("190.00"));
        sim.printTrade("AAPL", bd("190.01"), bd("300"));
        client.send(FAST, TestFixClient.marketData("MD1", TestFixClient.SUBSCRIBE, "AAPL"));
        Message snapshot = client.await(FAST, m -> type(m).equals(MsgType.MARKET_DATA_SNAPSHOT_FULL_REFRESH));
        assertEquals("MD1", field(snapshot, 262));
        assertEquals("AAPL", field(snapshot, 55));
        assertEquals(List.of(
                "/0/1/189.98/200", "/0/2/189.97/250", "/0/3/189.96/300", "/0/4/189.95/350", "/0/5/189.94/400",
                "/1/1/190.02/200", "/1/2/190.03/250", "/1/3/190.04/300", "/1/4/190.05/350", "/1/5/190.06/400",
                "/2/null/190.01/300"), entries(snapshot));

        // a background trade: one new trade entry
        sim.printTrade("AAPL", bd("190.02"), bd("100"));
        Message trade = client.await(FAST, m -> incrementals("MD1").contains(m));
        assertEquals(List.of("0/2/null/190.02/100"), entries(trade));
        assertEquals("AAPL", field(trade.getGroups(NoMDEntries.FIELD).get(0), 55));

        // the mid moves one cent: every level changes price
        sim.setMid("AAPL", bd("190.01"));
        client.await(FAST, m -> incrementals("MD1").size() == 2);
        List<String> moved = entries(incrementals("MD1").get(1));
        assertEquals(10, moved.size());
        assertTrue(moved.contains("1/0/1/189.99/200"), moved.toString());
        assertTrue(moved.contains("1/1/1/190.03/200"), moved.toString());

        // a fill at this venue: trade entries, and the offer side loses its first level (shift up, last deleted)
        client.send(FAST, TestFixClient.market("MDF", "AAPL", Side.BUY, "200"));
        client.awaitStatus(FAST, "MDF", '2');
        client.await(FAST, m -> incrementals("MD1").size() == 3);
        List<String> fill = entries(incrementals("MD1").get(2));
        assertEquals(List.of("1/1/1/190.04/250", "1/1/2/190.05/300", "1/1/3/190.06/350", "1/1/4/190.07/400",
                "2/1/5/190.07/null", "0/2/null/190.03/200"), fill);

        // unsubscribe: no more updates (the security list answer comes after anything sent before it)
        client.send(FAST, TestFixClient.marketData("MD1", TestFixClient.UNSUBSCRIBE, "AAPL"));
        client.send(FAST, TestFixClient.securityListAll("after-unsubscribe"));
        client.await(FAST, m -> type(m).equals(MsgType.SECURITY_LIST));
        sim.printTrade("AAPL", bd("190.00"), bd("1"));
        client.send(FAST, TestFixClient.securityListAll("after-trade"));
        client.await(FAST, m -> "after-trade".equals(field(m, 320)));
        assertEquals(3, incrementals("MD1").size());
    }

    @Test
    void unknownSymbolGetsAMarketDataRequestReject() {
        client.send(FAST, TestFixClient.marketData("MD2", TestFixClient.SUBSCRIBE, "ZZZZ"));
        Message reject = client.await(FAST, m -> type(m).equals(MsgType.MARKET_DATA_REQUEST_REJECT));
        assertEquals("MD2", field(reject, 262));
        assertEquals("0", field(reject, 281));
        assertTrue(field(reject, 58).contains("ZZZZ"));

        client.send(FAST, TestFixClient.marketData("MD3", TestFixClient.SUBSCRIBE, "NVDA"));
        Message notListed = client.await(FAST, m -> "MD3".equals(field(m, 262)));
        assertEquals(MsgType.MARKET_DATA_REQUEST_REJECT, type(notListed), "SIM_FAST does not list NVDA");
    }

    @Test
    void duplicateSubscriptionIdIsRejected() {
        client.send(FAST, TestFixClient.marketData("MD4", TestFixClient.SUBSCRIBE, "MSFT"));
        client.send(FAST, TestFixClient.marketData("MD4", TestFixClient.SUBSCRIBE, "SPY"));
        Message reject = client.await(FAST, m -> type(m).equals(MsgType.MARKET_DATA_REQUEST_REJECT));
        assertEquals("1", field(reject, 281));
    }
}
