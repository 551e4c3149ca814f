package io.tradergateway.store;

import io.tradergateway.domain.ClOrdId;
import io.tradergateway.domain.Side;
import io.tradergateway.execution.JournalWrite;
import io.tradergateway.execution.Leg;
import io.tradergateway.execution.Order;
import io.tradergateway.execution.OrderStatus;
import io.tradergateway.execution.OrderType;
import io.tradergateway.execution.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 8: ClOrdIDs were {@code TG-<database id>-<MAX(seq_no)+1>}, so a data folder that went back in time (a
 * restored copy, or a power loss that lost unsynced commits) re-issued ClOrdIDs that had already gone to a venue. Each
 * run here issues ClOrdIDs as the engine does (the journal's prefix and the recovered order counter, each order
 * committed before it would be sent) on real H2 files.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClOrdIdAcrossRestartsTest {
    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dir;

    /** One gateway run on the data folder: opens it, issues {@code orders} ClOrdIDs, closes it. */
    private List<String> run(Path data, int orders) {
        List<String> issued = new ArrayList<>();
        try (Database db = Database.open("jdbc:h2:file:" + data.resolve("db"), "sa", "")) {
            JdbcTradeJournal journal = new JdbcTradeJournal(db);
            long seq = journal.recover().lastOrderSeqNo();
            for (int i = 0; i < orders; i++) {
                ClOrdId id = new ClOrdId(journal.clOrdIdPrefix() + "-" + ++seq);
                journal.commit(List.of(new JournalWrite.PutOrder(order(id, seq))));
                issued.add(id.value());
            }
        }
        return issued;
    }

    private static Order order(ClOrdId id, long seq) {
        return new Order(
                new Order.Origin(id, seq, "P-" + seq, Leg.ENTRY, 0, "VENUE_A", new BigDecimal("190"), 0.5, AT),
                new Order.Terms("AAPL", Side.BUY, OrderType.MARKET, TimeInForce.DAY, BigDecimal.TEN, null, null),
                Order.Progress.pendingNew(AT));
    }

    @Test
    void restartingFromAnOlderCopyOfTheDataFolderNeverReissuesAClOrdId() throws IOException {
        Path data = dir.resolve("data");
        Path copy = dir.resolve("copy");
        List<String> all = new ArrayList<>(run(data, 3));
        copyTree(data, copy);                 // the backup (or what survived a power loss)
        all.addAll(run(data, 4));             // the gateway runs on and sends more orders
        all.addAll(run(data, 2));             // and restarts once more
        deleteTree(data);
        copyTree(copy, data);                 // the older copy comes back
        all.addAll(run(data, 5));             // same order counter as the lost runs
        all.addAll(run(data, 2));

        assertThat(new HashSet<>(all)).as("every ClOrdID issued: %s", all).hasSize(all.size());
        assertThat(all).allSatisfy(id -> assertThat(id).matches("TG-[0-9A-Z]+-[0-9A-Z]+-[0-9]+").hasSizeLessThanOrEqualTo(26));
    }

    @Test
    void eachStartUpStoresANewEpochBeforeUse() {
        Path data = dir.resolve("data");
        String first;
        try (Database db = Database.open("jdbc:h2:file:" + data.resolve("db"), "sa", "")) {
            first = db.startEpoch();
        }
        try (Database db = Database.open("jdbc:h2:file:" + data.resolve("db"), "sa", "")) {
            assertThat(db.startEpoch()).isNotEqualTo(first).startsWith("2");
            assertThat(first).startsWith("1").hasSize(1 + Database.EPOCH_RANDOM_DIGITS);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(p -> {
                try {
                    Files.copy(p, to.resolve(from.relativize(p).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
