package io.drover.core.config;

import io.drover.core.spi.Default;
import java.time.Duration;
import java.util.Optional;

/**
 * Top-level {@code prune:}: settings of {@code drover prune} that apply to every target.
 *
 * @param gracePeriod    objects under {@code backups/ID/} without a manifest are removed only once
 *                       the backup id's start time is older than this (a running backup has no manifest yet)
 * @param objectLockDays the Object Lock retention of targets that declare it; without it, prune deletes
 *                       nothing on such targets and reports the points as kept ("object lock")
 * @param schedule       when {@code drover serve} prunes every job with a retention policy
 */
public record PruneConfig(@Default("24h") Duration gracePeriod, Optional<Integer> objectLockDays,
                          Optional<ScheduleConfig> schedule) {
    public PruneConfig {
        objectLockDays = objectLockDays == null ? Optional.empty() : objectLockDays;
        schedule = schedule == null ? Optional.empty() : schedule;
    }

    public PruneConfig(Duration gracePeriod, Optional<Integer> objectLockDays) {
        this(gracePeriod, objectLockDays, Optional.empty());
    }

    /** The settings when {@code prune:} is absent. */
    public static PruneConfig defaults() {
        return new PruneConfig(Duration.ofHours(24), Optional.empty(), Optional.empty());
    }
}
