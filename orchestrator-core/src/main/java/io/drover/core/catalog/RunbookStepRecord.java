package io.drover.core.catalog;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a runbook execution as journaled.
 *
 * @param position the step's place in the runbook (0-based, parallel steps in file order)
 * @param attempts how many times the action was started
 * @param outputs  the step's outputs as a JSON object of strings
 */
public record RunbookStepRecord(long executionId, String stepId, int position, RunbookStepStatus status, int attempts,
                                Optional<Instant> startedAt, Optional<Instant> finishedAt, String outputs,
                                Optional<String> message) {
    public RunbookStepRecord {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(message, "message");
    }
}
