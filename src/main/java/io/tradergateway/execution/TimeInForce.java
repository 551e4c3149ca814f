package io.tradergateway.execution;

public enum TimeInForce { DAY, IOC, FOK, GTD }
