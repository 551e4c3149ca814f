package io.tradergateway.simvenue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import quickfix.Group;
import quickfix.Message;
import quickfix.field.MsgType;
import quickfix.field.NoRelatedSym;
import quickfix.field.Side;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.tradergateway.simvenue.TestFixClient.decimal;
import static io.tradergateway.simvenue.TestFixClient.field;
import static io.tradergateway.simvenue.TestFixClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions, SecurityList, a market order walking the book, unknown-symbol reject: over loopback FIX. */
@Timeout(60)
class SimVenueBasicTest extends SimVenueFixture {
    @Test
    void everyVenueIsItsOwnLoggedOnSession() {
        assertEquals(List.of("SIM_DEEP", "SIM_FAST", "SIM_CHEAP"), List.copyOf(config.venues()));
        for (String venue : config.venues()) assertTrue(sim.isLoggedOn(venue), venue);
    }

    @Test
    void securityListNamesTheVenueSymbolsWithLotAndTickSize() {
        client.send("SIM_FAST", TestFixClient.securityListAll("SL1"));
        Message list = client.await("SIM_FAST", m -> type(m).equals(MsgType.SECURITY_LIST));
        assertEquals("SL1", field(list, 320));
        assertEquals("0", field(list, 560));
        Map<String, String> lotAndTick = new TreeMap<>();
        for (Group g : list.getGroups(NoRelatedSym.FIELD)) lotAndTick.put(field(g, 55), field(g, 561) + "/" + field(g, 969));
        assertEquals(Map.of("AAPL", "1/0.01", "MSFT", "1/0.01", "SPY", "1/0.01", "TSLA", "1/0.01"), lotAndTick);

        client.send("SIM_DEEP", TestFixClient.securityListAll("SL2"));
        Message deep = client.await("SIM_DEEP", m -> type(m).equals(MsgType.SECURITY_LIST));
        assertTrue(deep.getGroups(NoRelatedSym.FIELD).stream().anyMatch(g -> "NVDA".equals(field(g, 55))));
    }

    @Test
    void marketOrderIsAckedThenWalksTheBookLevelByLevelWithFees() {
        sim.setMid("AAPL", new BigDecimal("190.00"));
        // SIM_FAST, 2 bps spread around 190.00: offers 190.02 x 200, 190.03 x 250, 190.04 x 300 ...
        assertEquals(new PriceLevel(new BigDecimal("190.02"), new BigDecimal("200")), sim.book("SIM_FAST", "AAPL").offers().get(0));

        client.send("SIM_FAST", TestFixClient.market("M1", "AAPL", Side.BUY, "500"));
        Message filled = client.awaitStatus("SIM_FAST", "M1", '2');

        List<Message> reports = client.reports("SIM_FAST", "M1");
        assertEquals(List.of("0", "F", "F", "F"), reports.stream().map(m -> field(m, 150)).toList());
        assertEquals(List.of("0", "1", "1", "2"), reports.stream().map(m -> field(m, 39)).toList());
        assertEquals(List.of("200@190.02", "250@190.03", "50@190.04"),
                reports.subList(1, 4).stream().map(m -> field(m, 32) + "@" + field(m, 31)).toList());
        // fee: 0.5 bps of each fill's notional, absolute (CommType 3), rounded to 4 decimals
        assertEquals(List.of("1.9002/3", "2.3754/3", "0.4751/3"),
                reports.subList(1, 4).stream().map(m -> field(m, 12) + "/" + field(m, 13)).toList());
        // (200*190.02 + 250*190.03 + 50*190.04) / 500 = 95013.5 / 500 = 190.027: worse than the top of book
        assertEquals(0, decimal(filled, 6).compareTo(new BigDecimal("190.027")));
        assertEquals(0, decimal(filled, 14).compareTo(new BigDecimal("500")));
        assertEquals(0, decimal(filled, 151).signum());
        assertEquals(1, reports.stream().map(m -> field(m, 37)).distinct().count(), "one stable OrderID");
        assertEquals(4, new HashSet<>(reports.stream().map(m -> field(m, 17)).toList()).size(), "unique ExecIDs");

        // the liquidity is gone: levels 1 and 2 consumed, 250 left at 190.04
        assertEquals(new PriceLevel(new BigDecimal("190.04"), new BigDecimal("250")), sim.book("SIM_FAST", "AAPL").offers().get(0));
        assertEquals(3, sim.executions("SIM_FAST").size());
        List<SimOrderEvent> received = sim.received("SIM_FAST");
        assertEquals(1, received.size());
        assertEquals("M1", received.get(0).clOrdId());
        assertTrue(received.get(0).isNewOrder());
    }

    @Test
    void unknownSymbolIsRejectedWithReasonAndText() {
        client.send("SIM_DEEP", TestFixClient.market("U1", "ZZZZ", Side.BUY, "10"));
        Message reject = client.awaitExecType("SIM_DEEP", "U1", '8');
        assertEquals("8", field(reject, 39));
        assertEquals("1", field(reject, 103));
        assertTrue(field(reject, 58).contains("unknown symbol ZZZZ"), field(reject, 58));

        // NVDA exists, but SIM_FAST does not list it
        client.send("SIM_FAST", TestFixClient.market("U2", "NVDA", Side.BUY, "10"));
        assertEquals("1", field(client.awaitExecType("SIM_FAST", "U2", '8'), 103));
    }
}
