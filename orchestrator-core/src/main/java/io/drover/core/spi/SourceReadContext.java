package io.drover.core.spi;

import io.drover.core.model.BackupId;
import java.time.Clock;
import java.util.Objects;

/** What a source gets for one read: the backup it belongs to and the clock. */
public record SourceReadContext(BackupId backupId, String jobName, Clock clock) {
    public SourceReadContext {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(clock, "clock");
    }
}
