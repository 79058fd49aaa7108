package io.drover.core.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one {@link ValidationCheck}.
 *
 * @param detail   what was found, e.g. {@code 1000000 rows}, or why the check failed
 * @param provenAt for a canary check: the time stamp of the newest canary in the restored copy
 */
public record CheckResult(String check, boolean passed, String detail, Optional<Instant> provenAt) {
    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(provenAt, "provenAt");
    }

    public static CheckResult passed(ValidationCheck check, String detail) {
        return new CheckResult(check.name(), true, detail, Optional.empty());
    }

    public static CheckResult failed(ValidationCheck check, String detail) {
        return new CheckResult(check.name(), false, detail, Optional.empty());
    }
}
