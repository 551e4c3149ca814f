package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A venue names a cancelled order by our cancel request id; the engine must find the order it was for. */
class CancelRequestIdTest {
    @Test
    void aCancelRequestIdLeadsBackToItsOrder() {
        assertThat(Execution.cancelledOrderOf(new ClOrdId("TG-5TYQG-4-C1"))).contains(new ClOrdId("TG-5TYQG-4"));
        assertThat(Execution.cancelledOrderOf(new ClOrdId("TG-5TYQG-4-C12"))).contains(new ClOrdId("TG-5TYQG-4"));
    }

    @Test
    void anOrderIdOrAForeignIdIsNotACancelRequestId() {
        assertThat(Execution.cancelledOrderOf(new ClOrdId("TG-5TYQG-4"))).isEmpty();
        assertThat(Execution.cancelledOrderOf(new ClOrdId("TG-C1234-7"))).isEmpty();
        assertThat(Execution.cancelledOrderOf(new ClOrdId("-C1"))).isEmpty();
        assertThat(Execution.cancelledOrderOf(new ClOrdId("TG-5TYQG-4-Cx"))).isEmpty();
    }
}
