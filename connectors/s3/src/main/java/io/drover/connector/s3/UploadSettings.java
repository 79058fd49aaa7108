package io.drover.connector.s3;

import java.util.Objects;
import java.util.Optional;

/** What the target puts on every upload besides the data. */
record UploadSettings(Optional<String> storageClass, Optional<String> serverSideEncryption, Optional<String> kmsKeyId,
        Optional<ObjectLockConfig> objectLock, boolean crc32c, int partSize) {

    /** S3 refuses parts smaller than this, except the last. */
    static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    static final int DEFAULT_PART_SIZE = 16 * 1024 * 1024;

    UploadSettings {
        Objects.requireNonNull(storageClass, "storageClass");
        Objects.requireNonNull(serverSideEncryption, "serverSideEncryption");
        Objects.requireNonNull(kmsKeyId, "kmsKeyId");
        Objects.requireNonNull(objectLock, "objectLock");
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size must be at least " + MIN_PART_SIZE);
        }
    }

    static UploadSettings of(S3TargetConfig config) {
        return new UploadSettings(config.storageClass(), config.serverSideEncryption(), config.kmsKeyId(),
                config.objectLock(), config.checksums().equals(S3TargetConfig.WHEN_SUPPORTED), DEFAULT_PART_SIZE);
    }

    UploadSettings withPartSize(int size) {
        return new UploadSettings(storageClass, serverSideEncryption, kmsKeyId, objectLock, crc32c, size);
    }
}
