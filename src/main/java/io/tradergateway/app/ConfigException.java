package io.tradergateway.app;

/** A setting is missing or malformed; the message is one line naming the key, printed at start-up. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
