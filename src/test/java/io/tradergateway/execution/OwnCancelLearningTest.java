package io.tradergateway.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Instrument;
import io.tradergateway.domain.OrderId;
import io.tradergateway.market.BookLevel;
import io.tradergateway.market.BookSnapshot;
import io.tradergateway.market.TradePrint;
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
 * Issue 10 item 9: an order we cancelled ourselves (plan cancel here; a TWAP slice coming due, the kill switch and our
 * expiry cancel take the same path) that ends without a fill was learned as a venue failure ({@code success = false}),
 * lowering the venue's success rate for our own decision. Real engine, real H2, a fake venue the test answers for.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OwnCancelLearningTest {
    private static final String VENUE = "V1";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Database db;
    private JdbcTradeJournal journal;
    private TradingEngine engine;
    private final List<OrderCommand> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        db = Database.open("jdbc:h2:file:" + dir + "/db;WRITE_DELAY=0", "sa", "");
        journal = new JdbcTradeJournal(db);
        VenueGateway fakeVenue = new VenueGateway() {
            @Override
            public boolean send(OrderCommand command) {
                sent.add(command);
                return true;
            }

            @Override
            public Map<String, Boolean> sessionStates() {
                return Map.of(VENUE, true);
            }
        };
        engine = new TradingEngine(journal, fakeVenue, List.of(VENUE), (report, json) -> { }, Clock.systemUTC(),
                new TradingEngine.Settings(new BigDecimal("1000000"), Duration.ofSeconds(60), 0.2, Duration.ZERO,
                        Duration.ofMillis(250)));
        engine.start();
        Instant now = Instant.now();
        engine.onSessionState(VENUE, true);
        engine.onInstruments(VENUE, List.of(new Instrument("AAPL", BigDecimal.ONE, new BigDecimal("0.01"))));
        engine.onMarketData(new BookSnapshot(VENUE, "AAPL",
                List.of(new BookLevel(new BigDecimal("189.99"), new BigDecimal("100000"))),
                List.of(new BookLevel(new BigDecimal("190.01"), new BigDecimal("100000"))),
                Optional.of(new TradePrint(VENUE, "AAPL", new BigDecimal("190.00"), BigDecimal.TEN, now)), now));
    }

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
        if (db != null) db.close();
    }

    @Test
    void anUnfilledOrderWeCancelledIsNoVenueFailure() throws Exception {
        ObjectNode plan = Plans.limit("own-cancel", "AAPL", "long", 180.00, VENUE); // rests below the market
        String json = plan.toString();
        var parsed = (ParseResult.Parsed) new PlanParser().parse(json);
        assertThat(engine.submit(parsed.plan(), json).get(10, TimeUnit.SECONDS).httpStatus()).isEqualTo(202);
        await().atMost(WAIT).until(() -> sent.stream().anyMatch(c -> c instanceof OrderCommand.NewOrder));
        var newOrder = (OrderCommand.NewOrder) sent.stream().filter(c -> c instanceof OrderCommand.NewOrder).findFirst().orElseThrow();
        Order order = journal.findOrder(newOrder.clOrdId()).orElseThrow();
        engine.onExecutionReport(report(order.clOrdId(), null, order, ExecType.NEW, OrderStatus.NEW));

        assertThat(engine.cancel("own-cancel").get(10, TimeUnit.SECONDS).httpStatus()).isLessThan(300);
        await().atMost(WAIT).until(() -> sent.stream().anyMatch(c -> c instanceof OrderCommand.Cancel));
        var cancel = (OrderCommand.Cancel) sent.stream().filter(c -> c instanceof OrderCommand.Cancel).findFirst().orElseThrow();
        engine.onExecutionReport(report(cancel.clOrdId(), order.clOrdId(), order, ExecType.CANCELED, OrderStatus.CANCELED));

        await().atMost(WAIT).until(() -> journal.findOrder(order.clOrdId()).orElseThrow().status() == OrderStatus.CANCELED);
        long samples = engine.query(view -> view.venueStats().get(VENUE).sampleCount()).get(10, TimeUnit.SECONDS);
        assertThat(samples).as("our own cancel taught the venue nothing").isZero();
    }

    private static VenueExecutionReport report(ClOrdId id, ClOrdId orig, Order order, ExecType type, OrderStatus status) {
        return new VenueExecutionReport(VENUE, id, orig, new OrderId("O-" + order.seqNo()), new ExecId("E-" + type + "-" + id),
                type, status, order.symbol(), order.side(), BigDecimal.ZERO, null, BigDecimal.ZERO,
                status == OrderStatus.CANCELED ? BigDecimal.ZERO : order.quantity(), BigDecimal.ZERO, null, null,
                Instant.now(), false, Instant.now());
    }
}
