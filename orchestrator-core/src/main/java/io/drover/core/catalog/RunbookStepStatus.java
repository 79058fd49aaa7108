package io.drover.core.catalog;

/** Lifecycle of one step of a runbook execution. */
public enum RunbookStepStatus {
    PENDING,
    /** Journaled before the action is checked and run; after a crash, resume re-checks it. */
    RUNNING,
    WAITING_APPROVAL,
    SUCCEEDED,
    /** Its {@code when:} was false. */
    SKIPPED,
    FAILED,
    /** The execution was aborted while the step ran. */
    ABORTED,
    ROLLED_BACK,
    ROLLBACK_FAILED;

    /** Whether resume leaves it alone. */
    public boolean done() {
        return this == SUCCEEDED || this == SKIPPED;
    }
}
