package io.drover.core.config;

import io.drover.core.spi.Default;
import io.drover.core.spi.ValidationCheck;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code verify: { restore: ... }} of a job: when {@code drover serve} restore-tests the job's
 * newest recovery point, and, for database sources, how: the checks run on the restored copy and
 * where it is loaded.
 *
 * @param cron         when to run it (Quartz cron, seconds first); absent: only on demand with
 *                     {@code drover verify --level restore}
 * @param checks       validation checks run against the restored database
 * @param verifyServer a source of the same type whose server gets a scratch database (created and
 *                     dropped) instead of a temporary instance started by drover
 * @param timeout      how long the restore test may take in all
 */
public record RestoreVerifyConfig(Optional<String> cron, @Default("UTC") ZoneId timezone,
                                  @Default("run-once") ScheduleConfig.Misfire misfire, Optional<String> blackout,
                                  @Default("[]") List<Check> checks, Optional<String> verifyServer,
                                  @Default("2h") Duration timeout) {
    public RestoreVerifyConfig {
        cron = cron == null ? Optional.empty() : cron;
        blackout = blackout == null ? Optional.empty() : blackout;
        checks = List.copyOf(checks);
        verifyServer = verifyServer == null ? Optional.empty() : verifyServer;
        Objects.requireNonNull(timeout, "timeout");
    }

    /** A restore test on a cron schedule with no checks. */
    public static RestoreVerifyConfig scheduled(ScheduleConfig schedule) {
        return new RestoreVerifyConfig(Optional.of(schedule.cron()), schedule.timezone(), schedule.misfire(),
                schedule.blackout(), List.of(), Optional.empty(), Duration.ofHours(2));
    }

    /** The schedule, when a cron expression is set. */
    public Optional<ScheduleConfig> schedule() {
        return cron.map(c -> new ScheduleConfig(c, timezone, misfire, blackout));
    }

    /**
     * One check, written as exactly one of {@code sql} (optionally with {@code expect}),
     * {@code table} (with {@code min-rows}) or {@code canary: true}.
     */
    public record Check(Optional<String> sql, Optional<String> expect, Optional<String> table,
                        @Default("1") long minRows, @Default("false") boolean canary) {
        public Check {
            sql = sql == null ? Optional.empty() : sql;
            expect = expect == null ? Optional.empty() : expect;
            table = table == null ? Optional.empty() : table;
        }

        /** The check to run; {@code canaryWritten} is when the backup wrote its canary, if it did. */
        public ValidationCheck toCheck(Optional<Instant> canaryWritten) {
            if (sql.isPresent()) {
                return new ValidationCheck.Sql(sql.get(), expect);
            }
            if (table.isPresent()) {
                return new ValidationCheck.MinRows(table.get(), minRows);
            }
            return new ValidationCheck.Canary(canaryWritten);
        }
    }
}
