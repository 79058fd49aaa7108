package io.drover.runbook.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An approval gate: the step waits until someone in {@code role} (see {@code roles:} in drover.yaml)
 * runs {@code drover runbook approve}.
 *
 * @param timeout how long to wait; empty waits until approved or aborted
 */
public record Approval(String role, Optional<Duration> timeout) {
    public Approval {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(timeout, "timeout");
    }
}
