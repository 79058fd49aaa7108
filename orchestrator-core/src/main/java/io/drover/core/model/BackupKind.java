package io.drover.core.model;

/** Whether a recovery point stands alone or depends on a parent. */
public enum BackupKind {
    FULL,
    INCREMENTAL
}
