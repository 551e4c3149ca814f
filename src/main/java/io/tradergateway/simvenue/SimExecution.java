package io.tradergateway.simvenue;

import io.tradergateway.domain.Side;

import java.math.BigDecimal;

/**
 * One fill the venue reported (ExecType=F), as sent: what tests compare when they check determinism or fees.
 *
 * @param fee the venue fee for this fill, sent in Commission(12) with CommType(13)=3 absolute
 */
public record SimExecution(String venue, String orderId, String execId, String clOrdId, String symbol, Side side,
                           BigDecimal quantity, BigDecimal price, BigDecimal fee) { }
