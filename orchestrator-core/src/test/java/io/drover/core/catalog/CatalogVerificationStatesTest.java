package io.drover.core.catalog;

import static io.drover.core.model.VerificationState.CORRUPT;
import static io.drover.core.model.VerificationState.RESTORE_TESTED;
import static io.drover.core.model.VerificationState.UNVERIFIED;
import static io.drover.core.model.VerificationState.VERIFIED_DEEP;
import static io.drover.core.model.VerificationState.VERIFIED_QUICK;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure rules that combine verification results. */
class CatalogVerificationStatesTest {
    @Test
    void mergeKeepsKnowledgeAndLetsCorruptionWin() {
        assertThat(VerificationStates.merge(VERIFIED_DEEP, UNVERIFIED)).isEqualTo(VERIFIED_DEEP);
        assertThat(VerificationStates.merge(CORRUPT, UNVERIFIED)).isEqualTo(CORRUPT);
        assertThat(VerificationStates.merge(VERIFIED_DEEP, VERIFIED_QUICK)).isEqualTo(VERIFIED_DEEP);
        assertThat(VerificationStates.merge(VERIFIED_QUICK, RESTORE_TESTED)).isEqualTo(RESTORE_TESTED);
        assertThat(VerificationStates.merge(RESTORE_TESTED, CORRUPT)).isEqualTo(CORRUPT);
        assertThat(VerificationStates.merge(CORRUPT, VERIFIED_QUICK)).isEqualTo(VERIFIED_QUICK);
    }

    @Test
    void pointSummarisesItsCopies() {
        assertThat(VerificationStates.summarize(List.of())).isEmpty();
        assertThat(VerificationStates.summarize(List.of(CORRUPT, VERIFIED_QUICK, UNVERIFIED))).contains(VERIFIED_QUICK);
        assertThat(VerificationStates.summarize(List.of(VERIFIED_DEEP, CORRUPT))).contains(VERIFIED_DEEP);
        assertThat(VerificationStates.summarize(List.of(CORRUPT, CORRUPT))).contains(CORRUPT);
        assertThat(VerificationStates.summarize(List.of(UNVERIFIED, CORRUPT))).contains(UNVERIFIED);
    }
}
