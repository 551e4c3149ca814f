package io.tradergateway.fix;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.ExecType;
import io.tradergateway.execution.OrderStatus;
import io.tradergateway.execution.VenueExecutionReport;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The FIX adapter's per-venue meters: present at zero from start, counting sends, fills and rejects, timing the ack. */
class FixMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FixMetrics metrics = new FixMetrics(registry, List.of("A", "B"));

    private static VenueExecutionReport report(String venue, String clOrdId, ExecType type) {
        return new VenueExecutionReport(venue, new ClOrdId(clOrdId), null, null, new ExecId("E-" + clOrdId + type), type,
                type == ExecType.REJECTED ? OrderStatus.REJECTED : OrderStatus.NEW, "AAPL", Side.BUY, BigDecimal.ONE,
                BigDecimal.TEN, BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.TEN, null, null, Instant.now(), false, Instant.now());
    }

    private double counter(String name, String venue) {
        return registry.get(name).tag("venue", venue).counter().count();
    }

    private long acks(String venue) {
        return registry.get("trader.venue.order.ack").tag("venue", venue).timer().count();
    }

    @Test
    void countsPerVenueAndTimesTheFirstAnswerOnly() {
        for (String venue : List.of("A", "B")) {
            assertThat(counter("trader.venue.orders.sent", venue)).isZero();
            assertThat(counter("trader.venue.rejects", venue)).isZero();
            assertThat(acks(venue)).isZero();
        }

        metrics.orderSent("A", "C1");
        metrics.orderSent("A", "C2");
        metrics.orderSent("B", "C3");
        metrics.report(report("A", "C1", ExecType.NEW));
        metrics.report(report("A", "C1", ExecType.TRADE));
        metrics.report(report("A", "C2", ExecType.REJECTED));
        metrics.orderRefused("B", "C3");

        assertThat(counter("trader.venue.orders.sent", "A")).isEqualTo(2);
        assertThat(counter("trader.venue.fills", "A")).isEqualTo(1);
        assertThat(counter("trader.venue.rejects", "A")).isEqualTo(1);
        assertThat(counter("trader.venue.rejects", "B")).isEqualTo(1);
        assertThat(acks("A")).as("C1's New and C2's reject; not C1's fill").isEqualTo(2);
        assertThat(acks("B")).isEqualTo(1);

        metrics.report(report("A", "UNKNOWN", ExecType.TRADE));
        metrics.orderSent("NOT_CONFIGURED", "C9");
        assertThat(acks("A")).isEqualTo(2);
        assertThat(counter("trader.venue.fills", "A")).isEqualTo(2);
    }
}
