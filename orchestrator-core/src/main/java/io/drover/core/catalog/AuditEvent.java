package io.drover.core.catalog;

import java.time.Instant;
import java.util.Objects;

/** Who did what to which subject, e.g. {@code alice restore 20261127T091500Z-3f9a1c2b}. */
public record AuditEvent(long id, Instant at, String actor, String action, String subject, String details) {
    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(details, "details");
    }
}
