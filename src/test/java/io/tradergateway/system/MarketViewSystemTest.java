package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.tradergateway.simvenue.BookSnapshot;
import io.tradergateway.simvenue.PriceLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code GET /v1/market/{symbol}}: the gateway's own view of a symbol's market (what entry conditions and routing
 * see), compared with what the simulated venues show. The simulated market is frozen: only the test moves it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MarketViewSystemTest {
    @TempDir
    static Path dir;
    static GatewayHarness h;

    @BeforeAll
    static void start() {
        h = GatewayHarness.start(dir);
    }

    @AfterAll
    static void stop() {
        if (h != null) h.close();
    }

    @Test
    void needsTheTokenAndASymbolSomeVenueLists() {
        int noToken = h.call(HttpRequest.newBuilder(h.uri("/v1/market/AAPL")).GET().build()).status();
        assertThat(noToken).isEqualTo(401);
        GatewayHarness.Response unknown = h.get("/v1/market/ZZZZ");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("detail").asText()).contains("ZZZZ");
    }

    @Test
    void showsEachVenuesBookAsTheVenueQuotesIt() {
        BigDecimal mid = new BigDecimal("400.00");
        h.sim.setMid("MSFT", mid);
        List<String> venues = List.of("SIM_CHEAP", "SIM_DEEP", "SIM_FAST");
        JsonNode view = h.awaitMarket("MSFT", v -> venues.stream().allMatch(venue ->
                matchesTop(entry(v, venue), h.sim.book(venue, "MSFT"))));

        assertThat(view.path("symbol").asText()).isEqualTo("MSFT");
        assertThat(view.path("venues").findValuesAsText("venue")).containsExactlyElementsOf(venues);
        for (String venue : venues) {
            BookSnapshot book = h.sim.book(venue, "MSFT");
            JsonNode e = entry(view, venue);
            assertThat(e.path("best_bid").path("size").decimalValue()).isEqualByComparingTo(book.bids().get(0).size());
            assertThat(e.path("best_offer").path("size").decimalValue()).isEqualByComparingTo(book.offers().get(0).size());
            assertThat(e.path("bid_levels").asInt()).isEqualTo(book.bids().size());
            assertThat(e.path("offer_levels").asInt()).isEqualTo(book.offers().size());
            assertThat(e.path("bid_depth").decimalValue()).isEqualByComparingTo(total(book.bids()));
            assertThat(e.path("offer_depth").decimalValue()).isEqualByComparingTo(total(book.offers()));
        }
        // SIM_DEEP is the deep venue, SIM_FAST the thin one (venues.json).
        assertThat(entry(view, "SIM_DEEP").path("offer_depth").decimalValue())
                .isGreaterThan(entry(view, "SIM_FAST").path("offer_depth").decimalValue());

        // NVDA is not listed by SIM_FAST: no book from it.
        assertThat(h.market("NVDA").path("venues").findValuesAsText("venue")).doesNotContain("SIM_FAST");
    }

    @Test
    void tracksTheLastTradeAndTheRollingWindow() {
        JsonNode before = h.market("SPY");
        assertThat(before.path("trades_in_window").asInt()).isZero(); // frozen market: no background trades
        assertThat(before.path("volume").decimalValue()).isZero();
        assertThat(before.path("volatility").isNull()).isTrue();
        assertThat(before.path("window_seconds").asLong()).isEqualTo(h.config.marketWindow().toSeconds());

        // One print is one trade at each venue listing SPY (three).
        int venues = before.path("venues").size();
        assertThat(venues).isEqualTo(3);
        h.sim.printTrade("SPY", new BigDecimal("521.00"), new BigDecimal("40"));
        JsonNode first = h.awaitMarket("SPY", v -> v.path("trades_in_window").asInt() == venues);
        assertThat(first.path("last_trade_price").decimalValue()).isEqualByComparingTo("521.00");
        assertThat(first.path("price").decimalValue()).isEqualByComparingTo("521.00");
        assertThat(first.path("volume").decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(40L * venues));
        assertThat(first.path("last_trade_venue").asText()).isIn("SIM_CHEAP", "SIM_DEEP", "SIM_FAST");
        // Three equal prices: measurable, and no movement at all.
        assertThat(first.path("volatility").asDouble()).isZero();

        h.sim.printTrade("SPY", new BigDecimal("530.00"), new BigDecimal("10"));
        JsonNode second = h.awaitMarket("SPY", v -> v.path("trades_in_window").asInt() == 2 * venues);
        assertThat(second.path("price").decimalValue()).isEqualByComparingTo("530.00");
        assertThat(second.path("volume").decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(50L * venues));
        // Log returns in arrival order: 0, 0, ln(530/521), 0, 0 -> their sample standard deviation.
        double[] returns = new double[2 * venues - 1];
        returns[venues - 1] = Math.log(530.0 / 521.0);
        assertThat(second.path("volatility").asDouble()).isCloseTo(sampleStdDev(returns), within(1e-9));
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode entry(JsonNode view, String venue) {
        for (JsonNode e : view.path("venues")) {
            if (e.path("venue").asText().equals(venue)) return e;
        }
        return MissingNode.getInstance();
    }

    private static boolean matchesTop(JsonNode entry, BookSnapshot book) {
        return !entry.isMissingNode()
                && entry.path("best_bid").path("price").decimalValue().compareTo(book.bestBid()) == 0
                && entry.path("best_offer").path("price").decimalValue().compareTo(book.bestOffer()) == 0;
    }

    private static BigDecimal total(List<PriceLevel> levels) {
        return levels.stream().map(PriceLevel::size).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static double sampleStdDev(double[] xs) {
        double mean = 0;
        for (double x : xs) mean += x / xs.length;
        double squares = 0;
        for (double x : xs) squares += (x - mean) * (x - mean);
        return Math.sqrt(squares / (xs.length - 1));
    }
}
