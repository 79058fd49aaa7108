package io.drover.core.config;

import io.drover.core.spi.Default;
import java.time.ZoneId;

/** {@code schedule:} of a job: a Quartz cron expression (seconds first) and its time zone. */
public record ScheduleConfig(String cron, @Default("UTC") ZoneId timezone) {
}
