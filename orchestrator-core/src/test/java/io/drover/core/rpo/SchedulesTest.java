package io.drover.core.rpo;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.config.ScheduleConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulesTest {
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration YEAR = Duration.ofDays(366);

    private static Schedules.Firing cron(String expression, String zone) {
        return new Schedules.Firing(new ScheduleConfig(expression, ZoneId.of(zone)), java.util.Optional.empty());
    }

    @Test
    void nextFireHonoursTheTimeZone() {
        // 02:30 in Berlin is 01:30 UTC in winter.
        assertThat(Schedules.nextFire(cron("0 30 2 * * ?", "Europe/Berlin").schedule(), FROM))
                .contains(Instant.parse("2026-01-01T01:30:00Z"));
        assertThat(Schedules.nextFire(List.of(cron("0 0 3 * * ?", "UTC"), cron("0 0 1 * * ?", "UTC")), FROM))
                .contains(Instant.parse("2026-01-01T01:00:00Z"));
    }

    @Test
    void longestGapOfAnHourlyScheduleIsAnHour() {
        assertThat(Schedules.longestGap(List.of(cron("0 5 * * * ?", "UTC")), FROM, YEAR, Duration.ofDays(2), 100_000))
                .contains(Duration.ofHours(1));
    }

    @Test
    void dailyScheduleAcrossDaylightSavingChangeHasA25HourGap() {
        // 01:00 Berlin time every day: the night the clocks go back (25 October 2026) is 25 hours long.
        var gap = Schedules.longestGap(List.of(cron("0 0 1 * * ?", "Europe/Berlin")), FROM, YEAR, Duration.ofDays(9),
                100_000);
        assertThat(gap).contains(Duration.ofHours(25));
    }

    @Test
    void unionOfSchedulesClosesGaps() {
        var weekdays = cron("0 0 22 ? * MON-FRI", "UTC");
        assertThat(Schedules.longestGap(List.of(weekdays), FROM, YEAR, Duration.ofDays(9), 100_000))
                .contains(Duration.ofDays(3));
        var weekend = cron("0 0 22 ? * SAT,SUN", "UTC");
        assertThat(Schedules.longestGap(List.of(weekdays, weekend), FROM, YEAR, Duration.ofDays(9), 100_000))
                .contains(Duration.ofDays(1));
    }

    @Test
    void aScheduleThatEndsHasNoUsableGap() {
        var once = cron("0 0 12 1 1 ? 2026", "UTC");
        assertThat(Schedules.longestGap(List.of(once), FROM, YEAR, Duration.ofDays(9), 100_000).orElseThrow().getSeconds())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aDailyTimeThatDaylightSavingSkipsLeavesA47HourGap() {
        // 02:30 does not exist in Berlin on 29 March 2026: that day has no backup at all.
        assertThat(Schedules.longestGap(List.of(cron("0 30 2 * * ?", "Europe/Berlin")), FROM, YEAR, Duration.ofDays(9),
                100_000)).contains(Duration.ofHours(47));
    }

    @Test
    void blackoutWindowsAreSkipped() {
        var hourly = new ScheduleConfig("0 0 * * * ?", ZoneId.of("UTC"), ScheduleConfig.Misfire.RUN_ONCE,
                java.util.Optional.of("office"));
        var office = new io.drover.core.config.BlackoutConfig(java.util.Optional.of("08:00-18:00"), java.util.Optional.empty(),
                ZoneId.of("UTC"));
        var firing = Schedules.Firing.of(hourly, java.util.Map.of("office", office));
        // The window is [08:00, 18:00): last fire 07:00, next 18:00.
        assertThat(Schedules.longestGap(List.of(firing), FROM, YEAR, Duration.ofDays(9), 100_000))
                .contains(Duration.ofHours(11));
        assertThat(Schedules.nextFire(List.of(firing), Instant.parse("2026-01-01T07:30:00Z")))
                .contains(Instant.parse("2026-01-01T18:00:00Z"));
        // A wrapped window, 22:00-02:00.
        var night = new io.drover.core.config.BlackoutConfig(java.util.Optional.of("22:00-02:00"), java.util.Optional.empty(),
                ZoneId.of("UTC"));
        assertThat(Schedules.nextFire(List.of(Schedules.Firing.of(new ScheduleConfig("0 0 * * * ?", ZoneId.of("UTC"),
                ScheduleConfig.Misfire.RUN_ONCE, java.util.Optional.of("night")), java.util.Map.of("night", night))),
                Instant.parse("2026-01-01T21:30:00Z"))).contains(Instant.parse("2026-01-02T02:00:00Z"));
    }
}
