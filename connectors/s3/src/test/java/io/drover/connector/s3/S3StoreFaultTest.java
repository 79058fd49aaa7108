package io.drover.connector.s3;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.connector.s3.FaultInjectingBlobStore.Fault;
import io.drover.connector.s3.FaultInjectingBlobStore.Operation;
import io.drover.core.error.DroverException;
import io.drover.core.repository.StorageErrors;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.TestBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * HTTP 500 and 503 from the store, on the wire: s3proxy in front of a {@link FaultInjectingBlobStore}.
 * Transient faults are retried and leave an object identical to what was written, with the
 * checksum the store computed matching ours; persistent ones end in a clear failure, the
 * multipart upload aborted and nothing visible. (An upload whose abort fails too is tested with a
 * network fault in {@link S3ConnectionFaultTest}: s3proxy forgets an upload before it asks the
 * blob store to abort it, so a fault injected there would not leave the upload behind.)
 */
class S3StoreFaultTest {
    private static final int PART = UploadSettings.MIN_PART_SIZE;
    private static FaultInjectingBlobStore store;
    private static TestingS3Server server;

    private S3TargetConfig config;
    private S3Client s3;
    private StorageTarget target;

    @BeforeAll
    static void startServer() throws Exception {
        store = new FaultInjectingBlobStore(new TransientNio2BlobStore());
        server = new TestingS3Server(store);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newTarget() {
        store.reset();
        config = server.newBucket("drover");
        s3 = S3StorageTargetFactory.client(config);
        target = new S3StorageTarget(S3StorageTargetFactory.client(config), config.bucket(), config.prefix(),
                S3StorageTargetFactory.describe(config), UploadSettings.of(config).withPartSize(PART), Clock.systemUTC());
    }

    @AfterEach
    void close() throws IOException {
        store.heal();
        target.close();
        s3.close();
    }

    // --- transient faults: retried, object identical ---------------------------------------------

    @ParameterizedTest
    @EnumSource(Fault.class)
    void transientFaultsOnPartUploadsAreRetriedAndTheObjectIsIdentical(Fault fault) throws IOException {
        byte[] content = TestBytes.of(3 * PART + 12_345, 1);
        store.failNext(Operation.UPLOAD_PART, 2, fault);

        ObjectInfo info = put(target, "big", content);

        assertThat(info).isEqualTo(new ObjectInfo("big", content.length));
        assertThat(store.failures(Operation.UPLOAD_PART)).isEqualTo(2);
        assertIdenticalAndChecksummed("big", content);
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void transientFaultsOnStartAndCompleteOfAMultipartUploadAreRetried() throws IOException {
        byte[] content = TestBytes.of(PART + 1, 2);
        store.failNext(Operation.CREATE_MULTIPART_UPLOAD, 1, Fault.SLOW_DOWN);
        store.failNext(Operation.COMPLETE_MULTIPART_UPLOAD, 2, Fault.INTERNAL_ERROR);

        put(target, "big", content);

        assertThat(store.failures(Operation.CREATE_MULTIPART_UPLOAD)).isEqualTo(1);
        assertThat(store.failures(Operation.COMPLETE_MULTIPART_UPLOAD)).isEqualTo(2);
        assertIdenticalAndChecksummed("big", content);
        assertThat(pendingUploads()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void transientFaultsOnTheConditionalPutOfACommitRecordAreRetried(Fault fault) throws IOException {
        byte[] manifest = TestBytes.of(4000, 3);
        store.failNext(Operation.PUT_OBJECT, 2, fault);

        put(target, "backups/1/manifest.json", manifest);

        assertThat(store.failures(Operation.PUT_OBJECT)).isEqualTo(2);
        assertIdenticalAndChecksummed("backups/1/manifest.json", manifest);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void transientFaultsOnReadsAreRetried(Fault fault) throws IOException {
        byte[] content = TestBytes.of(2 * PART + 7, 4);
        put(target, "big", content);
        store.failNext(Operation.GET_OBJECT, 2, fault);

        assertThat(read(target, "big")).isEqualTo(content);
        assertThat(store.failures(Operation.GET_OBJECT)).isEqualTo(2);
    }

    @Test
    void aCommitRecordPutThatSucceededButWasAnsweredWithAFaultIsRecognisedAsOurs() throws IOException {
        byte[] manifest = TestBytes.of(4000, 8);
        // The store writes the object, the answer is lost; the retry's If-None-Match then fails.
        store.failNextAfterApplying(Operation.PUT_OBJECT, 1, Fault.INTERNAL_ERROR);

        ObjectInfo info = put(target, "backups/1/manifest.json", manifest);

        assertThat(info).isEqualTo(new ObjectInfo("backups/1/manifest.json", manifest.length));
        assertIdenticalAndChecksummed("backups/1/manifest.json", manifest);
    }

    @Test
    void aCompleteThatSucceededButWasAnsweredWithAFaultIsRecognisedAsOurs() throws IOException {
        byte[] content = TestBytes.of(2 * PART + 5, 9);
        store.failNextAfterApplying(Operation.COMPLETE_MULTIPART_UPLOAD, 1, Fault.INTERNAL_ERROR);

        ObjectInfo info = put(target, "big", content);

        assertThat(info).isEqualTo(new ObjectInfo("big", content.length));
        assertIdenticalAndChecksummed("big", content);
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void anotherWritersObjectMetOnARetryIsStillRefused() throws IOException {
        ObjectOutput late = target.create("backups/x");
        late.write(new byte[] {4, 5, 6});
        AtomicBoolean first = new AtomicBoolean(true);
        store.onCall(Operation.PUT_OBJECT, request -> {
            if (first.getAndSet(false)) {
                // While the first attempt is in the store, another writer takes the key; then the attempt fails.
                s3.putObject(b -> b.bucket(config.bucket()).key("drover/backups/x"), RequestBody.fromBytes(new byte[] {9}));
                store.failNext(Operation.PUT_OBJECT, 1, Fault.INTERNAL_ERROR);
            }
        });

        assertThatThrownBy(late::commit).isInstanceOf(ObjectAlreadyExistsException.class);
        assertThat(store.failures(Operation.PUT_OBJECT)).isEqualTo(1);
        assertThat(read(target, "backups/x")).containsExactly(9);
    }

    @Test
    void theCompositeChecksumOfAMultipartUploadIsTheOneTheStoreReports() throws IOException {
        byte[] content = TestBytes.of(2 * PART + 99, 10);
        put(target, "big", content);
        List<CompletedPart> parts = new ArrayList<>();
        for (int offset = 0, number = 1; offset < content.length; offset += PART, number++) {
            byte[] part = Arrays.copyOfRange(content, offset, Math.min(content.length, offset + PART));
            parts.add(CompletedPart.builder().partNumber(number).checksumCRC32C(S3ObjectOutput.crc32c(part, part.length)).build());
        }

        assertThat(S3ObjectOutput.compositeCrc32c(parts)).isEqualTo(expectedCrc32c(content))
                .isEqualTo(s3.headObject(b -> b.bucket(config.bucket()).key("drover/big").checksumMode(ChecksumMode.ENABLED))
                        .checksumCRC32C());
    }

    // --- persistent faults: clear failure, upload aborted, nothing visible -----------------------

    @Test
    void persistentSlowDownOnPartsFailsClearlyAbortsTheUploadAndLeavesNothing() throws IOException {
        store.failAlways(Operation.UPLOAD_PART, Fault.SLOW_DOWN);
        ObjectOutput out = target.create("backups/1/part-000001");

        IOException failure = writeUntilFailure(out, TestBytes.of(3 * PART, 5));

        // Part 2 was in flight beside part 1 and failed or was cancelled too; part 1, the lowest, is reported.
        assertThat(failure).hasMessageContaining("cannot upload part 1 of 'backups/1/part-000001' on " + target.describe())
                .hasMessageContaining("HTTP 503 SlowDown")
                .hasMessageMatching("(?s).* on all [2-9] attempts.*")
                .hasMessageContaining("the store is throttling or unavailable; run the job again later");
        assertNoSecrets(failure.getMessage());
        assertThat(store.calls(Operation.UPLOAD_PART)).isGreaterThan(1);
        assertThat(pendingUploads()).isEmpty();
        assertThat(bucketKeys()).isEmpty();
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class).hasMessageContaining("aborted");
    }

    @Test
    void persistentInternalErrorOnCompleteFailsTheCommitAndAbortsTheUpload() throws IOException {
        store.failAlways(Operation.COMPLETE_MULTIPART_UPLOAD, Fault.INTERNAL_ERROR);
        ObjectOutput out = target.create("big");
        out.write(TestBytes.of(2 * PART + 1, 6));

        assertThatThrownBy(out::commit).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot write 'big' on " + target.describe())
                .hasMessageContaining("HTTP 500 InternalError (We encountered an internal error. Please try again.)")
                .hasMessageContaining("attempts")
                .hasMessageContaining("check the store's status");

        assertThat(pendingUploads()).isEmpty();
        assertThat(bucketKeys()).isEmpty();
        assertThat(target.stat("big")).isEmpty();
    }

    @Test
    void persistentFaultOnTheCommitRecordPutFailsTheCommitAndLeavesNothing() throws IOException {
        store.failAlways(Operation.PUT_OBJECT, Fault.INTERNAL_ERROR);
        ObjectOutput out = target.create("backups/1/manifest.json");
        out.write(TestBytes.of(1000, 7));

        IOException failure = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, out::commit);

        assertThat(failure).hasMessageContaining("cannot write 'backups/1/manifest.json'").hasMessageContaining("HTTP 500");
        assertThat(bucketKeys()).isEmpty();
        // What the CLI prints for it: core's one translation of storage failures.
        DroverException shown = StorageErrors.wrap("offsite", "committing manifest backups/1/manifest.json", failure);
        assertThat(shown.getMessage()).startsWith("target 'offsite': committing manifest backups/1/manifest.json failed: cannot write")
                .contains("HTTP 500 InternalError").doesNotContain("Exception").doesNotContain("\tat ");
        assertNoSecrets(shown.getMessage());
    }

    @Test
    void persistentFaultOnReadsFailsClearly() throws IOException {
        put(target, "k", new byte[] {1, 2, 3});
        store.failAlways(Operation.GET_OBJECT, Fault.SLOW_DOWN);

        assertThatThrownBy(() -> target.open("k")).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read 'k' on " + target.describe())
                .hasMessageContaining("HTTP 503 SlowDown");
    }

    @Test
    void removeAbandonedWritesFailsClearlyWhenTheStoreCannotList() {
        store.failAlways(Operation.LIST_MULTIPART_UPLOADS, Fault.SLOW_DOWN);

        assertThatThrownBy(() -> target.removeAbandonedWrites(Instant.now()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot list the unfinished uploads under 'drover/' on " + target.describe())
                .hasMessageContaining("HTTP 503 SlowDown");
    }

    /** Writes in 1 MiB steps until a write fails (a part upload failure surfaces at the next part or at commit). */
    private static IOException writeUntilFailure(ObjectOutput out, byte[] content) {
        try {
            for (int offset = 0; offset < content.length; offset += 1 << 20) {
                out.write(content, offset, Math.min(1 << 20, content.length - offset));
            }
            out.commit();
        } catch (IOException expected) {
            return expected;
        }
        throw new AssertionError("every write and the commit succeeded");
    }

    private void assertIdenticalAndChecksummed(String key, byte[] content) throws IOException {
        assertThat(read(target, key)).isEqualTo(content);
        String stored = s3.headObject(b -> b.bucket(config.bucket()).key("drover/" + key).checksumMode(ChecksumMode.ENABLED))
                .checksumCRC32C();
        assertThat(stored).isEqualTo(expectedCrc32c(content));
    }

    /** The CRC32C S3 reports: of the whole object for a PUT, of the parts' CRC32Cs plus "-n" for a multipart upload. */
    private static String expectedCrc32c(byte[] content) {
        if (content.length <= PART) {
            return S3ObjectOutput.crc32c(content, content.length);
        }
        CRC32C ofParts = new CRC32C();
        int parts = 0;
        for (int offset = 0; offset < content.length; offset += PART, parts++) {
            CRC32C part = new CRC32C();
            part.update(content, offset, Math.min(PART, content.length - offset));
            ofParts.update(ByteBuffer.allocate(4).putInt((int) part.getValue()).array());
        }
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) ofParts.getValue()).array())
                + "-" + parts;
    }

    private static void assertNoSecrets(String message) {
        assertThat(message).doesNotContain("drover-test-secret").doesNotContain("drover-test-access");
    }

    private List<MultipartUpload> pendingUploads() {
        return s3.listMultipartUploads(b -> b.bucket(config.bucket())).uploads();
    }

    private List<String> bucketKeys() {
        return s3.listObjectsV2(b -> b.bucket(config.bucket())).contents().stream().map(S3Object::key).toList();
    }
}
