package io.tradergateway.simvenue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quickfix.Message;
import quickfix.field.MsgType;
import quickfix.field.OrdType;
import quickfix.field.Side;
import quickfix.field.TimeInForce;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.tradergateway.simvenue.TestFixClient.field;
import static io.tradergateway.simvenue.TestFixClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A venue profile that supports less (sim-venue/extras SIM_LIMITED: LIMIT + DAY only, refuses F/G/H/V/x), next to a
 * shipped full venue, over loopback FIX.
 */
@Timeout(60)
class SimVenueLimitedProfileTest extends SimVenueFixture {
    static final String LIMITED = "SIM_LIMITED";

    @Override
    SimVenueConfig configure(SimVenueConfig base) {
        return base.withOnlyVenues("SIM_FAST")
                .withVenuesOf(SimVenueConfig.load(Path.of("sim-venue/extras")).withOnlyVenues(LIMITED))
                .withEveryProfile(p -> p.predictable().withAckLatency(Duration.ofMillis(1)))
                .withFreePorts();
    }

    @Test
    void marketOrderIsRejectedSayingWhichOrderTypesTheVenueTakes() {
        client.send(LIMITED, TestFixClient.market("M1", "AAPL", Side.BUY, "100"));
        Message reject = client.awaitExecType(LIMITED, "M1", '8');
        assertEquals("8", field(reject, 39));
        assertEquals("11", field(reject, 103));
        assertEquals("order type MARKET (40=1) not accepted at SIM_LIMITED: it takes LIMIT only", field(reject, 58));
        assertTrue(sim.executions(LIMITED).isEmpty());

        // the same order at a full venue trades
        client.send("SIM_FAST", TestFixClient.market("M2", "AAPL", Side.BUY, "100"));
        client.awaitStatus("SIM_FAST", "M2", '2');
    }

    @Test
    void everyTimeInForceButDayIsRejectedWithClearText() {
        char[] tifs = {TimeInForce.IMMEDIATE_OR_CANCEL, TimeInForce.FILL_OR_KILL, TimeInForce.GOOD_TILL_CANCEL};
        String[] names = {"IOC (59=3)", "FOK (59=4)", "GTC (59=1)"};
        for (int i = 0; i < tifs.length; i++) {
            client.send(LIMITED, TestFixClient.limit("T" + i, "AAPL", Side.BUY, "100", "190.00", tifs[i]));
            Message reject = client.awaitExecType(LIMITED, "T" + i, '8');
            assertEquals("TimeInForce " + names[i] + " not accepted at SIM_LIMITED: it takes DAY only", field(reject, 58));
            assertEquals("11", field(reject, 103));
        }
        client.send(LIMITED, TestFixClient.gtd("GTD1", "AAPL", Side.BUY, "100", "190.00", Instant.now().plusSeconds(600)));
        assertTrue(field(client.awaitExecType(LIMITED, "GTD1", '8'), 58).startsWith("TimeInForce GTD (59=6) not accepted"));
        assertTrue(sim.workingOrders(LIMITED).isEmpty());
    }

    @Test
    void marketableDayLimitFillsOnArrival() {
        sim.setMid("AAPL", new BigDecimal("190.00"));
        // SIM_LIMITED, 4 bps around 190.00: best offer 190.04 x 500
        client.send(LIMITED, TestFixClient.limit("L1", "AAPL", Side.BUY, "100", "190.10", TimeInForce.DAY));
        Message filled = client.awaitStatus(LIMITED, "L1", '2');
        assertEquals("F", field(filled, 150));
        assertEquals("100@190.04", field(filled, 32) + "@" + field(filled, 31));
        assertEquals(List.of("0", "F"), client.reports(LIMITED, "L1").stream().map(m -> field(m, 150)).toList());
    }

    @Test
    void restingDayLimitFillsAtItsLimitWhenTheMarketMovesThroughIt() {
        sim.setMid("AAPL", new BigDecimal("190.00"));
        client.send(LIMITED, TestFixClient.limit("R1", "AAPL", Side.BUY, "100", "189.00", TimeInForce.DAY));
        client.awaitExecType(LIMITED, "R1", '0');
        assertEquals(List.of("R1"), sim.workingOrders(LIMITED));

        sim.setMid("AAPL", new BigDecimal("188.50")); // offers from 188.54: crosses the 189.00 bid
        Message filled = client.awaitStatus(LIMITED, "R1", '2');
        assertEquals("100@189", field(filled, 32) + "@" + field(filled, 31));
        assertTrue(sim.workingOrders(LIMITED).isEmpty());
    }

    @Test
    void cancelReplaceStatusMarketDataAndSecurityListAreRefusedWithBusinessMessageReject() {
        client.send(LIMITED, TestFixClient.limit("W1", "AAPL", Side.BUY, "100", "150.00", TimeInForce.DAY));
        client.awaitExecType(LIMITED, "W1", '0');

        List<Message> requests = List.of(
                TestFixClient.cancel("C1", "W1", "AAPL", Side.BUY, "100"),
                TestFixClient.replace("C2", "W1", "AAPL", Side.BUY, "200", OrdType.LIMIT, "150.00"),
                TestFixClient.status("W1", "AAPL", Side.BUY),
                TestFixClient.marketData("MD1", TestFixClient.SUBSCRIBE, "AAPL"),
                TestFixClient.securityListAll("SL1"));
        List<String> types = List.of("F", "G", "H", "V", "x");
        List<String> refIds = List.of("C1", "C2", "W1", "MD1", "SL1");
        List<String> names = List.of("OrderCancelRequest", "OrderCancelReplaceRequest", "OrderStatusRequest",
                "MarketDataRequest", "SecurityListRequest");
        for (int i = 0; i < requests.size(); i++) {
            Message request = requests.get(i);
            client.send(LIMITED, request);
            String sentSeqNum = field(request.getHeader(), 34);
            String refType = types.get(i);
            Message reject = client.await(LIMITED, m -> type(m).equals(MsgType.BUSINESS_MESSAGE_REJECT)
                    && refType.equals(field(m, 372)));
            assertEquals(sentSeqNum, field(reject, 45), "RefSeqNum of " + refType);
            assertEquals("3", field(reject, 380), "unsupported message type");
            assertEquals(refIds.get(i), field(reject, 379));
            assertEquals("SIM_LIMITED does not support " + names.get(i) + " (35=" + refType + ")", field(reject, 58));
        }
        // nothing reached the market: the order is still working, no answers but the rejects
        assertEquals(List.of("W1"), sim.workingOrders(LIMITED));
        assertTrue(client.messages(LIMITED).stream().noneMatch(m -> List.of("9", "W", "y").contains(type(m))));
        assertEquals(List.of("D", "F", "G", "H"), sim.received(LIMITED).stream().map(SimOrderEvent::msgType).toList());
        assertEquals(1, client.reports(LIMITED, "W1").stream().filter(m -> type(m).equals(MsgType.EXECUTION_REPORT)).count());
    }
}
