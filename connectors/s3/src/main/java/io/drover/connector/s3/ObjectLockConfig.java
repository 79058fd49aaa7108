package io.drover.connector.s3;

import java.util.Objects;

/**
 * Object Lock retention put on every object the target writes.
 *
 * @param mode {@code GOVERNANCE} or {@code COMPLIANCE}
 * @param days how long each object stays locked after it is written, at least 1
 */
public record ObjectLockConfig(String mode, int days) {
    public ObjectLockConfig {
        Objects.requireNonNull(mode, "mode");
    }
}
