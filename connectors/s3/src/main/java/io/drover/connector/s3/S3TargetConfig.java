package io.drover.connector.s3;

import io.drover.core.model.DataSize;
import io.drover.core.model.Secret;
import io.drover.core.spi.Default;
import java.util.Objects;
import java.util.Optional;

/**
 * Config of an {@code s3} storage target.
 *
 * @param bucket               the bucket that holds the objects; it must exist
 * @param prefix               key prefix inside the bucket (no leading {@code /}); a {@code /} is
 *                             added between it and the object keys. The default is written {@code ''}
 *                             because core reads a bare empty default as YAML null.
 * @param region               the bucket's region; default: the SDK's region chain, else us-east-1
 * @param endpoint             endpoint override for S3-compatible stores, an http(s) URL
 * @param pathStyle            address the bucket in the path instead of the host name
 * @param accessKeyId          access key; without both key parts the SDK default credentials
 *                             chain is used
 * @param secretAccessKey      secret key
 * @param storageClass         e.g. {@code STANDARD_IA}
 * @param serverSideEncryption {@code AES256} or {@code aws:kms}
 * @param kmsKeyId             KMS key for {@code aws:kms}
 * @param objectLock           Object Lock retention for every object
 * @param checksums            {@code when-supported}: CRC32C on every upload, checked by the
 *                             store; {@code when-required}: only where the API demands one, for
 *                             stores that reject the SDK's checksums
 * @param partSize             bytes per part of a multipart upload, 5MiB to 1GiB (S3 allows 5GiB,
 *                             but parts are held in memory); default 16MiB. An object larger than
 *                             this is uploaded in parts, and S3 allows at most 10,000 of them, so
 *                             this also caps the object size (16MiB: 156 GiB; 64MiB: 625 GiB)
 * @param uploadConcurrency    parts of one object uploading at once, 1 to 16; default 2. Memory:
 *                             each object being written holds up to {@code upload-concurrency + 1}
 *                             part buffers (the parts in flight and the one filling), e.g. 48 MiB
 *                             at the defaults; objects smaller than a part hold only their size
 */
public record S3TargetConfig(String bucket, @Default("") String prefix, Optional<String> region,
        Optional<String> endpoint, @Default("false") boolean pathStyle, Optional<Secret> accessKeyId,
        Optional<Secret> secretAccessKey, Optional<String> storageClass, Optional<String> serverSideEncryption,
        Optional<String> kmsKeyId, Optional<ObjectLockConfig> objectLock, @Default("when-supported") String checksums,
        @Default(UploadSettings.DEFAULT_PART_SIZE / (1024 * 1024) + "MiB") DataSize partSize,
        @Default("" + UploadSettings.DEFAULT_UPLOAD_CONCURRENCY) int uploadConcurrency) {

    public static final String WHEN_SUPPORTED = "when-supported";
    public static final String WHEN_REQUIRED = "when-required";

    public S3TargetConfig {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(storageClass, "storageClass");
        Objects.requireNonNull(serverSideEncryption, "serverSideEncryption");
        Objects.requireNonNull(kmsKeyId, "kmsKeyId");
        Objects.requireNonNull(objectLock, "objectLock");
        Objects.requireNonNull(checksums, "checksums");
        Objects.requireNonNull(partSize, "partSize");
    }

    /** A config with only a bucket; the rest at its defaults. */
    public static S3TargetConfig ofBucket(String bucket) {
        return new S3TargetConfig(bucket, "", Optional.empty(), Optional.empty(), false, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), WHEN_SUPPORTED,
                DataSize.ofBytes(UploadSettings.DEFAULT_PART_SIZE), UploadSettings.DEFAULT_UPLOAD_CONCURRENCY);
    }
}
