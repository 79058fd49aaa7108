package io.drover.core.catalog;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One execution of a scheduled job by {@code drover serve}.
 *
 * @param jobKey      e.g. {@code backup:orders-db}, {@code verify-deep:orders-db}, {@code prune}, {@code rpo}
 * @param scheduledAt the fire time the schedule asked for (a recovered execution keeps its original one)
 * @param fireId      the scheduler's id of the fire
 * @param node        the node that ran it
 * @param recovering  whether it re-runs a fire whose node died
 */
public record ScheduledRunRecord(long id, String jobKey, String jobKind, Instant scheduledAt, String fireId,
                                 String node, boolean recovering, Instant startedAt, Optional<Instant> finishedAt,
                                 RunStatus status, Optional<String> message) {
    public ScheduledRunRecord {
        Objects.requireNonNull(jobKey, "jobKey");
        Objects.requireNonNull(jobKind, "jobKind");
        Objects.requireNonNull(scheduledAt, "scheduledAt");
        Objects.requireNonNull(fireId, "fireId");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }
}
