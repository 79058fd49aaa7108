package io.drover.runbook.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code drover runbook plan} shows: resolved parameters and every step's plan, computed without side effects. */
public record PlanReport(String runbook, String description, String source, Map<String, String> params,
                         List<StepPlan> steps) {
    public PlanReport {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        steps = List.copyOf(steps);
    }

    /** How many preconditions do not hold now. */
    public long failedPreconditions() {
        return steps.stream().flatMap(s -> s.preconditions().stream()).filter(p -> !p.passed()).count();
    }

    /** How many preconditions do not hold now in steps no earlier step changes anything before: real blockers. */
    public long blockingPreconditions() {
        return steps.stream().filter(s -> !s.afterChanges()).flatMap(s -> s.preconditions().stream())
                .filter(p -> !p.passed()).count();
    }
}
