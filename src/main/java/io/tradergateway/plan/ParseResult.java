package io.tradergateway.plan;

import java.util.List;
import java.util.Objects;

/**
 * Outcome of {@link PlanParser}: either a well-formed {@link Parsed plan} or the complete list of
 * {@link Malformed schema errors} (answered with HTTP 400).
 */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Malformed {

    /** True when a plan was parsed. */
    boolean isParsed();

    /** The schema errors; empty when a plan was parsed. */
    List<FieldError> errors();

    /**
     * A well-formed plan.
     *
     * @param plan        the plan
     * @param ignoredKeys top-level keys the parser does not know and tolerated (forward compatibility); worth logging
     */
    record Parsed(TradingPlan plan, List<String> ignoredKeys) implements ParseResult {
        public Parsed {
            Objects.requireNonNull(plan, "plan");
            ignoredKeys = List.copyOf(ignoredKeys);
        }

        @Override
        public boolean isParsed() {
            return true;
        }

        @Override
        public List<FieldError> errors() {
            return List.of();
        }
    }

    /** Every schema error found in the document (never just the first one); never empty. */
    record Malformed(List<FieldError> errors) implements ParseResult {
        public Malformed {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) throw new IllegalArgumentException("Malformed needs at least one error");
        }

        @Override
        public boolean isParsed() {
            return false;
        }
    }
}
