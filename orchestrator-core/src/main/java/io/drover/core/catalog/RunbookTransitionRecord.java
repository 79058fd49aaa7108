package io.drover.core.catalog;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One journaled state change of an execution (no step) or of one of its steps. */
public record RunbookTransitionRecord(long id, long executionId, Optional<String> stepId, Optional<String> from,
                                      String to, Instant at, String actor, String detail) {
    public RunbookTransitionRecord {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(detail, "detail");
    }
}
