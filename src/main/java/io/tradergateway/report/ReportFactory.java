package io.tradergateway.report;

import io.tradergateway.domain.Side;
import io.tradergateway.execution.Leg;
import io.tradergateway.execution.Order;
import io.tradergateway.plan.PlanIssue;
import io.tradergateway.plan.TradingPlan;
import io.tradergateway.position.Position;
import io.tradergateway.report.review.AdherenceScorer;
import io.tradergateway.report.review.ExecutionFacts;
import io.tradergateway.report.review.ExecutionReview;
import io.tradergateway.report.review.Review;
import io.tradergateway.report.review.Slippage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds {@code exec-report-1.0} events from what the engine measured. The sequence number is assigned by the
 * engine when the report is committed ({@link #withSequence}); everything else is decided here.
 */
public final class ReportFactory {
    private final Clock clock;
    private final AdherenceScorer adherence = new AdherenceScorer();
    private final ExecutionReview review = new ExecutionReview();

    public ReportFactory(Clock clock) {
        this.clock = clock;
    }

    /** A fill of an entry or exit order: {@code partial}, or {@code filled} when the leg's quantity is complete. */
    public ExecReport fill(ReportInput in) {
        BigDecimal fillSlippage = slippage(in.figures().side(), expectedPrice(in), in.fill().price());
        return build(in, in.fill().price(), in.fill().quantity(), fillSlippage, in.fill().fee(), in.fill().time(), null);
    }

    /** A terminal outcome without a fill: {@code failed} or {@code cancelled}, with the reason. */
    public ExecReport terminal(ReportInput in) {
        ReportInput.LegFigures figures = in.figures();
        BigDecimal legSlippage = figures.cumQty() != null && figures.cumQty().signum() > 0 ? slippage(in, figures.avgPrice()) : null;
        return build(in, null, BigDecimal.ZERO, legSlippage, BigDecimal.ZERO, clock.instant(), in.error());
    }

    /** A plan refused by business validation (422): one {@code failed} report naming every issue. */
    public ExecReport validationFailed(TradingPlan plan, List<PlanIssue> issues, Position position, BigDecimal mark) {
        String error = "plan invalid: " + String.join("; ", issues.stream().map(i -> i.code() + " (" + i.field() + "): " + i.message()).toList());
        ReportInput.LegFigures nothing = new ReportInput.LegFigures(plan.direction().entrySide(), null, BigDecimal.ZERO,
                BigDecimal.ZERO, plan.entryPrice(), null, null, 0.0);
        ReportInput in = new ReportInput(plan, Leg.ENTRY, null, ExecReport.Status.FAILED, null, nothing,
                new ReportInput.Holding(position, mark, BigDecimal.ZERO), error, null, null);
        ExecReport base = build(in, null, BigDecimal.ZERO, null, BigDecimal.ZERO, clock.instant(), error);
        List<String> didnt = new ArrayList<>();
        for (PlanIssue issue : issues) didnt.add("Plan rejected: " + issue.message());
        List<String> lessons = new ArrayList<>();
        for (PlanIssue issue : issues) lessons.add("Fix " + issue.field() + " (" + issue.code() + ") before sending the plan again");
        return withReviewFirst(base, didnt, lessons, base.errorMessage());
    }

    /**
     * A fill of an order whose plan had already ended (a venue reporting an execution late): a fill report whose
     * {@code error_message} (from {@code in.error()}) and review say that nothing watches the position it changed.
     */
    public ExecReport lateFill(ReportInput in) {
        BigDecimal fillSlippage = slippage(in, in.fill().price());
        // Reviewed as a plain fill (the error would read as a cancellation), then the late-fill finding goes first.
        ExecReport base = build(in, in.fill().price(), in.fill().quantity(), fillSlippage, in.fill().fee(), in.fill().time(),
                null);
        return withReviewFirst(base,
                List.of("Filled after the plan had ended: " + in.error()),
                List.of("Reconcile the " + in.plan().symbol() + " position: this late fill changed it and no stop loss or "
                        + "take profit of the plan watches it"),
                in.error());
    }

    /** The report with {@code didnt} and {@code lessons} put before what the review derived, and the error message. */
    private static ExecReport withReviewFirst(ExecReport base, List<String> didntFirst, List<String> lessonsFirst,
                                              String errorMessage) {
        List<String> didnt = new ArrayList<>(didntFirst);
        didnt.addAll(base.whatDidntWork());
        List<String> lessons = new ArrayList<>(lessonsFirst);
        lessons.addAll(base.lessonsLearned());
        return new ExecReport(base.eventType(), base.reportId(), base.sequence(), base.executionId(), base.planId(),
                base.signalId(), base.decisionId(), base.symbol(), base.venue(), base.clOrdId(), base.leg(), base.exitReason(),
                base.side(), base.status(), base.executedPrice(), base.executedQuantity(), base.avgPrice(),
                base.cumulativeQuantity(), base.orderQuantity(), base.expectedPrice(), base.slippage(), base.latencyMs(),
                base.adherenceScore(), base.venueScore(), base.positionAfter(), base.pnlImpact(), base.fees(),
                base.whatWorked(), List.copyOf(didnt), List.copyOf(lessons), errorMessage, base.executionTime(),
                base.createdAt(), base.reportedTo());
    }

    public static ExecReport withSequence(ExecReport r, long sequence) {
        return new ExecReport(r.eventType(), r.reportId(), sequence, r.executionId(), r.planId(), r.signalId(),
                r.decisionId(), r.symbol(), r.venue(), r.clOrdId(), r.leg(), r.exitReason(), r.side(), r.status(),
                r.executedPrice(), r.executedQuantity(), r.avgPrice(), r.cumulativeQuantity(), r.orderQuantity(),
                r.expectedPrice(), r.slippage(), r.latencyMs(), r.adherenceScore(), r.venueScore(), r.positionAfter(),
                r.pnlImpact(), r.fees(), r.whatWorked(), r.whatDidntWork(), r.lessonsLearned(), r.errorMessage(),
                r.executionTime(), r.createdAt(), r.reportedTo());
    }

    private ExecReport build(ReportInput in, BigDecimal executedPrice, BigDecimal executedQty, BigDecimal slippage,
                             BigDecimal fees, Instant executionTime, String error) {
        TradingPlan plan = in.plan();
        ReportInput.LegFigures figures = in.figures();
        ReportInput.Holding holding = in.holding();
        Instant now = clock.instant();
        boolean failed = in.status() == ExecReport.Status.FAILED;
        BigDecimal cum = figures.cumQty() == null ? BigDecimal.ZERO : figures.cumQty();
        // A TWAP slice's fill is judged against the slice: its own quantity and the price when it was sent. The leg's
        // figures (cumulative and order quantity of the plan) stay in the report's fields.
        Order slice = twapSliceOf(in);
        BigDecimal judgedCum = slice != null ? slice.cumQty() : cum;
        BigDecimal judgedAvg = slice != null ? slice.avgPx() : figures.avgPrice();
        BigDecimal judgedQty = slice != null ? slice.quantity() : figures.orderQty();
        BigDecimal expected = expectedPrice(in);
        BigDecimal legSlippage = judgedCum.signum() > 0 ? slippage(figures.side(), expected, judgedAvg) : null;
        ExecutionFacts facts = ExecutionFacts.builder()
                .expectedPrice(expected)
                .executedAvgPrice(judgedCum.signum() > 0 ? judgedAvg : null)
                .slippage(legSlippage)
                // A plan refused by validation may carry a negative max_slippage or a non-positive max_latency_ms;
                // its failed report must still be built (the review needs valid bounds, the plan never traded).
                .maxSlippage(plan.maxSlippage().max(BigDecimal.ZERO))
                .latencyMs(figures.latencyMs())
                .maxLatencyMs(Math.max(1L, plan.maxLatencyMs()))
                .requestedQuantity(judgedQty == null ? BigDecimal.ZERO : judgedQty)
                .filledQuantity(judgedCum)
                .venue(figures.venue())
                .venuePreferences(plan.venuePreferences())
                .validAtExecution(in.leg() == Leg.EXIT || !now.isAfter(plan.validUntil()))
                .waitedForEntry(in.waitedForEntry())
                .failed(failed)
                .errorMessage(error)
                .leg(in.leg().wireName())
                .exitReason(in.exitReason())
                .pnlImpact(holding.pnlImpact())
                .build();
        Review r = review.review(facts);
        Position position = holding.position();
        ExecReport.PositionAfter after = position == null ? null : new ExecReport.PositionAfter(position.symbol(),
                position.quantity(), position.avgPrice(), position.realizedPnl(),
                holding.markPrice() == null ? null
                        : position.unrealizedPnl(holding.markPrice()).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros(),
                plan.stopLoss(), plan.takeProfit());
        return new ExecReport(
                ExecReport.EVENT_TYPE,
                UUID.randomUUID().toString(),
                0,
                "EX-" + plan.planId() + "-" + in.leg().wireName(),
                plan.planId(),
                plan.signalId(),
                plan.decisionId(),
                plan.symbol(),
                figures.venue(),
                in.order() == null ? null : in.order().clOrdId().value(),
                in.leg().wireName(),
                in.exitReason(),
                figures.side().wireName(),
                in.status().wireName(),
                executedPrice,
                executedQty,
                cum.signum() > 0 ? figures.avgPrice() : null,
                cum,
                figures.orderQty(),
                expected,
                slippage,
                figures.latencyMs(),
                round(adherence.score(facts)),
                round(figures.venueScore()),
                after,
                holding.pnlImpact() == null ? BigDecimal.ZERO : holding.pnlImpact(),
                fees,
                r.whatWorked(),
                r.whatDidntWork(),
                r.lessonsLearned(),
                error,
                executionTime,
                now,
                ExecReport.CONSUMERS);
    }

    private static BigDecimal slippage(ReportInput in, BigDecimal price) {
        return slippage(in.figures().side(), in.figures().expectedPrice(), price);
    }

    private static BigDecimal slippage(Side side, BigDecimal expected, BigDecimal price) {
        if (expected == null || expected.signum() <= 0 || price == null) return null;
        return Slippage.adverseFraction(side, expected, price).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    /** The TWAP child a fill report is about, or null (not a fill, or not a TWAP child). */
    private static Order twapSliceOf(ReportInput in) {
        Order order = in.order();
        if (in.fill() == null || order == null || order.sliceNo() <= 0 || order.quantity().signum() <= 0) return null;
        return order;
    }

    /** The price a report judges against: a TWAP child's own expected price (the mark when it was sent), else the leg's. */
    private static BigDecimal expectedPrice(ReportInput in) {
        Order slice = twapSliceOf(in);
        return slice != null && slice.expectedPrice() != null ? slice.expectedPrice() : in.figures().expectedPrice();
    }

    private static double round(double d) {
        return Math.round(d * 10_000.0) / 10_000.0;
    }
}
