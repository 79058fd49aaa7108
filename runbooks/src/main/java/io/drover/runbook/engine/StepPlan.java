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
 */
public record StepPlan(String id, int stage, boolean parallel, String action, String description, Optional<String> when,
                       String decision, Optional<String> approvalRole, Duration timeout, int retries,
                       Optional<String> summary, List<Precondition> preconditions, Optional<String> dataLoss,
                       Optional<String> alreadyDone, Optional<String> note, Optional<String> rollback) {
    public StepPlan {
        Objects.requireNonNull(id, "id");
        preconditions = List.copyOf(preconditions);
    }
}
