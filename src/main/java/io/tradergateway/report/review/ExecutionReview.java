package io.tradergateway.report.review;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Turns the figures of one execution into short sentences for {@code what_worked},
 * {@code what_didnt_work} and {@code lessons_learned}. Every sentence carries the measured numbers; nothing
 * is emitted that the figures do not support.
 *
 * <p>Notation: {V} venue (or "the venue" if none), {bps} |slippage|·10 000 and {max bps}
 * max_slippage·10 000 with one decimal, {L} latency ms, {M} max_latency_ms, {pct} filled/requested·100
 * truncated to one decimal, {w} waited_for_entry in seconds (one decimal, trailing zeros dropped), prices
 * and quantities as given without trailing zeros. Rules are applied in the table's order.
 *
 * <table border="1">
 *   <caption>Review rules</caption>
 *   <tr><th>id</th><th>when</th><th>what_worked</th><th>what_didnt_work</th><th>lessons_learned</th></tr>
 *   <tr><td>X1</td><td>failed, venue known</td><td></td><td>Execution failed at {V}: {error}</td>
 *       <td>{V} did not execute the order ({error}): its learned success rate drops, so other venues rank higher next time</td></tr>
 *   <tr><td>X2</td><td>failed, no venue</td><td></td><td>Execution failed before reaching a venue: {error}</td>
 *       <td>The plan was refused before routing ({error}): correct it upstream before re-sending</td></tr>
 *   <tr><td>X3</td><td>not failed, filled &lt; requested, error message present</td><td></td><td>Cancelled: {error}</td><td></td></tr>
 *   <tr><td>F1</td><td>requested &gt; 0, filled ≥ requested</td><td>Filled the full quantity of {requested}</td><td></td><td></td></tr>
 *   <tr><td>F2</td><td>0 &lt; filled &lt; requested</td><td></td><td>Filled only {pct} % of the order ({filled} of {requested})</td>
 *       <td>{V} filled only {pct} % of the order: prefer a deeper venue for this size</td></tr>
 *   <tr><td>F3</td><td>requested &gt; 0, nothing filled, not failed</td><td></td><td>Nothing was filled (0 of {requested})</td><td></td></tr>
 *   <tr><td>S1</td><td>filled, slippage &lt; 0</td><td>Price improvement of {bps} bps: executed {avg} vs expected {expected}</td><td></td><td></td></tr>
 *   <tr><td>S2</td><td>filled, slippage = 0</td><td>Executed at the expected price {expected} (0.0 bps slippage)</td><td></td><td></td></tr>
 *   <tr><td>S3</td><td>filled, 0 &lt; slippage ≤ max</td><td>Slippage {bps} bps within the {max bps} bps limit</td><td></td><td></td></tr>
 *   <tr><td>S4</td><td>filled, slippage &gt; max</td><td></td>
 *       <td>Slippage {bps} bps exceeded the {max bps} bps limit (expected {expected}, executed {avg})</td>
 *       <td>{V} slipped {bps} bps against a {max bps} bps limit: use a limit order, split the order (twap) or prefer a deeper venue</td></tr>
 *   <tr><td>L1</td><td>latency ≤ max</td><td>Latency {L} ms within the {M} ms limit</td><td></td><td></td></tr>
 *   <tr><td>L2</td><td>latency &gt; max</td><td></td><td>Latency {L} ms exceeded the {M} ms limit</td>
 *       <td>{V} answered in {L} ms against a {M} ms limit: prefer a faster venue or raise max_latency_ms</td></tr>
 *   <tr><td>L3</td><td>no latency, venue known</td><td></td><td>No acknowledgement from {V} was received</td>
 *       <td>{V} never acknowledged the order: check its FIX session before routing there again</td></tr>
 *   <tr><td>P1</td><td>preferences given, {V} is the first</td><td>Routed to the first-preference venue {V}</td><td></td><td></td></tr>
 *   <tr><td>P2</td><td>preferences given, {V} is preference k &gt; 1 of n</td><td></td>
 *       <td>Routed to {V}, preference k of n, not the first preference {P1}</td>
 *       <td>{P1} was passed over for {V}: check its FIX session and its learned score in GET /v1/venues</td></tr>
 *   <tr><td>P3</td><td>preferences given, {V} not among them</td><td></td>
 *       <td>Routed to {V}, which is not among the venue preferences [P1, P2, …]</td><td></td></tr>
 *   <tr><td>T1</td><td>entry, valid, filled, waited &gt; 0</td><td>Entry conditions held after {w} s and the order executed before valid_until</td><td></td><td></td></tr>
 *   <tr><td>T2</td><td>entry, valid, filled, no wait</td><td>Executed before valid_until</td><td></td><td></td></tr>
 *   <tr><td>T3</td><td>not valid, filled</td><td></td><td>Executed after valid_until</td>
 *       <td>Execution ran past valid_until: finish sooner (market order, shorter twap) or extend valid_until</td></tr>
 *   <tr><td>T4</td><td>not valid, nothing filled, waited</td><td></td><td>Plan expired before execution after waiting {w} s for the entry conditions</td>
 *       <td>Entry conditions did not hold within {w} s: widen them or extend valid_until</td></tr>
 *   <tr><td>T5</td><td>not valid, nothing filled, no wait</td><td></td><td>Plan expired before execution</td>
 *       <td>The plan was already past valid_until: send plans sooner or extend valid_until</td></tr>
 *   <tr><td>E1</td><td>exit, pnl_impact &gt; 0</td><td>{exit_reason} exit realized +{pnl} P&amp;L</td><td></td><td></td></tr>
 *   <tr><td>E2</td><td>exit, pnl_impact &lt; 0</td><td></td><td>{exit_reason} exit realized {pnl} P&amp;L</td>
 *       <td>only for stop_loss: The stop loss limited the loss to {pnl}: review the entry timing or the stop distance</td></tr>
 *   <tr><td>K1</td><td>what_didnt_work is empty</td><td></td><td></td>
 *       <td>Keep {V} for similar orders: slippage {signed bps} bps, latency {L} ms, {pct} % filled (the figures that exist)</td></tr>
 * </table>
 */
public final class ExecutionReview {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public Review review(ExecutionFacts f) {
        Objects.requireNonNull(f, "facts");
        List<String> worked = new ArrayList<>();
        List<String> didnt = new ArrayList<>();
        List<String> lessons = new ArrayList<>();
        String venue = f.venue() != null ? f.venue() : "the venue";
        String error = f.errorMessage() != null ? f.errorMessage() : "no error message";
        boolean requested = f.requestedQuantity().signum() > 0;
        boolean filled = f.anythingFilled();
        boolean partial = filled && f.filledQuantity().compareTo(f.requestedQuantity()) < 0;

        // Failure and cancellation
        if (f.failed() && f.venue() != null) {
            didnt.add("Execution failed at " + venue + ": " + error);
            lessons.add(venue + " did not execute the order (" + error
                    + "): its learned success rate drops, so other venues rank higher next time");
        } else if (f.failed()) {
            didnt.add("Execution failed before reaching a venue: " + error);
            lessons.add("The plan was refused before routing (" + error + "): correct it upstream before re-sending");
        } else if (f.errorMessage() != null && f.filledQuantity().compareTo(f.requestedQuantity()) < 0) {
            didnt.add("Cancelled: " + f.errorMessage());
        }

        // Fill
        if (requested && !partial && filled) {
            worked.add("Filled the full quantity of " + plain(f.requestedQuantity()));
        } else if (partial) {
            String pct = percentFilled(f);
            didnt.add("Filled only " + pct + " % of the order (" + plain(f.filledQuantity()) + " of "
                    + plain(f.requestedQuantity()) + ")");
            lessons.add(venue + " filled only " + pct + " % of the order: prefer a deeper venue for this size");
        } else if (requested && !f.failed()) {
            didnt.add("Nothing was filled (0 of " + plain(f.requestedQuantity()) + ")");
        }

        // Slippage
        if (filled) {
            BigDecimal slippage = f.slippage();
            String bps = bps(slippage);
            String maxBps = bps(f.maxSlippage());
            if (slippage.signum() < 0) {
                worked.add("Price improvement of " + bps + " bps: executed " + plain(f.executedAvgPrice())
                        + " vs expected " + plainOrUnknown(f.expectedPrice()));
            } else if (slippage.signum() == 0) {
                worked.add("Executed at the expected price " + plainOrUnknown(f.expectedPrice()) + " (0.0 bps slippage)");
            } else if (slippage.compareTo(f.maxSlippage()) <= 0) {
                worked.add("Slippage " + bps + " bps within the " + maxBps + " bps limit");
            } else {
                didnt.add("Slippage " + bps + " bps exceeded the " + maxBps + " bps limit (expected "
                        + plainOrUnknown(f.expectedPrice()) + ", executed " + plain(f.executedAvgPrice()) + ")");
                lessons.add(venue + " slipped " + bps + " bps against a " + maxBps
                        + " bps limit: use a limit order, split the order (twap) or prefer a deeper venue");
            }
        }

        // Latency
        if (f.latencyMs() != null) {
            long latency = f.latencyMs();
            if (latency <= f.maxLatencyMs()) {
                worked.add("Latency " + latency + " ms within the " + f.maxLatencyMs() + " ms limit");
            } else {
                didnt.add("Latency " + latency + " ms exceeded the " + f.maxLatencyMs() + " ms limit");
                lessons.add(venue + " answered in " + latency + " ms against a " + f.maxLatencyMs()
                        + " ms limit: prefer a faster venue or raise max_latency_ms");
            }
        } else if (f.venue() != null) {
            didnt.add("No acknowledgement from " + venue + " was received");
            lessons.add(venue + " never acknowledged the order: check its FIX session before routing there again");
        }

        // Venue preference
        List<String> preferences = f.venuePreferences();
        if (!preferences.isEmpty() && f.venue() != null) {
            int index = preferences.indexOf(f.venue());
            if (index == 0) {
                worked.add("Routed to the first-preference venue " + venue);
            } else if (index > 0) {
                didnt.add("Routed to " + venue + ", preference " + (index + 1) + " of " + preferences.size()
                        + ", not the first preference " + preferences.get(0));
                lessons.add(preferences.get(0) + " was passed over for " + venue
                        + ": check its FIX session and its learned score in GET /v1/venues");
            } else {
                didnt.add("Routed to " + venue + ", which is not among the venue preferences " + preferences);
            }
        }

        // Time validity
        boolean waited = f.waitedForEntry() != null && !f.waitedForEntry().isZero();
        if (f.validAtExecution() && filled && !f.isExit()) {
            worked.add(waited
                    ? "Entry conditions held after " + seconds(f.waitedForEntry())
                            + " s and the order executed before valid_until"
                    : "Executed before valid_until");
        } else if (!f.validAtExecution() && filled) {
            didnt.add("Executed after valid_until");
            lessons.add("Execution ran past valid_until: finish sooner (market order, shorter twap) or extend valid_until");
        } else if (!f.validAtExecution() && waited) {
            String w = seconds(f.waitedForEntry());
            didnt.add("Plan expired before execution after waiting " + w + " s for the entry conditions");
            lessons.add("Entry conditions did not hold within " + w + " s: widen them or extend valid_until");
        } else if (!f.validAtExecution()) {
            didnt.add("Plan expired before execution");
            lessons.add("The plan was already past valid_until: send plans sooner or extend valid_until");
        }

        // Exit P&L
        if (f.isExit() && f.pnlImpact() != null && f.pnlImpact().signum() != 0) {
            String reason = f.exitReason() != null ? f.exitReason() : "exit";
            String pnl = signed(f.pnlImpact());
            if (f.pnlImpact().signum() > 0) {
                worked.add(reason + " exit realized " + pnl + " P&L");
            } else {
                didnt.add(reason + " exit realized " + pnl + " P&L");
                if ("stop_loss".equals(f.exitReason())) {
                    lessons.add("The stop loss limited the loss to " + pnl
                            + ": review the entry timing or the stop distance");
                }
            }
        }

        if (didnt.isEmpty()) {
            lessons.add(keepLesson(f));
        }
        return new Review(worked, didnt, lessons);
    }

    private static String keepLesson(ExecutionFacts f) {
        StringJoiner figures = new StringJoiner(", ");
        if (f.anythingFilled()) {
            String sign = f.slippage().signum() < 0 ? "-" : "";
            figures.add("slippage " + sign + bps(f.slippage()) + " bps");
        }
        if (f.latencyMs() != null) {
            figures.add("latency " + f.latencyMs() + " ms");
        }
        if (f.requestedQuantity().signum() > 0) {
            figures.add(percentFilled(f) + " % filled");
        }
        String who = f.venue() != null ? f.venue() : "these settings";
        return "Keep " + who + " for similar orders: " + figures;
    }

    /** |fraction|·10 000 with one decimal, e.g. 0.00032 → "3.2". */
    static String bps(BigDecimal fraction) {
        return fraction.abs().movePointRight(4).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    /** filled/requested·100 truncated to one decimal without trailing zeros (a partial never shows 100). */
    static String percentFilled(ExecutionFacts f) {
        BigDecimal pct = f.filledQuantity().multiply(HUNDRED).divide(f.requestedQuantity(), 1, RoundingMode.DOWN);
        return plain(pct);
    }

    static String seconds(Duration duration) {
        return plain(BigDecimal.valueOf(duration.toMillis(), 3).setScale(1, RoundingMode.HALF_UP));
    }

    private static String signed(BigDecimal value) {
        return (value.signum() > 0 ? "+" : "") + plain(value);
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static String plainOrUnknown(BigDecimal value) {
        return value == null ? "unknown" : plain(value);
    }
}
