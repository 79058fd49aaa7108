package io.drover.core.catalog;

import java.time.Instant;
import java.util.Objects;

/** Who approved an approval gate of a runbook execution, in which role, when. */
public record RunbookApprovalRecord(long executionId, String stepId, String role, String approvedBy, Instant approvedAt) {
    public RunbookApprovalRecord {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(approvedBy, "approvedBy");
        Objects.requireNonNull(approvedAt, "approvedAt");
    }
}
