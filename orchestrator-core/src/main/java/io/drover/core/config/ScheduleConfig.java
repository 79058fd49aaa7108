package io.drover.core.config;

import io.drover.core.spi.Default;
import java.time.ZoneId;
import java.util.Optional;

/**
 * {@code schedule:} of a job (and of verification and prune runs): a Quartz cron expression
 * (seconds first) in a time zone.
 *
 * @param misfire  what to do with fires missed while no daemon ran or every worker was busy:
 *                 {@code run-once} (one catch-up run now) or {@code skip} (wait for the next fire)
 * @param blackout the name of a window under {@code blackouts:} in which this schedule never fires
 */
public record ScheduleConfig(String cron, @Default("UTC") ZoneId timezone, @Default("run-once") Misfire misfire,
                             Optional<String> blackout) {
    /** Misfire policy. */
    public enum Misfire { RUN_ONCE, SKIP }

    public ScheduleConfig {
        blackout = blackout == null ? Optional.empty() : blackout;
    }

    /** A schedule with the default misfire policy and no blackout. */
    public ScheduleConfig(String cron, ZoneId timezone) {
        this(cron, timezone, Misfire.RUN_ONCE, Optional.empty());
    }
}
