package io.drover.core.config;

import io.drover.core.spi.Default;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code retention:} of a job: which recovery points prune keeps (restic-style). Each count keeps
 * the newest point in each of that many most recent hours/days/ISO weeks/months/years that have
 * points; {@code keep-last} keeps the newest N; {@code keep-within} keeps everything captured in
 * that window before now; {@code keep-for: JOB} keeps every point another job's kept points may
 * need: those captured since the oldest point of {@code JOB} that prune keeps on the same target
 * started, and the newest one before (the WAL archive of a PostgreSQL base-backup job). 0 turns a
 * rule off; at least one rule must be on.
 */
public record RetentionConfig(@Default("0") int keepLast, @Default("0") int hourly, @Default("0") int daily,
                              @Default("0") int weekly, @Default("0") int monthly, @Default("0") int yearly,
                              Optional<Duration> keepWithin, Optional<String> keepFor) {
    public RetentionConfig {
        keepWithin = keepWithin == null ? Optional.empty() : keepWithin;
        keepFor = keepFor == null ? Optional.empty() : keepFor;
    }

    public RetentionConfig(int keepLast, int hourly, int daily, int weekly, int monthly, int yearly,
                           Optional<Duration> keepWithin) {
        this(keepLast, hourly, daily, weekly, monthly, yearly, keepWithin, Optional.empty());
    }

    /** Whether any rule keeps something. */
    public boolean hasRule() {
        return keepLast > 0 || hourly > 0 || daily > 0 || weekly > 0 || monthly > 0 || yearly > 0
                || keepWithin.filter(d -> !d.isZero() && !d.isNegative()).isPresent() || keepFor.isPresent();
    }
}
