package io.tradergateway.execution;

/** Time in force of an order (FIX 59): DAY 0, GTC 1, IOC 3, FOK 4, GTD 6. */
public enum TimeInForce { DAY, GTC, IOC, FOK, GTD }
