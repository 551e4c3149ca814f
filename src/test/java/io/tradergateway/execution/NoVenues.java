package io.tradergateway.execution;

import java.util.Map;

/** A gateway with no venue at all: nothing is ever sent (engine tests where plans are refused before routing). */
public final class NoVenues implements VenueGateway {
    @Override
    public boolean send(OrderCommand command) {
        return false;
    }

    @Override
    public Map<String, Boolean> sessionStates() {
        return Map.of();
    }
}
