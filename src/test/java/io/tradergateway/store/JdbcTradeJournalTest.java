package io.tradergateway.store;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.ExecId;
import io.tradergateway.domain.Fill;
import io.tradergateway.domain.OrderId;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.execution.Leg;
import io.tradergateway.execution.Order;
import io.tradergateway.execution.OrderStatus;
import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.PlanState;
import io.tradergateway.execution.StoredPlan;
import io.tradergateway.execution.TimeInForce;
import io.tradergateway.execution.TradeJournal;
import io.tradergateway.position.Position;
import io.tradergateway.store.TestDatabase.OnEachDatabase;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The journal on each {@link TestDatabase} (H2 files in a temp folder, H2 in PostgreSQL mode, a real PostgreSQL when
 * configured): what one commit writes is read back as it was written, a failing commit leaves no row of itself
 * behind, and start-up can run the schema on an existing database.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdbcTradeJournalTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-25T10:00:00.100Z");
    private static final Instant SENT = Instant.parse("2026-11-25T10:00:00.150Z");
    private static final Instant FILLED_AT = Instant.parse("2026-11-25T10:00:00.420Z");
    private static final Instant LATER = Instant.parse("2026-11-25T10:00:05.000Z");

    /** Decimals are compared by value: the columns have a fixed scale and the journal strips trailing zeros. */
    private static final RecursiveComparisonConfiguration BY_VALUE = RecursiveComparisonConfiguration.builder()
            .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
            .build();

    @TempDir
    Path dir;
    private Database db;
    private JdbcTradeJournal journal;

    private final StoredPlan plan = new StoredPlan("P-1", "hash-1", "{\"plan_id\":\"P-1\",\"symbol\":\"AAPL\"}",
            "AAPL", PlanState.WORKING, "{\"entry_filled\":\"40\"}", RECEIVED, FILLED_AT);
    private final Order order = new Order(
            new Order.Origin(new ClOrdId("GWAB1-000001"), 1, "P-1", Leg.ENTRY, 0, "VENUE_A", new BigDecimal("189.50"),
                    0.73, RECEIVED),
            new Order.Terms("AAPL", Side.BUY, OrderType.LIMIT, TimeInForce.GTD, new BigDecimal("100"),
                    new BigDecimal("189.50"), Instant.parse("2026-11-25T16:00:00Z")),
            new Order.Progress(OrderStatus.PARTIALLY_FILLED, new BigDecimal("40"), new BigDecimal("189.27"),
                    new BigDecimal("0.40"), new OrderId("V-1"), SENT, FILLED_AT, null, 0, null));
    private final Fill fill = new Fill("VENUE_A", new ExecId("E-1"), order.clOrdId(), "AAPL", Side.BUY,
            new BigDecimal("40"), new BigDecimal("189.27"), new BigDecimal("0.40"), FILLED_AT);
    // Opening buy of 40 @ 189.27 with a 0.40 fee: realized P&L is -fee.
    private final Position position = new Position("AAPL", new BigDecimal("40"), new BigDecimal("189.27"),
            new BigDecimal("-0.40"), new BigDecimal("0.40"), FILLED_AT);

    private TestDatabase.Fresh fresh;

    private void open(TestDatabase database) {
        fresh = database.fresh(dir);
        db = fresh.open();
        journal = new JdbcTradeJournal(db);
    }

    @AfterEach
    void close() {
        if (db != null) db.close();
        if (fresh != null) fresh.close();
    }

    /** One fill's worth of state, as the engine commits it in one transaction. */
    private List<JournalWrite> firstFill() {
        return List.of(
                new JournalWrite.PutPlan(plan),
                new JournalWrite.PutOrder(order),
                new JournalWrite.PutFill(fill, "P-1"),
                new JournalWrite.PutPosition(position, FILLED_AT),
                new JournalWrite.PutReport(1, "R-1", "P-1", "GWAB1-000001", "partial", FILLED_AT, "{\"sequence\":1}"),
                new JournalWrite.PutVenueStats("VENUE_A", "{\"fills\":1}", FILLED_AT));
    }

    /**
     * {@code GET /v1/plans/{id}} lists the plan's fills: the query must reach them through an index (the plan's orders,
     * then the fills of each ClOrdID), not read every fill the gateway ever booked.
     */
    @Test
    void aPlansFillsAreFoundThroughIndexesNotByReadingEveryFill() {
        open(TestDatabase.H2_FILE);
        journal.commit(firstFill());
        String plan = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + JdbcTradeJournal.FILLS_OF_PLAN)) {
                ps.setString(1, "P-1");
                ps.setString(2, "P-1");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertThat(plan).doesNotContainIgnoringCase("tableScan").containsIgnoringCase("fills_order")
                .containsIgnoringCase("orders_plan");
        assertThat(journal.fillsOfPlan("P-1")).extracting(row -> row.get("exec_id")).containsExactly("E-1");
    }

    @OnEachDatabase
    void oneCommitIsReadBackAsWritten(TestDatabase database) {
        open(database);
        journal.commit(firstFill());

        assertThat(journal.findPlan("P-1")).contains(plan);
        assertThat(journal.findPlan("P-404")).isEmpty();

        assertThat(journal.fillExists("VENUE_A", fill.clOrdId(), new ExecId("E-1"))).isTrue();
        assertThat(journal.fillExists("VENUE_B", fill.clOrdId(), new ExecId("E-1"))).as("fills are keyed by (venue, ClOrdID, ExecID)")
                .isFalse();
        assertThat(journal.fillExists("VENUE_A", fill.clOrdId(), new ExecId("E-2"))).isFalse();
        assertThat(journal.fillExists("VENUE_A", new ClOrdId("OTHER-ORDER"), new ExecId("E-1")))
                .as("a venue that restarted numbers ExecIDs from 1 again: the same ExecID of another order is another fill")
                .isFalse();

        assertThat(journal.ordersOfPlan("P-1")).usingRecursiveFieldByFieldElementComparator(BY_VALUE).containsExactly(order);
        assertThat(journal.ordersOfPlan("P-404")).isEmpty();
        assertThat(journal.findOrder(order.clOrdId())).get().usingRecursiveComparison(BY_VALUE).isEqualTo(order);
        assertThat(journal.findOrder(new ClOrdId("TG-NOPE-1"))).isEmpty();

        assertThat(journal.fillsOfPlan("P-1")).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("venue", "VENUE_A").containsEntry("exec_id", "E-1")
                    .containsEntry("cl_ord_id", "GWAB1-000001").containsEntry("side", "buy")
                    .containsEntry("exec_time", FILLED_AT);
            assertThat((BigDecimal) row.get("quantity")).isEqualByComparingTo("40");
            assertThat((BigDecimal) row.get("price")).isEqualByComparingTo("189.27");
            assertThat((BigDecimal) row.get("fee")).isEqualByComparingTo("0.40");
        });

        TradeJournal.Recovered recovered = journal.recover();
        assertThat(recovered.openPlans()).containsExactly(plan);
        assertThat(recovered.openOrders()).usingRecursiveFieldByFieldElementComparator(BY_VALUE).containsExactly(order);
        assertThat(recovered.ordersOfOpenPlans()).usingRecursiveFieldByFieldElementComparator(BY_VALUE).containsExactly(order);
        assertThat(recovered.positions()).usingRecursiveFieldByFieldElementComparator(BY_VALUE).containsExactly(position);
        assertThat(recovered.venueStatsJson()).containsExactlyEntriesOf(Map.of("VENUE_A", "{\"fills\":1}"));
        assertThat(recovered.lastReportSequence()).isEqualTo(1);
        assertThat(recovered.lastOrderSeqNo()).isEqualTo(1);
    }

    @OnEachDatabase
    void laterCommitsUpdateTheSameRows(TestDatabase database) {
        open(database);
        journal.commit(firstFill());

        // The rest of the order fills: 60 @ 189.30, avg (40 × 189.27 + 60 × 189.30) / 100 = 189.288.
        StoredPlan filledPlan = new StoredPlan("P-1", "hash-1", plan.planJson(), "AAPL", PlanState.FILLED,
                "{\"entry_filled\":\"100\"}", RECEIVED, LATER);
        Order filledOrder = order.withFill(new BigDecimal("60"), new BigDecimal("189.30"), new BigDecimal("0.60"))
                .withStatus(OrderStatus.FILLED, "filled");
        Fill secondFill = new Fill("VENUE_A", new ExecId("E-2"), order.clOrdId(), "AAPL", Side.BUY,
                new BigDecimal("60"), new BigDecimal("189.30"), new BigDecimal("0.60"), LATER);
        Position fullPosition = new Position("AAPL", new BigDecimal("100"), new BigDecimal("189.288"),
                new BigDecimal("-1.00"), new BigDecimal("1.00"), FILLED_AT);
        journal.commit(List.of(
                new JournalWrite.PutPlanProgress("P-1", PlanState.FILLED, "{\"entry_filled\":\"100\"}", LATER),
                new JournalWrite.PutOrder(filledOrder),
                new JournalWrite.PutFill(secondFill, "P-1"),
                new JournalWrite.PutPosition(fullPosition, LATER),
                new JournalWrite.PutReport(2, "R-2", "P-1", "GWAB1-000001", "filled", LATER, "{\"sequence\":2}"),
                new JournalWrite.PutVenueStats("VENUE_A", "{\"fills\":2}", LATER)));

        assertThat(filledOrder.avgPx()).isEqualByComparingTo("189.288");
        assertThat(journal.findPlan("P-1")).contains(filledPlan);
        assertThat(journal.ordersOfPlan("P-1")).usingRecursiveFieldByFieldElementComparator(BY_VALUE)
                .containsExactly(filledOrder);
        assertThat(journal.fillsOfPlan("P-1")).extracting(row -> row.get("exec_id")).containsExactly("E-1", "E-2");

        TradeJournal.Recovered recovered = journal.recover();
        assertThat(recovered.openPlans()).as("a FILLED plan is terminal").isEmpty();
        assertThat(recovered.openOrders()).as("a FILLED order is terminal").isEmpty();
        assertThat(recovered.ordersOfOpenPlans()).isEmpty();
        assertThat(recovered.positions()).usingRecursiveFieldByFieldElementComparator(BY_VALUE).containsExactly(fullPosition);
        assertThat(recovered.venueStatsJson()).containsExactlyEntriesOf(Map.of("VENUE_A", "{\"fills\":2}"));
        assertThat(recovered.lastReportSequence()).isEqualTo(2);
    }

    @OnEachDatabase
    void progressOfAPlanWithoutItsFirstRowFailsTheCommit(TestDatabase database) {
        open(database);
        journal.commit(firstFill());

        assertThatThrownBy(() -> journal.commit(List.of(
                new JournalWrite.PutReport(2, "R-2", "P-1", null, "cancelled", LATER, "{}"),
                new JournalWrite.PutPlanProgress("P-unknown", PlanState.FILLED, "{}", LATER))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("progress of plan P-unknown, which has no row");
        assertOnlyTheFirstCommitIsThere();
    }

    @OnEachDatabase
    void aFailingCommitRollsBackEveryRowOfThatCommit(TestDatabase database) {
        open(database);
        journal.commit(firstFill());

        List<JournalWrite> failing = new ArrayList<>(rowsOfAnotherPlanAndUpdatesOfTheFirst());
        // Sequence 1 is taken: the outbox's primary key refuses the row, after all the others were written.
        failing.add(new JournalWrite.PutReport(1, "R-dup", "P-2", "GWAB1-000002", "filled", LATER, "{}"));

        assertThatThrownBy(() -> journal.commit(failing))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("journal commit of " + failing.size() + " rows failed");

        assertOnlyTheFirstCommitIsThere();
        // The writer connection is usable again after the rollback.
        journal.commit(List.of(new JournalWrite.PutReport(2, "R-2", "P-1", null, "cancelled", LATER, "{}")));
        assertThat(journal.recover().lastReportSequence()).isEqualTo(2);
    }

    @OnEachDatabase
    void aReSentFillInsideACommitRollsItBack(TestDatabase database) {
        open(database);
        journal.commit(firstFill());

        List<JournalWrite> failing = new ArrayList<>(rowsOfAnotherPlanAndUpdatesOfTheFirst());
        failing.add(new JournalWrite.PutReport(2, "R-2", "P-2", "GWAB1-000002", "partial", LATER, "{}"));
        failing.add(new JournalWrite.PutFill(fill, "P-1")); // (VENUE_A, E-1) again

        assertThatThrownBy(() -> journal.commit(failing)).isInstanceOf(IllegalStateException.class);

        assertOnlyTheFirstCommitIsThere();
    }

    /** Inserts for a new plan P-2 and updates of P-1's rows: all of them must vanish with a rollback. */
    private List<JournalWrite> rowsOfAnotherPlanAndUpdatesOfTheFirst() {
        StoredPlan plan2 = new StoredPlan("P-2", "hash-2", "{\"plan_id\":\"P-2\"}", "MSFT", PlanState.WORKING, "{}",
                LATER, LATER);
        Order order2 = new Order(
                new Order.Origin(new ClOrdId("GWAB1-000002"), 2, "P-2", Leg.ENTRY, 0, "VENUE_B",
                        new BigDecimal("410.00"), 0.5, LATER),
                new Order.Terms("MSFT", Side.SELL, OrderType.MARKET, TimeInForce.IOC, new BigDecimal("10"), null, null),
                new Order.Progress(OrderStatus.FILLED, new BigDecimal("10"), new BigDecimal("410.10"),
                        new BigDecimal("0.10"), new OrderId("V-9"), LATER, LATER, null, 0, null));
        Fill fill2 = new Fill("VENUE_B", new ExecId("E-9"), order2.clOrdId(), "MSFT", Side.SELL, new BigDecimal("10"),
                new BigDecimal("410.10"), new BigDecimal("0.10"), LATER);
        Position msft = new Position("MSFT", new BigDecimal("-10"), new BigDecimal("410.10"), new BigDecimal("-0.10"),
                new BigDecimal("0.10"), LATER);
        Position aaplClosed = new Position("AAPL", BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("5"),
                new BigDecimal("1"), null);
        return List.of(
                new JournalWrite.PutPlan(new StoredPlan("P-1", "hash-1", plan.planJson(), "AAPL", PlanState.CLOSED,
                        "{}", RECEIVED, LATER)),
                new JournalWrite.PutOrder(order.withStatus(OrderStatus.CANCELED, "cancelled")),
                new JournalWrite.PutPlan(plan2),
                new JournalWrite.PutOrder(order2),
                new JournalWrite.PutFill(fill2, "P-2"),
                new JournalWrite.PutPosition(msft, LATER),
                new JournalWrite.PutPosition(aaplClosed, LATER),
                new JournalWrite.PutVenueStats("VENUE_B", "{\"fills\":1}", LATER));
    }

    private void assertOnlyTheFirstCommitIsThere() {
        assertThat(journal.findPlan("P-1")).contains(plan);
        assertThat(journal.findPlan("P-2")).isEmpty();
        assertThat(journal.ordersOfPlan("P-1")).usingRecursiveFieldByFieldElementComparator(BY_VALUE).containsExactly(order);
        assertThat(journal.ordersOfPlan("P-2")).isEmpty();
        assertThat(journal.fillExists("VENUE_B", fill.clOrdId(), new ExecId("E-9"))).isFalse();
        assertThat(journal.fillsOfPlan("P-1")).hasSize(1);
        TradeJournal.Recovered recovered = journal.recover();
        assertThat(recovered.openPlans()).containsExactly(plan);
        assertThat(recovered.positions()).usingRecursiveFieldByFieldElementComparator(BY_VALUE).containsExactly(position);
        assertThat(recovered.venueStatsJson()).containsOnlyKeys("VENUE_A");
        assertThat(recovered.lastReportSequence()).isEqualTo(1);
        assertThat(recovered.lastOrderSeqNo()).isEqualTo(1);
    }

    @OnEachDatabase
    void reopeningRunsTheSchemaAgainAndKeepsTheData(TestDatabase database) {
        open(database);
        journal.commit(firstFill());
        String instanceId = journal.instanceId();
        assertThat(instanceId).isNotBlank();
        db.close();

        db = fresh.open();
        journal = new JdbcTradeJournal(db);

        assertThat(journal.instanceId()).as("the instance id is created once per database").isEqualTo(instanceId);
        assertThat(journal.findPlan("P-1")).contains(plan);
        assertThat(journal.fillExists("VENUE_A", fill.clOrdId(), new ExecId("E-1"))).isTrue();
        assertThat(journal.recover().lastReportSequence()).isEqualTo(1);

        db.close();
        db = fresh.open();
        assertThat(new JdbcTradeJournal(db).recover().openPlans()).containsExactly(plan);
    }

    @OnEachDatabase
    void averagePriceWithMoreDecimalsThanTheColumnIsRoundedNotRefused(TestDatabase database) {
        open(database);
        // 1 @ 100 then 2 @ 100.01: avg = 300.02 / 3 = 100.00666..., kept by Order.withFill to 16 digits
        // (100.0066666666667, 13 decimals) while orders.avg_px is DECIMAL(24, 10): the database rounds, the commit succeeds.
        Order base = new Order(
                new Order.Origin(order.clOrdId(), 1, "P-1", Leg.ENTRY, 0, "VENUE_A", new BigDecimal("100"), 0.5,
                        RECEIVED),
                new Order.Terms("AAPL", Side.BUY, OrderType.MARKET, TimeInForce.IOC, new BigDecimal("3"), null, null),
                new Order.Progress(OrderStatus.NEW, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null, SENT,
                        null, null, 0, null));
        Order filled = base.withFill(new BigDecimal("1"), new BigDecimal("100"), BigDecimal.ZERO)
                .withFill(new BigDecimal("2"), new BigDecimal("100.01"), BigDecimal.ZERO)
                .withStatus(OrderStatus.FILLED, null);
        assertThat(filled.avgPx()).isEqualTo(new BigDecimal("100.0066666666667"));

        journal.commit(List.of(new JournalWrite.PutPlan(plan), new JournalWrite.PutOrder(filled)));

        assertThat(journal.ordersOfPlan("P-1")).singleElement()
                .satisfies(o -> assertThat(o.avgPx()).isEqualByComparingTo("100.0066666667"));
    }

    @OnEachDatabase
    void aNulCharacterInTheVenuesTextIsStoredAsAReplacementCharacter(TestDatabase database) {
        open(database);
        Order rejected = order.withStatus(OrderStatus.REJECTED, "unknown symbol\u0000 (venue text)");

        journal.commit(List.of(new JournalWrite.PutPlan(plan), new JournalWrite.PutOrder(rejected)));

        assertThat(journal.findOrder(order.clOrdId())).get().extracting(Order::text)
                .isEqualTo("unknown symbol\uFFFD (venue text)");
    }

    @OnEachDatabase
    void emptyCommitWritesNothing(TestDatabase database) {
        open(database);
        journal.commit(List.of());

        TradeJournal.Recovered recovered = journal.recover();
        assertThat(recovered.openPlans()).isEmpty();
        assertThat(recovered.positions()).isEmpty();
        assertThat(recovered.lastReportSequence()).isZero();
        assertThat(recovered.lastOrderSeqNo()).isZero();
    }
}
