package io.drover.core.config;

import io.drover.core.spi.Default;
import java.time.ZoneId;
import java.util.Optional;

/**
 * {@code blackouts.<name>}: a window in which schedules that name it never fire (business hours,
 * a change freeze). Exactly one of {@code daily} ({@code "08:00-18:00"}, may wrap midnight) or
 * {@code cron} (every second the Quartz cron expression matches is excluded) is set.
 */
public record BlackoutConfig(Optional<String> daily, Optional<String> cron, @Default("UTC") ZoneId timezone) {
    public BlackoutConfig {
        daily = daily == null ? Optional.empty() : daily;
        cron = cron == null ? Optional.empty() : cron;
    }
}
