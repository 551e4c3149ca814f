package io.tradergateway.simvenue;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * What the venue does with the next valid NewOrderSingle instead of its normal behaviour (tests script it with
 * {@link SimVenue#scriptNext}). Validation rejects (unknown symbol, bad quantity or price) still happen first and do
 * not consume a scripted outcome.
 */
public final class ScriptedOutcome {
    /** The kinds of scripted outcome. */
    public enum Kind {
        /** Ack, then fill the whole quantity now (walking the book; any remainder at the last price / the limit). */
        FILL_ALL,
        /** Ack, fill {@link #quantity()} now, rest the remainder (never filled, except a limit the market crosses). */
        PARTIAL,
        /** Reject with {@link #text()} (ExecType=8, OrdRejReason=0 broker/exchange option). */
        REJECT,
        /** Ack and rest forever (until cancelled); never filled. */
        NEVER_FILL
    }

    private final Kind kind;
    private final BigDecimal quantity;
    private final String text;

    private ScriptedOutcome(Kind kind, BigDecimal quantity, String text) {
        this.kind = kind;
        this.quantity = quantity;
        this.text = text;
    }

    public static ScriptedOutcome fillAll() {
        return new ScriptedOutcome(Kind.FILL_ALL, null, null);
    }

    /** Fill {@code quantity} (capped at the order quantity), rest the remainder as a working order. */
    public static ScriptedOutcome partial(BigDecimal quantity) {
        if (quantity == null || quantity.signum() <= 0) {
            throw new IllegalArgumentException("partial fill quantity must be > 0: " + quantity);
        }
        return new ScriptedOutcome(Kind.PARTIAL, quantity, null);
    }

    public static ScriptedOutcome reject(String text) {
        return new ScriptedOutcome(Kind.REJECT, null, Objects.requireNonNull(text, "text"));
    }

    public static ScriptedOutcome neverFill() {
        return new ScriptedOutcome(Kind.NEVER_FILL, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The quantity to fill for {@link Kind#PARTIAL}, else null. */
    public BigDecimal quantity() {
        return quantity;
    }

    /** The reject text for {@link Kind#REJECT}, else null. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PARTIAL -> "partial(" + quantity.toPlainString() + ")";
            case REJECT -> "reject(" + text + ")";
            default -> kind.name().toLowerCase(Locale.ROOT);
        };
    }
}
