package io.drover.core.spi.action;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the engine hands an action for one call.
 *
 * @param executionId the execution, for keys that must be unique per execution (alert keys)
 * @param stepId      the step's {@code id}
 * @param runbook     the runbook's name
 * @param deadline    when the step's {@code timeout} runs out; the engine also interrupts the thread
 * @param clock       the clock for every time stamp and wait
 * @param stateDir    drover's state directory
 * @param log         progress lines for the operator (e.g. "waiting for db2:5432")
 * @param services    what core offers actions (alert channels, databases, traffic switches, backups)
 */
public record ActionContext(long executionId, String stepId, String runbook, Instant deadline, Clock clock,
                            Path stateDir, Consumer<String> log, ActionServices services) {
    public ActionContext {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(runbook, "runbook");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(services, "services");
    }

    /** Time left until the deadline, never negative. */
    public java.time.Duration remaining() {
        java.time.Duration left = java.time.Duration.between(clock.instant(), deadline);
        return left.isNegative() ? java.time.Duration.ZERO : left;
    }
}
