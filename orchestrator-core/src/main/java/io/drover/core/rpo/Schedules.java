package io.drover.core.rpo;

import io.drover.core.config.BlackoutConfig;
import io.drover.core.config.ScheduleConfig;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;
import org.quartz.impl.calendar.CronCalendar;
import org.quartz.impl.calendar.DailyCalendar;

/** Cron arithmetic on job schedules, with Quartz's cron dialect (the one the daemon fires by). */
public final class Schedules {
    private Schedules() {
    }

    /** A schedule's cron expression and the blackout window it must skip, if any. */
    public record Firing(ScheduleConfig schedule, Optional<BlackoutConfig> blackout) {
        public static Firing of(ScheduleConfig schedule, Map<String, BlackoutConfig> blackouts) {
            return new Firing(schedule, schedule.blackout().map(blackouts::get));
        }
    }

    /** The first fire strictly after {@code after}; empty if the expression never fires again. */
    public static Optional<Instant> nextFire(ScheduleConfig schedule, Instant after) {
        Date next = cron(schedule).getNextValidTimeAfter(Date.from(after));
        return Optional.ofNullable(next).map(Date::toInstant);
    }

    /** The earliest next fire of several schedules, skipping their blackout windows. */
    public static Optional<Instant> nextFire(Collection<Firing> schedules, Instant after) {
        List<Compiled> compiled = schedules.stream().map(Compiled::of).toList();
        return earliest(compiled, after);
    }

    /**
     * The Quartz calendar of a blackout window (the daemon fires by it; the BIA review computes
     * with it): {@code daily} as a time range in the zone, which may wrap midnight, or {@code cron}.
     */
    public static org.quartz.Calendar blackoutCalendar(BlackoutConfig blackout) {
        TimeZone zone = TimeZone.getTimeZone(blackout.timezone());
        if (blackout.cron().isPresent()) {
            try {
                CronCalendar cron = new CronCalendar(blackout.cron().get());
                cron.setTimeZone(zone);
                return cron;
            } catch (ParseException e) {
                throw new IllegalArgumentException("invalid blackout cron: " + e.getMessage(), e);
            }
        }
        // The window is [from, to): a fire at 'to' goes ahead. Quartz's ranges include both ends.
        String[] window = blackout.daily().orElseThrow().split("-");
        String from = window[0];
        String to = window[1];
        DailyCalendar daily;
        if (from.compareTo(to) < 0) {
            daily = new DailyCalendar(from + ":00:000", justBefore(to));
        } else {
            // A window over midnight (22:00-02:00): exclude everything outside 02:00-21:59:59.999.
            daily = new DailyCalendar(to + ":00:000", justBefore(from));
            daily.setInvertTimeRange(true);
        }
        daily.setTimeZone(zone);
        return daily;
    }

    /** {@code HH:mm} minus one millisecond, as Quartz's {@code HH:mm:ss:SSS}. */
    private static String justBefore(String time) {
        java.time.LocalTime t = java.time.LocalTime.parse(time).minusNanos(1_000_000);
        return String.format("%02d:%02d:%02d:%03d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000_000);
    }

    /** A cron expression with the calendar of its blackout window. */
    private record Compiled(CronExpression cron, Optional<org.quartz.Calendar> blackout) {
        static Compiled of(Firing firing) {
            return new Compiled(Schedules.cron(firing.schedule()), firing.blackout().map(Schedules::blackoutCalendar));
        }

        /** The next fire after {@code after} that the blackout does not exclude. */
        Optional<Instant> next(Instant after) {
            Date next = cron.getNextValidTimeAfter(Date.from(after));
            for (int skipped = 0; next != null && blackout.isPresent() && skipped < 100_000; skipped++) {
                if (blackout.get().isTimeIncluded(next.getTime())) {
                    break;
                }
                next = cron.getNextValidTimeAfter(next);
            }
            if (next != null && blackout.isPresent() && !blackout.get().isTimeIncluded(next.getTime())) {
                return Optional.empty();
            }
            return Optional.ofNullable(next).map(Date::toInstant);
        }
    }

    /**
     * The longest time between two consecutive fires of the union of {@code schedules}, over
     * {@code horizon} from {@code from} (a year covers months of different lengths and DST changes).
     * This is the best RPO those schedules can achieve, before counting how long a backup takes.
     * Stops early once a gap reaches {@code enough}, and after {@code maxFires} fires (a per-second
     * schedule would otherwise mean 31 million fires).
     */
    public static Optional<Duration> longestGap(Collection<Firing> schedules, Instant from, Duration horizon,
                                                Duration enough, int maxFires) {
        if (schedules.isEmpty()) {
            return Optional.empty();
        }
        List<Compiled> crons = new ArrayList<>();
        for (Firing schedule : schedules) {
            crons.add(Compiled.of(schedule));
        }
        Instant end = from.plus(horizon);
        Optional<Instant> previous = earliest(crons, from);
        if (previous.isEmpty()) {
            return Optional.of(Duration.ofSeconds(Long.MAX_VALUE));
        }
        Duration longest = Duration.ZERO;
        for (int fires = 0; fires < maxFires && previous.get().isBefore(end); fires++) {
            Optional<Instant> next = earliest(crons, previous.get());
            if (next.isEmpty()) {
                // The schedule ends (a cron with a year field): every later point misses the target.
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE));
            }
            Duration gap = Duration.between(previous.get(), next.get());
            if (gap.compareTo(longest) > 0) {
                longest = gap;
                if (longest.compareTo(enough) >= 0) {
                    break;
                }
            }
            previous = next;
        }
        return Optional.of(longest);
    }

    private static Optional<Instant> earliest(List<Compiled> crons, Instant after) {
        Instant best = null;
        for (Compiled cron : crons) {
            Optional<Instant> next = cron.next(after);
            if (next.isPresent() && (best == null || next.get().isBefore(best))) {
                best = next.get();
            }
        }
        return Optional.ofNullable(best);
    }

    static CronExpression cron(ScheduleConfig schedule) {
        try {
            CronExpression cron = new CronExpression(schedule.cron());
            cron.setTimeZone(TimeZone.getTimeZone(schedule.timezone()));
            return cron;
        } catch (ParseException e) {
            // Config loading validated the expression already.
            throw new IllegalArgumentException("invalid cron expression '" + schedule.cron() + "': " + e.getMessage(), e);
        }
    }
}
