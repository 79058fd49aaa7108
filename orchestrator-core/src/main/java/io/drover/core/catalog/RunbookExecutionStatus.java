package io.drover.core.catalog;

/** Lifecycle of a runbook execution. */
public enum RunbookExecutionStatus {
    /** A process is working through the steps (or died doing so: see the owner). */
    RUNNING,
    /** A step waits for {@code drover runbook approve}. */
    WAITING_APPROVAL,
    SUCCEEDED,
    /** A step failed; {@code resume} retries from there, {@code rollback} undoes what was done. */
    FAILED,
    /** Stopped by {@code drover runbook abort}; may be resumed or rolled back. */
    ABORTED,
    ROLLING_BACK,
    ROLLED_BACK,
    /** Some undo failed: parts of the change remain. */
    ROLLBACK_FAILED;

    /** Whether no process works on it and it may be resumed. */
    public boolean resumable() {
        return this == FAILED || this == ABORTED;
    }

    public boolean finished() {
        return this == SUCCEEDED || this == ROLLED_BACK;
    }
}
