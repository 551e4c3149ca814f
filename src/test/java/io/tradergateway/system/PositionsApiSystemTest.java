package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.simvenue.VenueProfile;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /v1/positions} end to end: signed quantity, average cost, realized P&L net of fees, and unrealized P&L
 * marked to the live market (the venues' books, moved with {@code setMid}, no trade printed).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PositionsApiSystemTest {
    /** Two ticks: the marks compared below are mids of books regenerated around the mid set by the test. */
    private static final BigDecimal TOLERANCE = new BigDecimal("0.02");

    @TempDir
    Path dir;
    GatewayHarness h;

    @BeforeEach
    void start() {
        h = GatewayHarness.start(dir, sim -> sim.withEveryProfile(VenueProfile::predictable), gw -> gw);
    }

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    @Test
    void longPositionIsMarkedToTheLiveBook() {
        assertThat(h.post("/v1/plans", Plans.market("pos-long", "AAPL", "long")).status()).isEqualTo(202);
        JsonNode filled = h.awaitReport("pos-long", r -> r.path("status").asText().equals("filled"));
        BigDecimal qty = filled.path("cumulative_quantity").decimalValue();
        BigDecimal avg = filled.path("avg_price").decimalValue();
        BigDecimal fee = filled.path("fees").decimalValue();

        JsonNode p = h.position("AAPL");
        assertThat(p.path("quantity").decimalValue()).isEqualByComparingTo(qty);
        assertThat(p.path("avg_price").decimalValue()).isEqualByComparingTo(avg);
        // An opening fill realizes nothing but its fee.
        assertThat(p.path("fees_paid").decimalValue()).isEqualByComparingTo(fee);
        assertThat(p.path("realized_pnl").decimalValue()).isEqualByComparingTo(fee.negate());
        assertUnrealizedConsistent(p);

        // The market rallies 10: the long gains about 10 a share.
        h.sim.setMid("AAPL", new BigDecimal("200.00"));
        JsonNode up = awaitMark("AAPL", "200.00");
        assertUnrealizedConsistent(up);
        assertThat(up.path("unrealized_pnl").decimalValue())
                .isCloseTo(new BigDecimal("200.00").subtract(avg).multiply(qty), within(qty));
        assertThat(up.path("unrealized_pnl").decimalValue().signum()).isPositive();

        // Then falls to 180: the same long is now under water.
        h.sim.setMid("AAPL", new BigDecimal("180.00"));
        JsonNode down = awaitMark("AAPL", "180.00");
        assertUnrealizedConsistent(down);
        assertThat(down.path("unrealized_pnl").decimalValue())
                .isCloseTo(new BigDecimal("180.00").subtract(avg).multiply(qty), within(qty));
        assertThat(down.path("unrealized_pnl").decimalValue().signum()).isNegative();
        // Marking changes nothing realized.
        assertThat(down.path("realized_pnl").decimalValue()).isEqualByComparingTo(fee.negate());
        assertThat(down.path("quantity").decimalValue()).isEqualByComparingTo(qty);
    }

    @Test
    void shortIsClosedInTwoPartsWithRealizedPnlNetOfFees() {
        assertThat(h.post("/v1/plans", Plans.market("pos-short", "MSFT", "short")).status()).isEqualTo(202);
        JsonNode opened = h.awaitReport("pos-short", r -> r.path("status").asText().equals("filled"));
        BigDecimal shortQty = opened.path("cumulative_quantity").decimalValue();
        BigDecimal shortAvg = opened.path("avg_price").decimalValue();
        BigDecimal openFee = opened.path("fees").decimalValue();
        JsonNode p = h.position("MSFT");
        assertThat(p.path("quantity").decimalValue()).isEqualByComparingTo(shortQty.negate());
        assertThat(p.path("avg_price").decimalValue()).isEqualByComparingTo(shortAvg);

        // The market falls: a short gains.
        h.sim.setMid("MSFT", new BigDecimal("405.00"));
        JsonNode marked = awaitMark("MSFT", "405.00");
        assertUnrealizedConsistent(marked);
        assertThat(marked.path("unrealized_pnl").decimalValue())
                .isCloseTo(shortAvg.subtract(new BigDecimal("405.00")).multiply(shortQty), within(shortQty));

        // A long plan of half the size buys part of the short back at the lower price.
        ObjectNode cover = Plans.market("pos-cover-1", "MSFT", "long");
        cover.put("position_size", 0.5);
        assertThat(h.post("/v1/plans", cover).status()).isEqualTo(202);
        JsonNode partial = h.awaitReport("pos-cover-1", r -> r.path("status").asText().equals("filled"));
        BigDecimal coverQty = partial.path("cumulative_quantity").decimalValue();
        BigDecimal coverPx = partial.path("avg_price").decimalValue();
        BigDecimal coverFee = partial.path("fees").decimalValue();
        assertThat(coverQty).isLessThan(shortQty);
        // (sold − bought) × quantity closed, less the closing fee.
        BigDecimal firstImpact = shortAvg.subtract(coverPx).multiply(coverQty).subtract(coverFee);
        assertThat(partial.path("pnl_impact").decimalValue()).isEqualByComparingTo(firstImpact);
        assertThat(firstImpact.signum()).isPositive();

        p = h.position("MSFT");
        BigDecimal left = shortQty.subtract(coverQty);
        assertThat(p.path("quantity").decimalValue()).isEqualByComparingTo(left.negate());
        // Average cost of what is still open does not change on a reduction.
        assertThat(p.path("avg_price").decimalValue()).isEqualByComparingTo(shortAvg);
        assertThat(p.path("realized_pnl").decimalValue()).isEqualByComparingTo(firstImpact.subtract(openFee));
        assertThat(p.path("fees_paid").decimalValue()).isEqualByComparingTo(openFee.add(coverFee));
        assertUnrealizedConsistent(p);

        // The rest is bought back after the market rose above the short price: a loss on that part.
        h.sim.setMid("MSFT", new BigDecimal("425.00"));
        awaitMark("MSFT", "425.00");
        ObjectNode rest = Plans.market("pos-cover-2", "MSFT", "long");
        rest.put("position_size", 0.5);
        assertThat(h.post("/v1/plans", rest).status()).isEqualTo(202);
        JsonNode second = h.awaitReport("pos-cover-2", r -> r.path("status").asText().equals("filled"));
        BigDecimal secondQty = second.path("cumulative_quantity").decimalValue();
        assertThat(secondQty).as("0.5 %% at 425 buys at most what is left").isLessThanOrEqualTo(left);
        BigDecimal secondImpact = shortAvg.subtract(second.path("avg_price").decimalValue()).multiply(secondQty)
                .subtract(second.path("fees").decimalValue());
        assertThat(second.path("pnl_impact").decimalValue()).isEqualByComparingTo(secondImpact);
        assertThat(secondImpact.signum()).isNegative();

        p = h.position("MSFT");
        assertThat(p.path("quantity").decimalValue()).isEqualByComparingTo(left.subtract(secondQty).negate());
        assertThat(p.path("realized_pnl").decimalValue())
                .isEqualByComparingTo(firstImpact.add(secondImpact).subtract(openFee));
        assertUnrealizedConsistent(p);
    }

    // ---------------------------------------------------------------- helpers

    /** Waits until the gateway marks the symbol within two ticks of {@code mid}, and returns that position. */
    private JsonNode awaitMark(String symbol, String mid) {
        BigDecimal target = new BigDecimal(mid);
        JsonNode[] seen = new JsonNode[1];
        await().atMost(GatewayHarness.WAIT).until(() -> {
            seen[0] = h.position(symbol);
            JsonNode mark = seen[0].path("mark_price");
            return mark.isNumber() && mark.decimalValue().subtract(target).abs().compareTo(TOLERANCE) <= 0;
        });
        return seen[0];
    }

    /** unrealized = (mark − avg) × signed quantity, exactly, as the API shows them. */
    private static void assertUnrealizedConsistent(JsonNode p) {
        BigDecimal expected = p.path("mark_price").decimalValue().subtract(p.path("avg_price").decimalValue())
                .multiply(p.path("quantity").decimalValue());
        assertThat(p.path("unrealized_pnl").decimalValue()).isEqualByComparingTo(expected);
    }

    private static Offset<BigDecimal> within(BigDecimal qty) {
        // Mark within two ticks of the mid: unrealized within 0.02 × quantity of the hand-computed figure.
        return Offset.offset(TOLERANCE.multiply(qty));
    }
}
