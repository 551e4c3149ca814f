package io.tradergateway.execution;

import io.tradergateway.domain.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VenueOrderTermsTest {
    private static VenueCapabilities venue(EnumSet<OrderType> types, EnumSet<TimeInForce> tifs) {
        return new VenueCapabilities("V", VenueCapabilities.FIX42, List.of(), false, false, true, types, tifs, true, true,
                Map.of(), null);
    }

    @Test
    void aVenueThatTakesEveryTifGetsTheOneWanted() {
        VenueCapabilities all = VenueCapabilities.defaults("V");
        for (TimeInForce tif : TimeInForce.values()) {
            assertThat(VenueOrderTerms.wireTif(all, tif)).isEqualTo(tif);
            assertThat(VenueOrderTerms.emulatesImmediate(all, tif)).isFalse();
        }
    }

    @Test
    void dayOnlyVenueGetsDayAndTheGatewayEmulatesIocAndGtd() {
        VenueCapabilities dayOnly = venue(EnumSet.of(OrderType.LIMIT), EnumSet.of(TimeInForce.DAY));
        assertThat(VenueOrderTerms.wireTif(dayOnly, TimeInForce.IOC)).isEqualTo(TimeInForce.DAY);
        assertThat(VenueOrderTerms.wireTif(dayOnly, TimeInForce.GTD)).isEqualTo(TimeInForce.DAY);
        assertThat(VenueOrderTerms.wireTif(dayOnly, TimeInForce.GTC)).isEqualTo(TimeInForce.DAY);
        assertThat(VenueOrderTerms.emulatesImmediate(dayOnly, TimeInForce.IOC)).isTrue();
        assertThat(VenueOrderTerms.emulatesImmediate(dayOnly, TimeInForce.GTD)).isFalse();
    }

    @Test
    void gtcVenueReplacesDayAndGtdByGtc() {
        VenueCapabilities gtc = venue(EnumSet.of(OrderType.LIMIT), EnumSet.of(TimeInForce.GTC, TimeInForce.IOC));
        assertThat(VenueOrderTerms.wireTif(gtc, TimeInForce.DAY)).isEqualTo(TimeInForce.GTC);
        assertThat(VenueOrderTerms.wireTif(gtc, TimeInForce.GTD)).isEqualTo(TimeInForce.GTC);
        assertThat(VenueOrderTerms.wireTif(gtc, TimeInForce.IOC)).isEqualTo(TimeInForce.IOC);
    }

    @Test
    void marketableLimitIsCappedByMaxSlippageOnTheTickGrid() {
        // buy at 100.00 with 10 bps: 100.10; a sell: 99.90
        assertThat(VenueOrderTerms.marketableLimit(Side.BUY, new BigDecimal("100.00"), new BigDecimal("0.001"),
                new BigDecimal("0.01"))).isEqualByComparingTo("100.10");
        assertThat(VenueOrderTerms.marketableLimit(Side.SELL, new BigDecimal("100.00"), new BigDecimal("0.001"),
                new BigDecimal("0.01"))).isEqualByComparingTo("99.90");
        // 187.33 * 1.0005 = 187.4236...: a buy rounds down to 187.42 (never beyond the cap)
        assertThat(VenueOrderTerms.marketableLimit(Side.BUY, new BigDecimal("187.33"), new BigDecimal("0.0005"),
                new BigDecimal("0.01"))).isEqualByComparingTo("187.42");
        // 187.33 * 0.9995 = 187.2363...: a sell rounds up to 187.24
        assertThat(VenueOrderTerms.marketableLimit(Side.SELL, new BigDecimal("187.33"), new BigDecimal("0.0005"),
                new BigDecimal("0.01"))).isEqualByComparingTo("187.24");
    }
}
