package io.tradergateway.intake;

import io.tradergateway.domain.Instrument;
import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.TimeInForce;
import io.tradergateway.execution.VenueCapabilities;
import io.tradergateway.fix.SessionStatus;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The venue parts of {@code GET /v1/venues} and {@code /health}: effective capabilities and the last session problem. */
class VenueStatusJsonTest {

    @Test
    void aBrokerSessionsCapabilitiesAsOperatorsReadThem() {
        VenueCapabilities broker = new VenueCapabilities("BROKER", "FIX.4.2",
                List.of(new Instrument("IBM", new BigDecimal("100"), new BigDecimal("0.01"))), false, false, true,
                EnumSet.of(OrderType.LIMIT), EnumSet.of(TimeInForce.GTC, TimeInForce.DAY), true, false,
                Map.of(100, "XNAS", 1, "ACC-7"), "trader7");

        assertThat(ApiQueries.capabilities(broker).toString()).isEqualTo("{\"fix_version\":\"FIX.4.2\","
                + "\"instruments\":[{\"symbol\":\"IBM\",\"lot_size\":100,\"tick_size\":0.01}],"
                + "\"security_list_request\":false,\"market_data_request\":false,\"route_orders\":true,"
                + "\"order_types\":[\"LIMIT\"],\"time_in_force\":[\"DAY\",\"GTC\"],\"cancel_request\":true,"
                + "\"order_status_request\":false,\"order_fields\":{\"1\":\"ACC-7\",\"100\":\"XNAS\"},"
                + "\"logon_username\":\"trader7\"}");
    }

    @Test
    void theLastProblemWithItsKindTextAndTime() {
        SessionStatus.Problem p = new SessionStatus.Problem(SessionStatus.Kind.LOGON_REFUSED,
                "logon refused by the venue: invalid password", Instant.parse("2026-11-25T10:00:00Z"));

        assertThat(ApiQueries.problem(p).toString()).isEqualTo("{\"kind\":\"logon_refused\","
                + "\"text\":\"logon refused by the venue: invalid password\",\"at\":\"2026-11-25T10:00:00Z\"}");
        assertThat(ApiQueries.problem(null).isNull()).isTrue();
    }
}
