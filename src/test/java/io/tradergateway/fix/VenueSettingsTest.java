package io.tradergateway.fix;

import io.tradergateway.domain.Instrument;
import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.TimeInForce;
import io.tradergateway.execution.VenueCapabilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SPEC 4.2 venue keys: worked examples of each key, and every kind of bad value stopping start-up with one line. */
class VenueSettingsTest {
    private static final String SESSION = "FIX.4.4:GATEWAY->BROKER";
    private static final Map<String, String> ENV = Map.of("BROKER_USER", "trader7", "BROKER_PW", "s3cret!");

    private static VenueSettings parse(FixVersion version, Map<String, String> keys) {
        return VenueSettings.parse(SESSION, "BROKER", version, keys::get, ENV::get);
    }

    private static VenueSettings parse(Map<String, String> keys) {
        return parse(FixVersion.FIX44, keys);
    }

    private static Map<String, String> keys(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void nothingConfiguredIsTheDefaultsOfTheSimulatedVenue() {
        VenueSettings s = parse(Map.of());

        assertThat(s.capabilities()).isEqualTo(VenueCapabilities.defaults("BROKER"));
        assertThat(s.logonPassword()).isNull();
        assertThat(s.orderFields()).isEmpty();
    }

    @Test
    void aBrokerSessionWithEveryKey() {
        VenueSettings s = parse(keys(
                "Instruments", "AAPL:100:0.01, MSFT, BRK.A:1:1",
                "SecurityListRequest", "N",
                "MarketDataRequest", "n",
                "RouteOrders", "Y",
                "OrderTypes", "LIMIT",
                "TimeInForce", "DAY, gtc",
                "CancelRequest", "Y",
                "OrderStatusRequest", "N",
                "OrderFields", "1=ACC-7; 100=XNAS;21=1;",
                "LogonUsername", "${BROKER_USER}",
                "LogonPassword", "${BROKER_PW}"));

        VenueCapabilities c = s.capabilities();
        assertThat(c.fixVersion()).isEqualTo("FIX.4.4");
        assertThat(c.instruments()).containsExactly(
                new Instrument("AAPL", new BigDecimal("1E+2"), new BigDecimal("0.01")),
                new Instrument("MSFT", BigDecimal.ONE, new BigDecimal("0.01")),
                new Instrument("BRK.A", BigDecimal.ONE, BigDecimal.ONE));
        assertThat(c.instruments().get(0).lotSize()).isEqualByComparingTo("100");
        assertThat(c.securityListRequest()).isFalse();
        assertThat(c.marketDataRequest()).isFalse();
        assertThat(c.routeOrders()).isTrue();
        assertThat(c.orderTypes()).containsExactly(OrderType.LIMIT);
        assertThat(c.timeInForce()).containsExactlyInAnyOrder(TimeInForce.DAY, TimeInForce.GTC);
        assertThat(c.cancelRequest()).isTrue();
        assertThat(c.orderStatusRequest()).isFalse();
        assertThat(c.orderFields()).isEqualTo(Map.of(1, "ACC-7", 100, "XNAS", 21, "1"));
        assertThat(s.orderFields().keySet()).containsExactly(1, 21, 100);
        assertThat(c.logonUsername()).isEqualTo("trader7");
        assertThat(s.logonPassword()).isEqualTo("s3cret!");
        assertThat(s.toString()).doesNotContain("s3cret!").contains("LogonPassword=****");
    }

    @Test
    void aMarketDataOnlySession() {
        VenueCapabilities c = parse(keys("RouteOrders", "N", "Instruments", "SPY")).capabilities();

        assertThat(c.routeOrders()).isFalse();
        assertThat(c.marketDataRequest()).isTrue();
        assertThat(c.instruments()).extracting(Instrument::symbol).containsExactly("SPY");
    }

    @Test
    void literalCredentialsAreTakenAsTheyAre() {
        VenueSettings s = parse(keys("LogonUsername", "u1", "LogonPassword", "p1"));

        assertThat(s.capabilities().logonUsername()).isEqualTo("u1");
        assertThat(s.logonPassword()).isEqualTo("p1");
    }

    @Test
    void fix42HasNoSecurityListSoItIsNotAskedForByDefault() {
        VenueCapabilities c = parse(FixVersion.FIX42, keys("Instruments", "IBM")).capabilities();

        assertThat(c.fixVersion()).isEqualTo("FIX.4.2");
        assertThat(c.securityListRequest()).isFalse();
        assertThat(parse(FixVersion.FIX50SP2, Map.of()).capabilities().fixVersion()).isEqualTo("FIX.5.0SP2");
        assertThat(parse(FixVersion.FIX50SP2, Map.of()).capabilities().securityListRequest()).isTrue();
    }

    @Test
    void fix42WithSecurityListRequestYIsRefused() {
        assertThatThrownBy(() -> parse(FixVersion.FIX42, keys("SecurityListRequest", "Y")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("FIX session " + SESSION + ": SecurityListRequest=Y: FIX.4.2 has no SecurityListRequest");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "SecurityListRequest|yes|must be Y or N",
            "MarketDataRequest|1|must be Y or N",
            "RouteOrders|''|must be Y or N",
            "CancelRequest|true|must be Y or N",
            "OrderStatusRequest|X|must be Y or N",
            "OrderTypes|MARKET,STOP|unknown value STOP (known: MARKET,LIMIT)",
            "OrderTypes|''|names none",
            "OrderTypes|LIMIT,,MARKET|empty entry",
            "OrderTypes|LIMIT,limit|LIMIT is named twice",
            "TimeInForce|DAY,GTX|unknown value GTX (known: DAY,GTC,IOC,FOK,GTD)",
            "TimeInForce|''|names none",
            "Instruments|''|names no instrument",
            "Instruments|AAPL:100:0.01:7|malformed entry 'AAPL:100:0.01:7'",
            "Instruments|AAPL:0|lot '0' is not a positive number",
            "Instruments|AAPL:1:x|tick 'x' is not a positive number",
            "Instruments|AAPL,,MSFT|malformed entry ''",
            "Instruments|:100|malformed entry ':100'",
            "Instruments|AAPL,AAPL:10|AAPL is listed twice",
            "OrderFields|ACC=1|tag 'ACC' is not a number",
            "OrderFields|1|'1': no value",
            "OrderFields|1=|'1=': no value",
            "OrderFields|0=X|tag 0 is not a positive number",
            "OrderFields|55=IBM|tag 55 is set by the gateway itself",
            "OrderFields|1=A;1=B|tag 1 is given twice",
            "OrderFields|;|names no field",
            "LogonUsername|${NOBODY}|environment variable NOBODY is not set",
            "LogonUsername|x${BROKER_USER}|malformed; use a literal or exactly ${NAME}",
            "LogonPassword|${MISSING_PW}|environment variable MISSING_PW is not set",
    })
    void aBadValueStopsStartUpWithOneLineNamingSessionKeyAndValue(String key, String value, String why) {
        assertThatThrownBy(() -> parse(keys(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("FIX session " + SESSION + ": " + key + "=" + value + ": ")
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aLiteralPasswordIsNeverShownInTheError() {
        assertThatThrownBy(() -> parse(keys("LogonPassword", "hunter2${")))
                .hasMessage("FIX session " + SESSION + ": LogonPassword=****: malformed; use a literal or exactly ${NAME}")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void everyKeyIsKnown() {
        assertThat(VenueSettings.KEYS).hasSize(11).contains("Instruments", "OrderFields", "LogonPassword");
        assertThat(EnumSet.allOf(TimeInForce.class)).hasSize(5);
        assertThat(List.copyOf(parse(Map.of()).capabilities().timeInForce())).hasSize(5);
    }
}
