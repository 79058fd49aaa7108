package io.drover.connector.s3;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.TestBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * {@code removeAbandonedWrites} against s3proxy keeping its data on disk: there an upload's
 * initiation time is the modification time of s3proxy's record of it, so a test can age an upload
 * the way a crashed run hours ago would have left it.
 */
class S3AbandonedWritesTest {
    private static final int PART = UploadSettings.MIN_PART_SIZE;
    private static final Duration GRACE = Duration.ofHours(1);

    @TempDir
    static Path storeRoot;
    private static TestingS3Server server;

    private S3TargetConfig config;
    private S3Client s3;
    private StorageTarget target;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingS3Server(new FilesystemNio2BlobStore(storeRoot.toString()));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newTarget() {
        config = server.newBucket("drover/prod");
        s3 = S3StorageTargetFactory.client(config);
        target = target(S3StorageTargetFactory.client(config));
    }

    @AfterEach
    void close() throws IOException {
        target.close();
        s3.close();
    }

    private StorageTarget target(S3Client client) {
        return new S3StorageTarget(client, config.bucket(), config.prefix(), S3StorageTargetFactory.describe(config),
                UploadSettings.of(config).withPartSize(PART), Clock.systemUTC());
    }

    @Test
    void uploadsOfCrashedWritesOlderThanTheCutoffAreAbortedAndNothingElse() throws IOException {
        byte[] committed = TestBytes.of(2 * PART + 1, 1);
        put(target, "backups/1/part-000001", committed);
        put(target, "backups/1/manifest.json", new byte[] {1});
        // A crashed run never closes its output: its upload stays. Age it past the grace period.
        ObjectOutput crashed = target.create("backups/2/part-000001");
        crashed.write(TestBytes.of(PART + 1, 2));
        age("drover/prod/backups/2/part-000001", Duration.ofHours(2));
        ObjectOutput running = target.create("backups/3/part-000001");
        byte[] runningContent = TestBytes.of(PART + 3, 3);
        running.write(runningContent);
        // Uploads that are not drover's: outside the prefix, and under it with a name drover never writes.
        s3.createMultipartUpload(b -> b.bucket(config.bucket()).key("other-tool/x"));
        s3.createMultipartUpload(b -> b.bucket(config.bucket()).key("drover/prod/odd name"));
        age("other-tool/x", Duration.ofHours(2));
        age("drover/prod/odd name", Duration.ofHours(2));

        int removed = target.removeAbandonedWrites(Instant.now().minus(GRACE));

        assertThat(removed).isEqualTo(1);
        assertThat(pendingUploads()).extracting(MultipartUpload::key)
                .containsExactlyInAnyOrder("drover/prod/backups/3/part-000001", "other-tool/x", "drover/prod/odd name");
        assertThat(read(target, "backups/1/part-000001")).isEqualTo(committed);
        assertThat(read(target, "backups/1/manifest.json")).containsExactly(1);
        running.commit();
        assertThat(read(target, "backups/3/part-000001")).isEqualTo(runningContent);
        assertThatCode(crashed::close).doesNotThrowAnyException();
        assertThat(target.list("")).extracting(io.drover.core.spi.ObjectInfo::key)
                .containsExactly("backups/1/manifest.json", "backups/1/part-000001", "backups/3/part-000001");
    }

    @Test
    void anOutputWrittenIntoAndNeverCommittedIsRemovedByACutoffAfterItsStart() throws IOException {
        ObjectOutput abandoned = target.create("k");
        // Enough to start the multipart upload; less stays in this process's memory and leaves nothing behind.
        abandoned.write(TestBytes.of(PART + 1, 4));

        assertThat(target.removeAbandonedWrites(Instant.now().minus(GRACE))).isZero();
        assertThat(target.removeAbandonedWrites(Instant.now().plusSeconds(1))).isEqualTo(1);

        assertThat(pendingUploads()).isEmpty();
        assertThat(target.stat("k")).isEmpty();
        assertThat(target.removeAbandonedWrites(Instant.now().plusSeconds(1))).isZero();
    }

    @Test
    void smallOutputsLeaveNothingToRemove() throws IOException {
        ObjectOutput small = target.create("k");
        small.write(TestBytes.of(1000, 5));

        assertThat(target.removeAbandonedWrites(Instant.now().plusSeconds(1))).isZero();
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void listingIsPagedThroughToTheEnd() throws IOException {
        // One upload per page, so three uploads take three ListMultipartUploads requests.
        AtomicInteger listRequests = new AtomicInteger();
        ExecutionInterceptor onePerPage = new ExecutionInterceptor() {
            @Override
            public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
                if (context.request() instanceof ListMultipartUploadsRequest list) {
                    listRequests.incrementAndGet();
                    return list.toBuilder().maxUploads(1).build();
                }
                return context.request();
            }
        };
        S3Client paging = S3StorageTargetFactory.clientBuilder(config)
                .overrideConfiguration(c -> c.addExecutionInterceptor(onePerPage)).build();
        try (StorageTarget pagingTarget = target(paging)) {
            for (int i = 1; i <= 3; i++) {
                pagingTarget.create("backups/" + i + "/part").write(TestBytes.of(PART + 1, i));
            }

            assertThat(pagingTarget.removeAbandonedWrites(Instant.now().plusSeconds(1))).isEqualTo(3);
        }
        assertThat(listRequests).hasValueGreaterThanOrEqualTo(3);
        assertThat(pendingUploads()).isEmpty();
    }

    private String uploadIdOf(String s3Key) {
        return pendingUploads().stream().filter(u -> u.key().equals(s3Key)).map(MultipartUpload::uploadId)
                .findFirst().orElseThrow(() -> new AssertionError("no upload of " + s3Key + " in " + pendingUploads()));
    }

    /**
     * Moves an upload's initiation time into the past: s3proxy reports the modification time of its
     * record of the upload, {@code .mpus-<upload id>-<key>-stub} in the bucket's directory. Checks
     * that the store then reports the upload as that old.
     */
    private void age(String s3Key, Duration by) throws IOException {
        String uploadId = uploadIdOf(s3Key);
        Path record = storeRoot.resolve(config.bucket()).resolve(".mpus-" + uploadId + "-" + s3Key + "-stub");
        assertThat(record).as("s3proxy's record of the upload of %s", s3Key).isRegularFile();
        Files.setLastModifiedTime(record, FileTime.from(Instant.now().minus(by)));
        assertThat(pendingUploads()).filteredOn(u -> u.uploadId().equals(uploadId)).singleElement()
                .satisfies(u -> assertThat(u.initiated()).isBefore(Instant.now().minus(by).plusSeconds(60)));
    }

    private List<MultipartUpload> pendingUploads() {
        return s3.listMultipartUploadsPaginator(b -> b.bucket(config.bucket())).uploads().stream().toList();
    }
}
