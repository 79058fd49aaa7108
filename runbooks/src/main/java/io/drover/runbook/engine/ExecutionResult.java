package io.drover.runbook.engine;

import io.drover.core.catalog.RunbookExecutionStatus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How a run, resume or rollback of an execution ended in this process. */
public record ExecutionResult(long id, RunbookExecutionStatus status, Optional<String> message, List<String> details,
                              Duration elapsed) {
    public ExecutionResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        details = List.copyOf(details);
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
