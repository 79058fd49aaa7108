package io.drover.connector.s3;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageCapability;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetContract;
import io.drover.core.spi.TestBytes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The storage-target contract and S3 specifics against a real S3 API server (s3proxy). */
class S3StorageTargetTest extends StorageTargetContract {
    private static final int PART = UploadSettings.MIN_PART_SIZE;
    private static TestingS3Server server;

    private S3TargetConfig config;
    private S3Client s3;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingS3Server();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeClient() {
        s3.close();
    }

    @Override
    protected StorageTarget newTarget() {
        // A prefix proves keys are stored under it and listed without it.
        config = server.newBucket("drover/prod");
        s3 = S3StorageTargetFactory.client(config);
        return targetWithPartSize(PART);
    }

    private StorageTarget targetWithPartSize(int partSize) {
        return new S3StorageTarget(S3StorageTargetFactory.client(config), config.bucket(), config.prefix(),
                S3StorageTargetFactory.describe(config), UploadSettings.of(config).withPartSize(partSize), Clock.systemUTC());
    }

    @Test
    void objectsLiveUnderThePrefixInTheBucket() throws IOException {
        put(target, "a/b", new byte[] {1, 2});

        assertThat(bucketKeys()).containsExactly("drover/prod/a/b");
        assertThat(target.list("")).containsExactly(new ObjectInfo("a/b", 2));
    }

    @Test
    void objectsLargerThanAPartAreMultipartUploadsThatRoundTrip() throws IOException {
        byte[] content = TestBytes.of(2 * PART + 12_345, 7);
        ObjectInfo info;
        try (ObjectOutput out = target.create("big")) {
            for (int offset = 0; offset < content.length; offset += 100_000) {
                out.write(content, offset, Math.min(100_000, content.length - offset));
            }
            assertThat(pendingUploads()).hasSize(1);
            assertThat(target.list("")).isEmpty();
            info = out.commit();
        }

        assertThat(info).isEqualTo(new ObjectInfo("big", content.length));
        assertThat(read(target, "big")).isEqualTo(content);
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void objectOfExactlyOnePartRoundTrips() throws IOException {
        byte[] content = TestBytes.of(PART, 8);

        put(target, "exact", content);

        assertThat(read(target, "exact")).isEqualTo(content);
    }

    @Test
    void secondCreateOfTheSameKeyFailsAtCommitAndLeavesNoUpload() throws IOException {
        byte[] big = TestBytes.of(PART + 1, 9);
        ObjectOutput first = target.create("same");
        ObjectOutput second = target.create("same");
        first.write(big);
        second.write(big);
        second.write(1);

        first.commit();

        assertThatThrownBy(second::commit).isInstanceOf(ObjectAlreadyExistsException.class);
        assertThat(read(target, "same")).isEqualTo(big);
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void secondSmallCreateFailsAtCommitWithTheConditionalPut() throws IOException {
        ObjectOutput first = target.create("small");
        ObjectOutput second = target.create("small");
        first.write(1);
        second.write(2);
        first.commit();

        assertThatThrownBy(second::commit).isInstanceOf(ObjectAlreadyExistsException.class);
        assertThat(read(target, "small")).containsExactly(1);
    }

    @Test
    void abortedMultipartUploadLeavesNoObjectAndNoPendingUpload() throws IOException {
        try (ObjectOutput out = target.create("aborted")) {
            out.write(TestBytes.of(2 * PART + 1, 10));
            assertThat(pendingUploads()).hasSize(1);
        }

        assertThat(pendingUploads()).isEmpty();
        assertThat(bucketKeys()).isEmpty();
    }

    @Test
    void uploadsCarryACrc32cTheStoreKeeps() throws IOException {
        byte[] content = TestBytes.of(1000, 13);
        put(target, "summed", content);

        HeadObjectResponse head = s3.headObject(b -> b.bucket(config.bucket()).key("drover/prod/summed")
                .checksumMode(ChecksumMode.ENABLED));

        assertThat(head.checksumCRC32C()).isEqualTo(S3ObjectOutput.crc32c(content, content.length));
    }

    @Test
    void storageClassEncryptionAndObjectLockGoOnEverySmallAndMultipartUpload() throws IOException {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        S3TargetConfig base = server.config(config.bucket(), "locked", S3TargetConfig.WHEN_SUPPORTED);
        S3TargetConfig locked = new S3TargetConfig(base.bucket(), base.prefix(), base.region(), base.endpoint(), true,
                base.accessKeyId(), base.secretAccessKey(), Optional.of("STANDARD_IA"), Optional.of("AES256"),
                Optional.empty(), Optional.of(new ObjectLockConfig("GOVERNANCE", 7)), base.checksums(),
                base.partSize(), base.uploadConcurrency());
        List<SdkRequest> sent = new CopyOnWriteArrayList<>();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                sent.add(context.request());
            }
        };
        S3Client recording = S3StorageTargetFactory.clientBuilder(locked)
                .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build();
        try (StorageTarget lockedTarget = new S3StorageTarget(recording, locked.bucket(), locked.prefix(), "test",
                UploadSettings.of(locked).withPartSize(PART), Clock.fixed(now, ZoneOffset.UTC))) {
            put(lockedTarget, "small", new byte[] {1});
            put(lockedTarget, "large", TestBytes.of(PART + 1, 14));

            assertThat(lockedTarget.capabilities()).contains(StorageCapability.OBJECT_LOCK);
        }

        Instant until = now.plus(Duration.ofDays(7));
        assertThat(sent).filteredOn(PutObjectRequest.class::isInstance).map(PutObjectRequest.class::cast)
                .singleElement().satisfies(put -> {
                    assertThat(put.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
                    assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
                    assertThat(put.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
                    assertThat(put.objectLockRetainUntilDate()).isEqualTo(until);
                    assertThat(put.ifNoneMatch()).isEqualTo("*");
                });
        assertThat(sent).filteredOn(CreateMultipartUploadRequest.class::isInstance)
                .map(CreateMultipartUploadRequest.class::cast).singleElement().satisfies(create -> {
                    assertThat(create.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
                    assertThat(create.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
                    assertThat(create.objectLockMode()).isEqualTo(ObjectLockMode.GOVERNANCE);
                    assertThat(create.objectLockRetainUntilDate()).isEqualTo(until);
                    assertThat(create.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32_C);
                });
        assertThat(sent).filteredOn(CompleteMultipartUploadRequest.class::isInstance)
                .map(CompleteMultipartUploadRequest.class::cast).singleElement()
                .satisfies(complete -> assertThat(complete.ifNoneMatch()).isEqualTo("*"));
    }

    @Test
    void storeWithoutConditionalWritesFallsBackToAHeadCheckAndDropsAtomicCreate() throws IOException {
        // s3proxy supports If-None-Match; an interceptor plays a store that answers it with 501.
        ExecutionInterceptor notImplemented = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                boolean conditional = context.request() instanceof PutObjectRequest put && put.ifNoneMatch() != null
                        || context.request() instanceof CompleteMultipartUploadRequest complete && complete.ifNoneMatch() != null;
                if (conditional) {
                    throw (S3Exception) S3Exception.builder().statusCode(501).message("NotImplemented").build();
                }
            }
        };
        S3Client client = S3StorageTargetFactory.clientBuilder(config)
                .overrideConfiguration(c -> c.addExecutionInterceptor(notImplemented)).build();
        try (StorageTarget old = new S3StorageTarget(client, config.bucket(), config.prefix(), "old store",
                UploadSettings.of(config).withPartSize(PART), Clock.systemUTC())) {
            ObjectOutput late = old.create("large");
            late.write(TestBytes.of(PART + 1, 15));
            put(old, "small", new byte[] {1});
            put(old, "large", TestBytes.of(PART + 2, 16));

            assertThatThrownBy(late::commit).isInstanceOf(ObjectAlreadyExistsException.class);
            assertThatThrownBy(() -> put(old, "small", new byte[] {2})).isInstanceOf(ObjectAlreadyExistsException.class);
            assertThat(read(old, "small")).containsExactly(1);
            assertThat(read(old, "large")).isEqualTo(TestBytes.of(PART + 2, 16));
            assertThat(old.capabilities()).doesNotContain(StorageCapability.ATOMIC_CREATE);
        }
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void capabilitiesIncludeAtomicCreateAndServerChecksums() {
        assertThat(target.capabilities()).contains(StorageCapability.ATOMIC_CREATE, StorageCapability.DURABLE_COMMIT,
                StorageCapability.SERVER_CHECKSUM).doesNotContain(StorageCapability.OBJECT_LOCK);
    }

    @Test
    void whenRequiredChecksumsStillRoundTripAndClaimNoServerChecksum() throws IOException {
        S3TargetConfig plain = server.config(config.bucket(), "plain", S3TargetConfig.WHEN_REQUIRED);
        try (StorageTarget other = new S3StorageTargetFactory().create(plain,
                new ConnectorContext("offsite", Path.of("/nonexistent"), Clock.systemUTC()))) {
            byte[] content = TestBytes.of(PART + 3, 12);
            put(other, "k", content);

            assertThat(read(other, "k")).isEqualTo(content);
            assertThat(other.capabilities()).doesNotContain(StorageCapability.SERVER_CHECKSUM);
        }
    }

    @Test
    void describeNamesBucketPrefixAndEndpointButNoCredentials() {
        assertThat(target.describe()).isEqualTo("s3://" + config.bucket() + "/drover/prod (" + server.endpoint() + ")");
        assertThat(target.describe()).doesNotContain("drover-test-secret").doesNotContain("drover-test-access");
    }

    private List<MultipartUpload> pendingUploads() {
        return s3.listMultipartUploads(b -> b.bucket(config.bucket())).uploads();
    }

    private List<String> bucketKeys() {
        return s3.listObjectsV2(b -> b.bucket(config.bucket())).contents().stream().map(S3Object::key).toList();
    }
}
