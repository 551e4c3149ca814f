package io.tradergateway.execution;

import io.tradergateway.domain.Instrument;
import io.tradergateway.market.BookLevel;
import io.tradergateway.market.BookSnapshot;
import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.store.Database;
import io.tradergateway.store.JdbcTradeJournal;
import io.tradergateway.system.Plans;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Write-ahead (SPEC: stored before anything leaves): at the very moment the engine hands a NewOrderSingle to the
 * venue, the order row with that ClOrdID and its plan are already committed. The fake venue checks this from its
 * own pooled connection, which sees committed rows only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WriteAheadTest {
    private static final String VENUE = "SIM_WAL";
    private static final String PLAN_ID = "wal-1";

    @TempDir
    Path dir;
    Database db;
    TradingEngine engine;
    final List<Observed> observed = new CopyOnWriteArrayList<>();

    /** What the database held, seen from another connection, when one NewOrderSingle was sent. */
    record Observed(OrderCommand.NewOrder order, Optional<String> orderRowPlanId, Optional<BigDecimal> orderRowQuantity,
                    Optional<String> planRowState) {
    }

    @BeforeEach
    void start() {
        db = Database.open("jdbc:h2:file:" + dir + "/db;WRITE_DELAY=0", "sa", "");
        VenueGateway checkingVenue = new VenueGateway() {
            @Override
            public boolean send(OrderCommand command) {
                if (command instanceof OrderCommand.NewOrder order) observed.add(readCommittedAt(order));
                return true;
            }

            @Override
            public Map<String, Boolean> sessionStates() {
                return Map.of(VENUE, true);
            }
        };
        engine = new TradingEngine(new JdbcTradeJournal(db), checkingVenue, List.of(VENUE), (report, json) -> { }, Clock.systemUTC(),
                new TradingEngine.Settings(new BigDecimal("1000000"), Duration.ofSeconds(60), 0.2, Duration.ZERO,
                        Duration.ofSeconds(1)));
        engine.start();
        engine.onSessionState(VENUE, true);
        engine.onInstruments(VENUE, List.of(new Instrument("AAPL", BigDecimal.ONE, new BigDecimal("0.01"))));
        engine.onMarketData(new BookSnapshot(VENUE, "AAPL",
                List.of(BookLevel.of("189.99", "100000")), List.of(BookLevel.of("190.01", "100000")),
                Optional.empty(), Instant.now()));
    }

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
        if (db != null) db.close();
    }

    @Test
    void orderRowAndPlanAreCommittedBeforeTheNewOrderSingleIsSent() throws Exception {
        String json = Plans.market(PLAN_ID, "AAPL", "long").toString();
        var parsed = (ParseResult.Parsed) new PlanParser().parse(json);

        assertThat(engine.submit(parsed.plan(), json).get(10, TimeUnit.SECONDS).httpStatus()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> !observed.isEmpty());

        Observed first = observed.get(0);
        assertThat(first.order().venue()).isEqualTo(VENUE);
        assertThat(first.orderRowPlanId()).as("order row of %s committed before send", first.order().clOrdId()).contains(PLAN_ID);
        assertThat(first.orderRowQuantity()).hasValueSatisfying(q -> assertThat(q).isEqualByComparingTo(first.order().quantity()));
        assertThat(first.planRowState()).as("plan row committed before send").isPresent();
    }

    private Observed readCommittedAt(OrderCommand.NewOrder order) {
        return db.read(c -> {
            Optional<String> planId = Optional.empty();
            Optional<BigDecimal> quantity = Optional.empty();
            try (PreparedStatement s = c.prepareStatement("SELECT plan_id, quantity FROM orders WHERE cl_ord_id = ?")) {
                s.setString(1, order.clOrdId().value());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        planId = Optional.of(rs.getString(1));
                        quantity = Optional.of(rs.getBigDecimal(2));
                    }
                }
            }
            Optional<String> planState = Optional.empty();
            try (PreparedStatement s = c.prepareStatement("SELECT state FROM plans WHERE plan_id = ?")) {
                s.setString(1, PLAN_ID);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) planState = Optional.of(rs.getString(1));
                }
            }
            return new Observed(order, planId, quantity, planState);
        });
    }
}
