package io.tradergateway.execution;

import io.tradergateway.domain.ClOrdId;

import java.time.Instant;

/** A venue's OrderCancelReject (35=9): our cancel or replace request {@code clOrdId} for {@code origClOrdId} was refused. */
public record VenueCancelReject(String venue, ClOrdId clOrdId, ClOrdId origClOrdId, OrderStatus ordStatus,
                                boolean forReplace, String text, Instant receivedAt) {
}
