package io.drover.core.model;

/** How a service's achieved RPO compares with its target. */
public enum RpoState {
    /** The newest usable recovery point is younger than the at-risk threshold. */
    OK,
    /** Older than the at-risk fraction of the target, not yet older than the target. */
    AT_RISK,
    /** Older than the target, or there is no usable recovery point at all. */
    BREACHED,
    /** The service has no RPO target. */
    UNTRACKED
}
