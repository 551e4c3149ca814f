package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class OrdersInMemoryTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static Order order(long seqNo, String planId, OrderStatus status) {
        return new Order(
                new Order.Origin(new ClOrdId("TG-X-" + seqNo), seqNo, planId, Leg.ENTRY, 0, "SIM_A",
                        new BigDecimal("190"), 0.7, T0),
                new Order.Terms("AAPL", Side.BUY, OrderType.MARKET, TimeInForce.IOC, new BigDecimal("10"), null, null),
                new Order.Progress(status, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null, null, null, null,
                        0, null));
    }

    @Test
    void ordersOfAPlanComeInSendingOrderAndAnUpdateReplacesTheCurrentVersion() {
        OrdersInMemory orders = new OrdersInMemory();
        orders.put(order(1, "P-1", OrderStatus.PENDING_NEW));
        orders.put(order(2, "P-2", OrderStatus.PENDING_NEW));
        orders.put(order(3, "P-1", OrderStatus.PENDING_NEW));
        orders.put(order(1, "P-1", OrderStatus.NEW));

        assertThat(orders.ofPlan("P-1")).extracting(Order::seqNo).containsExactly(1L, 3L);
        assertThat(orders.ofPlan("P-1").get(0).status()).isEqualTo(OrderStatus.NEW);
        assertThat(orders.get(new ClOrdId("TG-X-1")).status()).isEqualTo(OrderStatus.NEW);
        assertThat(orders.ofPlan("P-404")).isEmpty();
        assertThat(orders.size()).isEqualTo(3);
        assertThat(orders.working()).as("the working index follows each order's current version").hasSize(3);
        orders.put(order(2, "P-2", OrderStatus.FILLED));
        assertThat(orders.working()).extracting(Order::seqNo).containsExactly(1L, 3L);
    }

    @Test
    void ordersRecoveredOutOfSendingOrderAreSortedPerPlan() {
        OrdersInMemory orders = new OrdersInMemory();
        orders.put(order(7, "P-1", OrderStatus.NEW));
        orders.put(order(4, "P-1", OrderStatus.FILLED));
        orders.put(order(9, "P-1", OrderStatus.NEW));
        assertThat(orders.ofPlan("P-1")).extracting(Order::seqNo).containsExactly(4L, 7L, 9L);
    }

    @Test
    void removingOrdersForgetsThemInBothIndexes() {
        OrdersInMemory orders = new OrdersInMemory();
        orders.put(order(1, "P-1", OrderStatus.FILLED));
        orders.put(order(2, "P-1", OrderStatus.NEW));
        orders.put(order(3, "P-2", OrderStatus.FILLED));

        orders.removeIf(o -> o.status().isTerminal());

        assertThat(orders.ofPlan("P-1")).extracting(Order::seqNo).containsExactly(2L);
        assertThat(orders.ofPlan("P-2")).isEmpty();
        assertThat(orders.ids()).containsExactly(new ClOrdId("TG-X-2"));
        assertThat(orders.working()).extracting(Order::seqNo).containsExactly(2L);
        assertThat(orders.get(new ClOrdId("TG-X-1"))).isNull();
        orders.clear();
        assertThat(orders.all()).isEmpty();
        assertThat(orders.ofPlan("P-1")).isEmpty();
    }

    @Test
    void theLeavesPerSymbolAlwaysEqualASumOverTheWorkingOrders() {
        OrdersInMemory orders = new OrdersInMemory();
        Random random = new Random(12);
        String[] symbols = {"AAPL", "MSFT", "SPY"};
        OrderStatus[] statuses = OrderStatus.values();
        for (int step = 0; step < 5_000; step++) {
            if (step % 997 == 996) {
                orders.removeIf(o -> o.seqNo() % 3 == 0);
            } else {
                long seqNo = 1 + random.nextInt(60);
                String symbol = symbols[(int) (seqNo % symbols.length)];
                Side side = seqNo % 2 == 0 ? Side.BUY : Side.SELL;
                BigDecimal qty = BigDecimal.valueOf(10 + seqNo);
                BigDecimal cum = BigDecimal.valueOf(random.nextInt((int) (10 + seqNo) + 1));
                OrderStatus status = statuses[random.nextInt(statuses.length)];
                orders.put(new Order(
                        new Order.Origin(new ClOrdId("TG-X-" + seqNo), seqNo, "P-" + seqNo, Leg.ENTRY, 0, "SIM_A",
                                new BigDecimal("190"), 0.7, T0),
                        new Order.Terms(symbol, side, OrderType.MARKET, TimeInForce.IOC, qty, null, null),
                        new Order.Progress(status, cum, BigDecimal.ZERO, BigDecimal.ZERO, null, null, null, null, 0,
                                null)));
            }
            for (String symbol : symbols) {
                BigDecimal net = BigDecimal.ZERO;
                BigDecimal gross = BigDecimal.ZERO;
                for (Order o : orders.working()) {
                    if (!o.symbol().equals(symbol)) continue;
                    net = net.add(o.side() == Side.BUY ? o.leavesQty() : o.leavesQty().negate());
                    gross = gross.add(o.leavesQty());
                }
                OrdersInMemory.Leaves leaves = orders.leaves(symbol);
                assertThat(leaves.net()).as("net %s at step %d", symbol, step).isEqualByComparingTo(net);
                assertThat(leaves.gross()).as("gross %s at step %d", symbol, step).isEqualByComparingTo(gross);
            }
        }
        orders.clear();
        assertThat(orders.leavesBySymbol()).isEmpty();
    }
}
