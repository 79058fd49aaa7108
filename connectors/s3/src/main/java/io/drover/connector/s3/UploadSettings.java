package io.drover.connector.s3;

import io.drover.core.model.DataSize;
import java.util.Objects;
import java.util.Optional;

/**
 * What the target puts on every upload besides the data, and how it uploads.
 *
 * @param partSize          bytes per part of a multipart upload; objects up to this size are one PUT
 * @param uploadConcurrency parts of one object uploading at once
 */
record UploadSettings(Optional<String> storageClass, Optional<String> serverSideEncryption, Optional<String> kmsKeyId,
        Optional<ObjectLockConfig> objectLock, boolean crc32c, int partSize, int uploadConcurrency) {

    /** S3 refuses parts smaller than this, except the last. */
    static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    /**
     * S3 takes parts up to 5 GiB, but each part is one array in memory, {@code uploadConcurrency + 1}
     * of them per object being written: 1 GiB keeps that within what a JVM can hold.
     */
    static final int MAX_PART_SIZE = 1024 * 1024 * 1024;
    static final int DEFAULT_PART_SIZE = 16 * 1024 * 1024;
    static final int MAX_UPLOAD_CONCURRENCY = 16;
    /** Two parts in flight keep the connection busy while the next fills; each more costs a part of memory. */
    static final int DEFAULT_UPLOAD_CONCURRENCY = 2;

    UploadSettings {
        Objects.requireNonNull(storageClass, "storageClass");
        Objects.requireNonNull(serverSideEncryption, "serverSideEncryption");
        Objects.requireNonNull(kmsKeyId, "kmsKeyId");
        Objects.requireNonNull(objectLock, "objectLock");
        partSizeProblem(partSize).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        uploadConcurrencyProblem(uploadConcurrency).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    static UploadSettings of(S3TargetConfig config) {
        long partSize = config.partSize().bytes();
        partSizeProblem(partSize).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        return new UploadSettings(config.storageClass(), config.serverSideEncryption(), config.kmsKeyId(),
                config.objectLock(), config.checksums().equals(S3TargetConfig.WHEN_SUPPORTED), (int) partSize,
                config.uploadConcurrency());
    }

    /** What is wrong with {@code bytes} as {@code part-size}; the one check behind config validation and this record. */
    static Optional<String> partSizeProblem(long bytes) {
        if (bytes >= MIN_PART_SIZE && bytes <= MAX_PART_SIZE) {
            return Optional.empty();
        }
        return Optional.of("part-size must be between 5MiB and 1GiB, got " + DataSize.format(bytes) + " (S3 takes parts"
                + " of 5MiB to 5GiB; drover holds upload-concurrency + 1 parts in memory per object being written)");
    }

    /** What is wrong with {@code parts} as {@code upload-concurrency}. */
    static Optional<String> uploadConcurrencyProblem(int parts) {
        if (parts >= 1 && parts <= MAX_UPLOAD_CONCURRENCY) {
            return Optional.empty();
        }
        return Optional.of("upload-concurrency must be between 1 and " + MAX_UPLOAD_CONCURRENCY + ", got " + parts);
    }

    UploadSettings withPartSize(int size) {
        return new UploadSettings(storageClass, serverSideEncryption, kmsKeyId, objectLock, crc32c, size, uploadConcurrency);
    }

    UploadSettings withUploadConcurrency(int parts) {
        return new UploadSettings(storageClass, serverSideEncryption, kmsKeyId, objectLock, crc32c, partSize, parts);
    }
}
