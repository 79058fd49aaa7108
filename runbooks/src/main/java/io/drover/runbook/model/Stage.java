package io.drover.runbook.model;

import java.util.List;

/** Steps that run together: one step, or a {@code parallel:} group whose steps run at the same time. */
public record Stage(List<Step> steps, boolean parallel) {
    public Stage {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a stage needs a step");
        }
    }
}
