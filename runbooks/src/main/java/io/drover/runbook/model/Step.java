package io.drover.runbook.model;

import io.drover.core.config.ConfigLocation;
import io.drover.runbook.expr.Expression;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a runbook.
 *
 * @param when       run only if this holds; otherwise the step is SKIPPED
 * @param timeout    limit of one attempt
 * @param retries    further attempts after a failed one
 * @param retryDelay pause between attempts
 * @param approval   a gate passed before the action runs
 * @param rollback   what {@code drover runbook rollback} runs for this step; without it the action's
 *                   own undo is used, if it has one
 */
public record Step(String id, String description, ActionCall action, Optional<Expression> when, Duration timeout,
                   int retries, Duration retryDelay, Optional<Approval> approval, Optional<ActionCall> rollback,
                   ConfigLocation location) {
    public Step {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(approval, "approval");
        Objects.requireNonNull(rollback, "rollback");
        Objects.requireNonNull(location, "location");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative");
        }
    }
}
