package io.drover.core.model;

/** The best verification a recovery point copy has passed, or {@link #CORRUPT} once a check failed. */
public enum VerificationState {
    UNVERIFIED(0),
    VERIFIED_QUICK(1),
    VERIFIED_DEEP(2),
    RESTORE_TESTED(3),
    CORRUPT(-1);

    private final int rank;

    VerificationState(int rank) {
        this.rank = rank;
    }

    /** Whether this state satisfies a policy that requires {@code required}. */
    public boolean satisfies(VerificationState required) {
        return rank >= 0 && rank >= required.rank;
    }

    /** The state after passing a check that yields {@code passed}: never downgrades a better result. */
    public VerificationState afterPassing(VerificationState passed) {
        if (this == CORRUPT) {
            return passed;
        }
        return passed.rank > rank ? passed : this;
    }
}
