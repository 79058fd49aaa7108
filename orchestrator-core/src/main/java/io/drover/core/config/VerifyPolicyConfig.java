package io.drover.core.config;

import io.drover.core.model.VerificationLevel;
import java.util.Optional;

/**
 * {@code verify:} of a job.
 *
 * @param afterBackup the check run right after each backup
 * @param deep        when {@code drover serve} deep-verifies the job's newest recovery point on every target
 * @param restore     when and how it restore-tests it (decrypt, decompress, compare every file's hash;
 *                    for databases also load it into a scratch database and run checks)
 */
public record VerifyPolicyConfig(Optional<VerificationLevel> afterBackup, Optional<ScheduleConfig> deep,
                                 Optional<RestoreVerifyConfig> restore) {
    public VerifyPolicyConfig {
        deep = deep == null ? Optional.empty() : deep;
        restore = restore == null ? Optional.empty() : restore;
    }

    public VerifyPolicyConfig(Optional<VerificationLevel> afterBackup) {
        this(afterBackup, Optional.empty(), Optional.empty());
    }
}
