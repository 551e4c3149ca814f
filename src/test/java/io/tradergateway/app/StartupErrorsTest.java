package io.tradergateway.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** The one line printed for a start-up failure: messages of the cause chain, no repeats, no line breaks. */
class StartupErrorsTest {

    @Test
    void causesAreAppendedOnceAndLineBreaksFlattened() {
        SQLException sql = new SQLException("Connection is broken: \"ConnectException: Connection refused\"\n[90067-224]");
        IllegalStateException open = new IllegalStateException("cannot open database jdbc:h2:tcp://x/db: " + sql.getMessage(), sql);

        assertThat(StartupErrors.oneLine(open)).isEqualTo(
                "cannot open database jdbc:h2:tcp://x/db: Connection is broken: \"ConnectException: Connection refused\" [90067-224]");
    }

    @Test
    void wrapperWithoutItsOwnMessageIsSkippedAndTheCauseShown() {
        RuntimeException wrapper = new RuntimeException(new UncheckedIOException("disk gone", new IOException("EIO")));

        assertThat(StartupErrors.oneLine(wrapper)).isEqualTo("disk gone: EIO");
    }

    @Test
    void failureWithNoMessageAtAllIsNamedByItsType() {
        assertThat(StartupErrors.oneLine(new NullPointerException())).isEqualTo("NullPointerException");
    }
}
