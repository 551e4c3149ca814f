package io.tradergateway.execution;

import java.util.LinkedHashMap;
import java.util.Map;

/** The engine's view of the venues: send commands, know which sessions are up. Implemented by the FIX adapter. */
public interface VenueGateway {
    /**
     * Sends the command, or hands it to the adapter to send: false when nothing will be sent (the venue's session is not
     * logged on, or the venue takes no such message). An adapter that sends later reports a NewOrderSingle that did not
     * leave through {@link VenueEventSink#onOrderNotSent}.
     */
    boolean send(OrderCommand command);

    /**
     * Whether the venue's session would take {@code command} now (logged on): the engine decides with it whether an order
     * goes, before {@link #send} runs, which happens once the order's row is durable.
     */
    default boolean accepts(OrderCommand command) {
        return !Boolean.FALSE.equals(sessionStates().get(command.venue()));
    }

    /** Session state per venue name: true when logged on. */
    Map<String, Boolean> sessionStates();

    /** What each venue can take (SPEC 4.2), by venue name; the defaults when nothing is configured. */
    default Map<String, VenueCapabilities> capabilities() {
        Map<String, VenueCapabilities> out = new LinkedHashMap<>();
        sessionStates().keySet().forEach(v -> out.put(v, VenueCapabilities.defaults(v)));
        return out;
    }
}
