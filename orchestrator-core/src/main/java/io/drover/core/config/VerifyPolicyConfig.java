package io.drover.core.config;

import io.drover.core.model.VerificationLevel;
import java.util.Optional;

/** {@code verify:} of a job: the check run right after each backup. */
public record VerifyPolicyConfig(Optional<VerificationLevel> afterBackup) {
}
