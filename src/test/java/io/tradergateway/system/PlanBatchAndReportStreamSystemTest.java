package io.tradergateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradergateway.intake.SseClient;
import io.tradergateway.report.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §3's two bulk calls against the gateway and the simulated venue: a plan batch answers each line as the same plan
 * posted alone would be answered, and the report stream carries every committed report in sequence order, resuming
 * after {@code Last-Event-ID}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PlanBatchAndReportStreamSystemTest {
    private static final String NDJSON = "application/x-ndjson";

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
    void eachLineOfABatchIsAnsweredAsTheSamePlanPostedAlone() throws Exception {
        HttpResponse<String> r = postBatch(String.join("\n", mix("batch")) + "\n");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(NDJSON);
        List<JsonNode> lines = ndjson(r.body());

        assertThat(lines).extracting(l -> l.path("status").asInt()).containsExactly(202, 202, 200, 409, 422, 400, 400);
        assertThat(lines).extracting(l -> l.path("plan_id").isNull() ? null : l.path("plan_id").asText())
                .containsExactly("batch-a", "batch-b", "batch-a", "batch-a", "batch-old", null, "batch-bad");
        assertThat(lines.get(4).path("errors").findValuesAsText("code")).contains("expired");
        assertThat(lines.get(5).path("errors").get(0).has("message")).isTrue();
        assertThat(lines.get(6).path("errors").findValuesAsText("field")).contains("symbol");
        assertThat(lines.get(0).path("state").isTextual()).isTrue();

        List<Integer> alone = new ArrayList<>();
        for (String plan : mix("solo")) {
            if (!plan.isBlank()) alone.add(h.text(request("/v1/plans", "application/json", plan)).statusCode());
        }
        assertThat(lines).extracting(l -> l.path("status").asInt()).containsExactlyElementsOf(alone);
        h.awaitReport("batch-b", rep -> rep.path("status").asText().equals("filled"));
    }

    @Test
    void aBatchOverTheLimitIs413AndAnOversizedLineIsA413LineOfItsOwn() throws Exception {
        HttpResponse<String> tooMany = postBatch("{}\n".repeat(10_001));
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(tooMany.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Json.MAPPER.readTree(tooMany.body()).path("code").asText()).isEqualTo("too_many_plans");

        ObjectNode huge = Plans.market("big-1", "AAPL", "long").put("execution_notes", "x".repeat(70_000));
        HttpResponse<String> r = postBatch(huge + "\n" + Plans.market("big-2", "MSFT", "long"));
        assertThat(ndjson(r.body())).extracting(l -> l.path("status").asInt()).containsExactly(413, 202);
    }

    @Test
    void theStreamCarriesEveryReportInOrderAndResumesAfterLastEventId() throws Exception {
        List<SseClient.Event> seen = new ArrayList<>();
        try (SseClient sse = SseClient.open(h.uri("/v1/exec-reports/stream?after=0"), GatewayHarness.TOKEN, null)) {
            assertThat(sse.status()).isEqualTo(200);
            String batch = Plans.market("sse-a", "AAPL", "long") + "\n" + Plans.market("sse-b", "MSFT", "short") + "\n";
            assertThat(ndjson(postBatch(batch).body())).extracting(l -> l.path("status").asInt()).containsExactly(202, 202);
            Set<String> filled = new HashSet<>();
            while (filled.size() < 2) {
                SseClient.Event e = sse.next();
                assertThat(e).as("the stream ended before both plans were filled").isNotNull();
                seen.add(e);
                JsonNode report = Json.MAPPER.readTree(e.data());
                assertThat(report.path("sequence").asLong()).isEqualTo(e.id());
                if (report.path("plan_id").asText().startsWith("sse-") && report.path("status").asText().equals("filled")) {
                    filled.add(report.path("plan_id").asText());
                }
            }
        }
        for (int i = 0; i < seen.size(); i++) assertThat(seen.get(i).id()).isEqualTo(i + 1);

        long resumeAfter = seen.get(seen.size() - 2).id();
        try (SseClient again = SseClient.open(h.uri("/v1/exec-reports/stream?after=0"), GatewayHarness.TOKEN,
                String.valueOf(resumeAfter))) {
            SseClient.Event next = again.next();
            assertThat(next.id()).isEqualTo(resumeAfter + 1);
            assertThat(next.data()).isEqualTo(seen.get(seen.size() - 1).data());
        }
    }

    /**
     * A new plan, another, a blank line, the first again, the first with other content, an expired plan, a line that is
     * not JSON, a plan without its symbol: 202, 202, (skipped), 200, 409, 422, 400, 400.
     */
    private static List<String> mix(String prefix) {
        ObjectNode a = Plans.market(prefix + "-a", "AAPL", "long");
        ObjectNode conflicting = a.deepCopy().put("position_size", 2.0);
        ObjectNode expired = Plans.market(prefix + "-old", "AAPL", "long");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        expired.put("created_at", now.minusSeconds(600).toString()).put("valid_until", now.minusSeconds(60).toString());
        ObjectNode noSymbol = Plans.market(prefix + "-bad", "AAPL", "long");
        noSymbol.remove("symbol");
        return List.of(a.toString(), Plans.market(prefix + "-b", "MSFT", "long").toString(), "  ", a.toString(),
                conflicting.toString(), expired.toString(), "not json {", noSymbol.toString());
    }

    private static HttpResponse<String> postBatch(String body) {
        return h.text(request("/v1/plans", NDJSON, body));
    }

    private static HttpRequest request(String path, String contentType, String body) {
        return HttpRequest.newBuilder(h.uri(path)).header("Authorization", "Bearer " + GatewayHarness.TOKEN)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static List<JsonNode> ndjson(String body) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : body.split("\n")) out.add(Json.MAPPER.readTree(line));
        return out;
    }
}
