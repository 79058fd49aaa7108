package io.drover.core.catalog;

import io.drover.core.model.VerificationLevel;
import io.drover.core.model.VerificationState;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The rules that combine verification results. A copy's state only improves by passing checks
 * and becomes {@code CORRUPT} when one fails; re-importing a copy (state {@code UNVERIFIED})
 * never erases what is known. A recovery point is {@code CORRUPT} only if every copy is.
 */
final class VerificationStates {
    private VerificationStates() {
    }

    /** A copy's state with the check that established it. */
    record Status(VerificationState state, Optional<Instant> at, Optional<VerificationLevel> level) {
        static final Status UNVERIFIED = new Status(VerificationState.UNVERIFIED, Optional.empty(), Optional.empty());

        static Status of(CopyRecord copy) {
            return new Status(copy.verificationState(), copy.verifiedAt(), copy.verifiedLevel());
        }
    }

    /** {@code known} updated with new evidence {@code incoming}. */
    static Status merge(Status known, Status incoming) {
        VerificationState merged = merge(known.state(), incoming.state());
        if (merged != incoming.state()) {
            return known;
        }
        if (merged == known.state() && incoming.at().isEmpty()) {
            return known;
        }
        return incoming;
    }

    /**
     * {@code known} updated with {@code incoming}: {@code UNVERIFIED} is no evidence, {@code CORRUPT}
     * always wins, a passed check never downgrades a better result.
     */
    static VerificationState merge(VerificationState known, VerificationState incoming) {
        return switch (incoming) {
            case UNVERIFIED -> known;
            case CORRUPT -> VerificationState.CORRUPT;
            default -> known.afterPassing(incoming);
        };
    }

    /** What a verification run tells about its copy; an {@code ERROR} run tells nothing. */
    static Optional<Status> evidence(VerificationRecord run) {
        return switch (run.outcome()) {
            case PASSED -> Optional.of(new Status(run.level().passedState(), Optional.of(run.finishedAt()),
                    Optional.of(run.level())));
            case FAILED -> Optional.of(new Status(VerificationState.CORRUPT, Optional.of(run.finishedAt()),
                    Optional.of(run.level())));
            case ERROR -> Optional.empty();
        };
    }

    /** A copy's status recomputed from its verification history, oldest run first. */
    static Status replay(List<VerificationRecord> runs) {
        Status status = Status.UNVERIFIED;
        for (VerificationRecord run : runs) {
            Optional<Status> evidence = evidence(run);
            if (evidence.isPresent()) {
                status = merge(status, evidence.get());
            }
        }
        return status;
    }

    /** A recovery point's state from its copies' states; empty if it has no copies. */
    static Optional<VerificationState> summarize(Collection<VerificationState> copies) {
        return copies.stream()
                .reduce((a, b) -> a == VerificationState.CORRUPT ? b
                        : b == VerificationState.CORRUPT ? a
                        : a.satisfies(b) ? a : b);
    }
}
