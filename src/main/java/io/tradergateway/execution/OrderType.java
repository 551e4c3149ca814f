package io.tradergateway.execution;

public enum OrderType { MARKET, LIMIT }
