package io.tradergateway.app;

public final class Main {
    public static void main(String[] args) {
        System.out.println("trader-gateway");
    }
}
