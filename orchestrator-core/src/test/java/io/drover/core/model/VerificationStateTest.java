package io.drover.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerificationStateTest {
    @Test
    void aBetterResultIsNeverDowngraded() {
        assertThat(VerificationState.VERIFIED_DEEP.afterPassing(VerificationState.VERIFIED_QUICK)).isEqualTo(VerificationState.VERIFIED_DEEP);
        assertThat(VerificationState.VERIFIED_QUICK.afterPassing(VerificationState.RESTORE_TESTED)).isEqualTo(VerificationState.RESTORE_TESTED);
    }

    @Test
    void corruptSatisfiesNothing() {
        assertThat(VerificationState.CORRUPT.satisfies(VerificationState.UNVERIFIED)).isFalse();
        assertThat(VerificationState.RESTORE_TESTED.satisfies(VerificationState.VERIFIED_DEEP)).isTrue();
    }
}
