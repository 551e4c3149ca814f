package io.tradergateway.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.domain.Instrument;
import io.tradergateway.report.ExecReport;
import io.tradergateway.system.Plans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.tradergateway.execution.EngineFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10 item 9: learning measures the venue, not the plan. A TWAP child is judged against the mark price when it
 * was sent (not the plan's trigger price: the market's drift between slices is no venue slippage), and a slice's fill
 * ratio against the slice (a fully filled slice is not "Filled only 50 % of the order").
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwapSliceJudgementTest {
    private static final String VENUE = "V1";

    @TempDir
    Path dir;
    private EngineFixture f;

    @AfterEach
    void stop() {
        if (f != null) f.close();
    }

    @Test
    void eachSliceIsJudgedAgainstItsOwnQuantityAndThePriceWhenItWasSent() throws Exception {
        VenueCapabilities v1 = new VenueCapabilities(VENUE, VenueCapabilities.FIX44,
                List.of(new Instrument("AAPL", BigDecimal.ONE, new BigDecimal("0.01"))), false, true, true,
                EnumSet.allOf(OrderType.class), EnumSet.allOf(TimeInForce.class), true, true, Map.of(), null);
        f = new EngineFixture(dir, List.of(v1), UnaryOperator.identity());
        f.price(VENUE, "AAPL", "99.99", "100.01");
        ObjectNode plan = Plans.market("twap-judged", "AAPL", "long");
        plan.put("execution_strategy", "twap");
        plan.putObject("execution_params").put("duration_s", 60).put("slices", 2);
        plan.putArray("venue_preferences").add(VENUE);
        assertThat(f.submit(plan).httpStatus()).isEqualTo(202);

        OrderCommand.NewOrder first = f.awaitNewOrders(1).get(0);
        assertThat(first.quantity()).isEqualByComparingTo("50");
        f.engine.onExecutionReport(f.report(first, ExecType.TRADE, OrderStatus.FILLED, first.quantity(), new BigDecimal("100.01")));
        ExecReport firstFill = awaitReport("partial");
        assertThat(firstFill.expectedPrice()).isEqualByComparingTo("100.00");
        assertThat(firstFill.whatWorked()).contains("Filled the full quantity of 50");
        assertThat(firstFill.whatDidntWork()).noneMatch(s -> s.startsWith("Filled only"));
        assertThat(firstFill.lessonsLearned()).noneMatch(s -> s.contains("prefer a deeper venue"));
        assertThat(firstFill.cumulativeQuantity()).as("the report's figures stay the plan's").isEqualByComparingTo("50");
        assertThat(firstFill.orderQuantity()).isEqualByComparingTo("100");

        // The market moves 10 % between the slices: the second slice expects the price it was sent at.
        f.price(VENUE, "AAPL", "109.99", "110.01");
        f.clock.advance(Duration.ofSeconds(31));
        OrderCommand.NewOrder second = f.awaitNewOrders(2).get(1);
        f.engine.onExecutionReport(f.report(second, ExecType.TRADE, OrderStatus.FILLED, second.quantity(), new BigDecimal("110.02")));
        ExecReport secondFill = awaitReport("filled");
        assertThat(secondFill.expectedPrice()).isEqualByComparingTo("110.00");
        assertThat(secondFill.slippage()).as("2 cents on 110, not 10 %").isLessThan(new BigDecimal("0.001"));
        assertThat(secondFill.lessonsLearned()).noneMatch(s -> s.contains("slipped"));

        double learned = f.engine.query(v -> v.venueStats().get(VENUE).avgSlippage()).get(10, TimeUnit.SECONDS);
        assertThat(learned).as("the venue learned its own slippage, not the market's drift").isLessThan(0.001);
    }

    private ExecReport awaitReport(String status) {
        await().atMost(WAIT).until(() -> f.reports.stream().anyMatch(r -> r.status().equals(status)));
        return f.reports.stream().filter(r -> r.status().equals(status)).findFirst().orElseThrow();
    }
}
