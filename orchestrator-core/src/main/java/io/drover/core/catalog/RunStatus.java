package io.drover.core.catalog;

/** Lifecycle of a backup run. */
public enum RunStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** The process stopped (crash, kill, shutdown) before the run finished. */
    INTERRUPTED
}
