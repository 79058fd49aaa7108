package io.drover.core.catalog;

import io.drover.core.spi.CheckResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a restore test of a database backup proved, kept with its verification run.
 *
 * @param restoreDuration from the start of the restore to the end of the load: RTO evidence
 * @param scratch         where the backup was loaded ({@code ScratchDatabase.describe()})
 * @param checks          every validation check and its result, in the order they ran
 * @param provenAt        the newest canary found in the restored copy: the proven recovery point
 */
public record RestoreTest(Duration restoreDuration, String scratch, List<CheckResult> checks, Optional<Instant> provenAt) {
    public RestoreTest {
        Objects.requireNonNull(restoreDuration, "restoreDuration");
        Objects.requireNonNull(scratch, "scratch");
        checks = List.copyOf(checks);
        Objects.requireNonNull(provenAt, "provenAt");
    }
}
