package io.drover.core.config;

import io.drover.core.spi.Default;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code retention:} of a job: which recovery points prune keeps (restic-style). Each count keeps
 * the newest point in each of that many most recent hours/days/ISO weeks/months/years that have
 * points; {@code keep-last} keeps the newest N; {@code keep-within} keeps everything captured in
 * that window before now. 0 turns a rule off; at least one rule must be on.
 */
public record RetentionConfig(@Default("0") int keepLast, @Default("0") int hourly, @Default("0") int daily,
                              @Default("0") int weekly, @Default("0") int monthly, @Default("0") int yearly,
                              Optional<Duration> keepWithin) {
    public RetentionConfig {
        keepWithin = keepWithin == null ? Optional.empty() : keepWithin;
    }

    /** Whether any rule keeps something. */
    public boolean hasRule() {
        return keepLast > 0 || hourly > 0 || daily > 0 || weekly > 0 || monthly > 0 || yearly > 0
                || keepWithin.filter(d -> !d.isZero() && !d.isNegative()).isPresent();
    }
}
