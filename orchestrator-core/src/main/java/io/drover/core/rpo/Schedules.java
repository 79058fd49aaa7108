package io.drover.core.rpo;

import io.drover.core.config.ScheduleConfig;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/** Cron arithmetic on job schedules, with Quartz's cron dialect (the one the daemon fires by). */
public final class Schedules {
    private Schedules() {
    }

    /** The first fire strictly after {@code after}; empty if the expression never fires again. */
    public static Optional<Instant> nextFire(ScheduleConfig schedule, Instant after) {
        Date next = cron(schedule).getNextValidTimeAfter(Date.from(after));
        return Optional.ofNullable(next).map(Date::toInstant);
    }

    /** The earliest next fire of several schedules. */
    public static Optional<Instant> nextFire(Collection<ScheduleConfig> schedules, Instant after) {
        return schedules.stream().map(s -> nextFire(s, after)).flatMap(Optional::stream).min(Instant::compareTo);
    }

    /**
     * The longest time between two consecutive fires of the union of {@code schedules}, over
     * {@code horizon} from {@code from} (a year covers months of different lengths and DST changes).
     * This is the best RPO those schedules can achieve, before counting how long a backup takes.
     * Stops early once a gap reaches {@code enough}, and after {@code maxFires} fires (a per-second
     * schedule would otherwise mean 31 million fires).
     */
    public static Optional<Duration> longestGap(Collection<ScheduleConfig> schedules, Instant from, Duration horizon,
                                                Duration enough, int maxFires) {
        if (schedules.isEmpty()) {
            return Optional.empty();
        }
        List<CronExpression> crons = new ArrayList<>();
        for (ScheduleConfig schedule : schedules) {
            crons.add(cron(schedule));
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

    private static Optional<Instant> earliest(List<CronExpression> crons, Instant after) {
        Instant best = null;
        for (CronExpression cron : crons) {
            Date next = cron.getNextValidTimeAfter(Date.from(after));
            if (next != null && (best == null || next.toInstant().isBefore(best))) {
                best = next.toInstant();
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
