package io.tradergateway.execution;

/**
 * The journal can no longer make the engine's changes durable (a failed append or fsync, or tables that cannot be
 * brought up to date). The engine stops rather than guess: nothing it decides from here could be recovered after a
 * restart. A restart replays what the journal holds.
 */
public final class JournalFailedException extends IllegalStateException {
    public JournalFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
