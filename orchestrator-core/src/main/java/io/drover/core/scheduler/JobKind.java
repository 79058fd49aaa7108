package io.drover.core.scheduler;

import java.util.Locale;

/** What a scheduled job does. */
public enum JobKind {
    BACKUP, VERIFY_DEEP, VERIFY_RESTORE, PRUNE, RPO, REPLICATION;

    /** {@code backup}, {@code verify-deep}, ...: the prefix of job keys and the value of metric labels. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
