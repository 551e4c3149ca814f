package io.tradergateway.execution;

/** What a venue ExecutionReport says happened (FIX tag 150), in domain terms. */
public enum ExecType {
    PENDING_NEW, NEW, TRADE, PENDING_CANCEL, CANCELED, PENDING_REPLACE, REPLACED, REJECTED, EXPIRED, ORDER_STATUS, OTHER
}
