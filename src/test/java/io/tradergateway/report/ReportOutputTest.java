package io.tradergateway.report;

import io.tradergateway.plan.ParseResult;
import io.tradergateway.plan.PlanIssue;
import io.tradergateway.plan.PlanParser;
import io.tradergateway.plan.TradingPlan;
import io.tradergateway.system.Plans;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The report output stage sends and logs the JSON text the journal wrote, in sequence order: the streams on the thread
 * that publishes (no hand-off before a stream's client hears of a fill), then the reports log and the listeners.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReportOutputTest {
    @TempDir
    Path dir;

    private static ExecReport report(String planId, long sequence) {
        String json = Plans.market(planId, "AAPL", "long").toString();
        TradingPlan plan = ((ParseResult.Parsed) new PlanParser().parse(json)).plan();
        ReportFactory factory = new ReportFactory(Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
        ExecReport failed = factory.validationFailed(plan, List.of(new PlanIssue("test", "plan_id", "a test")), null, null);
        return ReportFactory.withSequence(failed, sequence);
    }

    @Test
    void theJournalsTextIsWhatStreamsAndTheReportsLogGet() throws IOException {
        Path file = dir.resolve("reports.ndjson");
        List<String> streamed = new CopyOnWriteArrayList<>();
        List<String> streamThreads = new CopyOnWriteArrayList<>();
        List<Long> told = new CopyOnWriteArrayList<>();
        try (ReportsLog log = new ReportsLog(file);
             ReportOutput output = new ReportOutput(log, (json, sequence) -> {
                 streamed.add(sequence + " " + json);
                 streamThreads.add(Thread.currentThread().getName());
             }, List.of(told::add))) {
            // Texts that Json.write of the reports would not give: were the stage to write the JSON again, they would differ.
            output.publish(report("P-1", 1), JsonText.of("{\"sequence\":1,\"as\":\"journaled\"}"));
            output.publish(report("P-2", 2), JsonText.of("{\"sequence\":2,\"as\":\"journaled\"}"));
            ExecReport unwritten = report("P-3", 3);
            output.publish(unwritten, JsonText.later(unwritten));
            await().atMost(10, TimeUnit.SECONDS).until(() -> told.contains(3L));
        }

        assertThat(streamed).hasSize(3);
        assertThat(streamThreads).as("told on the publishing thread").containsOnly(Thread.currentThread().getName());
        assertThat(streamed.subList(0, 2)).containsExactly("1 {\"sequence\":1,\"as\":\"journaled\"}",
                "2 {\"sequence\":2,\"as\":\"journaled\"}");
        assertThat(streamed.get(2)).as("a report whose text the journal had not written yet has it written here")
                .startsWith("3 {").contains("\"plan_id\":\"P-3\"");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.subList(0, 2)).containsExactly("{\"sequence\":1,\"as\":\"journaled\"}",
                "{\"sequence\":2,\"as\":\"journaled\"}");
        assertThat(lines.get(2)).isEqualTo(streamed.get(2).substring(2));
    }
}
