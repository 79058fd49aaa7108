package io.drover.core.rpo;

import io.drover.core.model.RpoState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The rule that turns the age of the newest usable recovery point into a state. */
public final class RpoClassifier {
    private final double atRiskFraction;

    /** @param atRiskFraction AT_RISK once the point is older than this fraction of the target (0 < f ≤ 1) */
    public RpoClassifier(double atRiskFraction) {
        if (!(atRiskFraction > 0 && atRiskFraction <= 1)) {
            throw new IllegalArgumentException("atRiskFraction must be in (0, 1]: " + atRiskFraction);
        }
        this.atRiskFraction = atRiskFraction;
    }

    public RpoState classify(Optional<Duration> achieved, Optional<Duration> target) {
        if (target.isEmpty()) {
            return RpoState.UNTRACKED;
        }
        if (achieved.isEmpty() || achieved.get().compareTo(target.get()) > 0) {
            return RpoState.BREACHED;
        }
        return achieved.get().compareTo(atRisk(target.get())) > 0 ? RpoState.AT_RISK : RpoState.OK;
    }

    /** The age past which a point makes its service AT_RISK. */
    public Duration atRisk(Duration target) {
        return Duration.ofNanos((long) (target.toNanos() * atRiskFraction));
    }

    /**
     * When the state will next get worse for a point captured at {@code capturedAt}, if no newer one
     * arrives: the moment it passes the at-risk age, then the target. Empty once BREACHED or untracked.
     */
    public Optional<Instant> nextWorsening(Instant capturedAt, Optional<Duration> target, Instant now) {
        if (target.isEmpty()) {
            return Optional.empty();
        }
        Instant atRiskAt = capturedAt.plus(atRisk(target.get()));
        if (now.isBefore(atRiskAt) || now.equals(atRiskAt)) {
            // A fraction of 1 makes both moments one: there is no AT_RISK phase then.
            return Optional.of(atRiskAt.plusNanos(1));
        }
        Instant breachedAt = capturedAt.plus(target.get());
        return now.isAfter(breachedAt) ? Optional.empty() : Optional.of(breachedAt.plusNanos(1));
    }

    /**
     * When a point captured at {@code capturedAt} made its service enter {@code state}: the moment it
     * crossed that threshold. For OK, the caller's evaluation time is the honest answer.
     */
    public Optional<Instant> enteredAt(RpoState state, Instant capturedAt, Duration target) {
        return switch (state) {
            case AT_RISK -> Optional.of(capturedAt.plus(atRisk(target)));
            case BREACHED -> Optional.of(capturedAt.plus(target));
            default -> Optional.empty();
        };
    }
}
