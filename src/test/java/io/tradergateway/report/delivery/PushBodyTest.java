package io.tradergateway.report.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PushBodyTest {

    @Test
    void embedsStoredReportsVerbatimInSequenceOrder() throws Exception {
        OutboxEntry first = new OutboxEntry(7, "rep-7", "{\"report_id\":\"rep-7\",\"executed_price\":101.50,\"fees\":0.000100}");
        OutboxEntry second = new OutboxEntry(8, "rep-8", "  {\"report_id\":\"rep-8\",\"what_worked\":[\"a \\\"quoted\\\" line\"]}\n");

        String body = PushBody.render("learning_systems", List.of(first, second));

        assertEquals("{\"consumer\":\"learning_systems\",\"reports\":["
                + "{\"report_id\":\"rep-7\",\"executed_price\":101.50,\"fees\":0.000100},"
                + "{\"report_id\":\"rep-8\",\"what_worked\":[\"a \\\"quoted\\\" line\"]}]}", body);
        JsonNode parsed = new ObjectMapper().readTree(body);
        assertEquals("rep-8", parsed.get("reports").get(1).get("report_id").asText());
    }

    @Test
    void refusesAStoredReportThatIsNotOneJsonObject() {
        for (String broken : List.of("{\"report_id\":", "[1,2]", "{} {}", "", "not json")) {
            OutboxEntry entry = new OutboxEntry(12, "rep-12", broken);
            PushBody.MalformedReportException e = assertThrows(PushBody.MalformedReportException.class,
                    () -> PushBody.render("alpha_detector", List.of(entry)), broken);
            assertTrue(e.getMessage().startsWith("outbox entry sequence 12 (report rep-12) is not a valid JSON object"), e.getMessage());
        }
    }
}
