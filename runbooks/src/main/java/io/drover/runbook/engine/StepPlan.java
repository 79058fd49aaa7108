package io.drover.runbook.engine;

import io.drover.core.spi.action.Precondition;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a plan.
 *
 * @param stage       the step's stage (1-based); steps of a parallel group share it
 * @param decision    {@code run}, {@code skip} ({@code when:} is false now), or {@code decided at run time}
 * @param summary     what the action would do, when its arguments are known now
 * @param alreadyDone what the action's check found, if it is done already
 * @param note        why something could not be planned now
 * @param changes     whether the step changes something when it runs (its action can check its effect) and
 *                    is not skipped or done already
 * @param afterChanges whether an earlier stage has a step that {@code changes}: a precondition that fails
 *                    now may be one of those steps' purpose (a promotion's guard after a fence), so it is
 *                    not a blocker yet; it is checked again when the step is reached
 */
public record StepPlan(String id, int stage, boolean parallel, String action, String description, Optional<String> when,
                       String decision, Optional<String> approvalRole, Duration timeout, int retries,
                       Optional<String> summary, List<Precondition> preconditions, Optional<String> dataLoss,
                       Optional<String> alreadyDone, Optional<String> note, Optional<String> rollback,
                       boolean changes, boolean afterChanges) {
    public StepPlan {
        Objects.requireNonNull(id, "id");
        preconditions = List.copyOf(preconditions);
    }

    /** Whether a precondition fails now with no earlier step that could make it hold: the run would stop here. */
    public boolean blocked() {
        return !afterChanges && preconditions.stream().anyMatch(p -> !p.passed());
    }
}
