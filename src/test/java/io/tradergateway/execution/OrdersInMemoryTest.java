package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class OrdersInMemoryTest {
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static Order order(long seqNo, String planId, OrderStatus status) {
        return new Order(new ClOrdId("TG-X-" + seqNo), seqNo, planId, Leg.ENTRY, 0, "SIM_A", "AAPL", Side.BUY,
                OrderType.MARKET, TimeInForce.IOC, new BigDecimal("10"), null, null, status, BigDecimal.ZERO,
                BigDecimal.ZERO, BigDecimal.ZERO, null, new BigDecimal("190"), 0.7, T0, null, null, null, 0, null);
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
}
