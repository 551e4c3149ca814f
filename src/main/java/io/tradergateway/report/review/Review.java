package io.tradergateway.report.review;

import java.util.List;

/** The exec-report's {@code what_worked}, {@code what_didnt_work} and {@code lessons_learned}. */
public record Review(List<String> whatWorked, List<String> whatDidntWork, List<String> lessonsLearned) {
    public Review {
        whatWorked = List.copyOf(whatWorked);
        whatDidntWork = List.copyOf(whatDidntWork);
        lessonsLearned = List.copyOf(lessonsLearned);
    }
}
