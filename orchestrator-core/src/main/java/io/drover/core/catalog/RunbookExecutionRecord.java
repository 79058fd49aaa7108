package io.drover.core.catalog;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One execution of a runbook as journaled.
 *
 * @param source     where the runbook was read from (a file, or {@code classpath:runbooks/x.yaml})
 * @param definition the runbook's text when the execution started
 * @param params     the resolved parameters, as JSON
 * @param owner      the process driving it ({@code host/pid/start}), empty when none
 */
public record RunbookExecutionRecord(long id, String runbook, String source, String definition, String params,
                                     RunbookExecutionStatus status, String actor, Optional<String> owner,
                                     Instant startedAt, Instant updatedAt, Optional<Instant> finishedAt,
                                     Optional<String> message) {
    public RunbookExecutionRecord {
        Objects.requireNonNull(runbook, "runbook");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(message, "message");
    }
}
