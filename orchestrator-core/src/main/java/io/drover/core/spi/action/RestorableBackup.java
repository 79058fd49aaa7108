package io.drover.core.spi.action;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A backup that can be restored now, as {@link ActionServices#newestBackup} found it.
 *
 * @param backupId     the backup id, e.g. {@code 20261127T091500Z-3f9a1c2b}
 * @param target       the target whose copy would be read
 * @param capturedAt   when the source's state was captured
 * @param verification the best verification that copy passed, e.g. {@code VERIFIED_QUICK}, {@code UNVERIFIED}
 * @param files        the number of files it holds
 * @param bytes        their size before compression
 * @param keyProblem   why this backup cannot be decrypted with the configured key, if it cannot
 */
public record RestorableBackup(String backupId, String job, String target, Instant capturedAt, String verification,
                               long files, long bytes, Optional<String> keyProblem) {
    public RestorableBackup {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(capturedAt, "capturedAt");
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(keyProblem, "keyProblem");
    }
}
