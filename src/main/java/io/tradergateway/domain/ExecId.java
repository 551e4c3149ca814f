package io.tradergateway.domain;

import java.util.Objects;

/** The venue's identifier of one execution report (FIX tag 17); (venue, ExecID) identifies a fill. */
public record ExecId(String value) {
    public ExecId {
        Objects.requireNonNull(value, "ExecID");
    }

    @Override
    public String toString() {
        return value;
    }
}
