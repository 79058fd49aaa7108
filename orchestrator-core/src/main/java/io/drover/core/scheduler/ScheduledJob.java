package io.drover.core.scheduler;

import io.drover.core.config.ScheduleConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the daemon's schedule, derived from the config.
 *
 * @param key      {@code backup:orders-db}, {@code verify-deep:orders-db}, {@code prune}, {@code rpo}
 * @param job      the config job it works on; empty for prune (all jobs) and RPO evaluation
 * @param schedule cron schedule; empty for fixed-interval jobs
 * @param interval fixed interval (RPO evaluation)
 * @param targets  the targets it reads or writes, for the per-target job limit
 */
public record ScheduledJob(String key, JobKind kind, Optional<String> job, Optional<ScheduleConfig> schedule,
                           Optional<Duration> interval, List<String> targets) {
    public ScheduledJob {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(interval, "interval");
        targets = List.copyOf(targets);
        if (schedule.isPresent() == interval.isPresent()) {
            throw new IllegalArgumentException("a scheduled job has either a cron schedule or an interval: " + key);
        }
    }

    /** The key of job {@code job} of kind {@code kind}. */
    public static String key(JobKind kind, String job) {
        return kind.id() + ":" + job;
    }
}
