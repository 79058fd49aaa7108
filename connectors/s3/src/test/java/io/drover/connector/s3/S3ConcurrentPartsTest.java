package io.drover.connector.s3;

import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.connector.s3.FaultInjectingBlobStore.Fault;
import io.drover.connector.s3.FaultInjectingBlobStore.Operation;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.TestBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Several parts of one object in flight at once, against s3proxy: they really overlap, never more
 * than the configured number, finish in any order and still make the object that was written; a
 * part that fails ends the others and aborts the upload; part buffers are reused; and an object
 * that outgrows the part limit fails before the part past it. Parts wait for each other in the
 * store on latches, never on time.
 */
class S3ConcurrentPartsTest {
    private static final int PART = UploadSettings.MIN_PART_SIZE;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static FaultInjectingBlobStore store;
    private static TestingS3Server server;

    private S3TargetConfig config;
    private S3Client s3;
    private S3StorageTarget target;

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
    void newBucket() {
        store.reset();
        config = server.newBucket("drover");
        s3 = S3StorageTargetFactory.client(config);
    }

    @AfterEach
    void close() {
        store.reset();
        if (target != null) {
            target.close();
        }
        s3.close();
    }

    private S3StorageTarget target(int uploadConcurrency) {
        target = new S3StorageTarget(S3StorageTargetFactory.client(config), config.bucket(), config.prefix(),
                S3StorageTargetFactory.describe(config),
                UploadSettings.of(config).withPartSize(PART).withUploadConcurrency(uploadConcurrency), Clock.systemUTC());
        return target;
    }

    @Test
    void partsUploadConcurrentlyButNeverMoreThanTheConfiguredNumberAndBuffersAreReused() throws Exception {
        target(2);
        byte[] content = TestBytes.of(7 * PART + 777, 1);
        CountDownLatch firstTwo = new CountDownLatch(2);
        AtomicBoolean bothArrived = new AtomicBoolean(true);
        AtomicInteger mostAtOnce = new AtomicInteger();
        store.onCall(Operation.UPLOAD_PART, request -> {
            // Started and not yet ended in the store; the store ends a part before the client hears of it.
            int atOnce = store.calls(Operation.UPLOAD_PART) - store.successes(Operation.UPLOAD_PART)
                    - store.failures(Operation.UPLOAD_PART);
            mostAtOnce.accumulateAndGet(atOnce, Math::max);
            int number = ((UploadPartRequest) request).partNumber();
            if (number <= 2) {
                // Parts 1 and 2 each wait here for the other: only if both are in flight at once do they go on.
                firstTwo.countDown();
                bothArrived.compareAndSet(true, await(firstTwo));
            }
        });

        S3ObjectOutput out = (S3ObjectOutput) target.create("big");
        write(out, content);
        ObjectInfo info = out.commit();

        assertThat(bothArrived).as("parts 1 and 2 were in the store at once").isTrue();
        assertThat(mostAtOnce.get()).isEqualTo(2);
        assertThat(store.successes(Operation.UPLOAD_PART)).isEqualTo(8);
        assertThat(out.partBuffers()).as("8 parts through 2 in flight + 1 filling").isEqualTo(3);
        assertThat(info).isEqualTo(new ObjectInfo("big", content.length));
        assertIdenticalAndChecksummed("big", content);
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void oneAtATimeHoldsTwoBuffers() throws IOException {
        target(1);
        AtomicInteger mostAtOnce = new AtomicInteger();
        store.onCall(Operation.UPLOAD_PART, request -> mostAtOnce.accumulateAndGet(store.calls(Operation.UPLOAD_PART)
                - store.successes(Operation.UPLOAD_PART) - store.failures(Operation.UPLOAD_PART), Math::max));
        byte[] content = TestBytes.of(4 * PART + 1, 2);

        S3ObjectOutput out = (S3ObjectOutput) target.create("big");
        write(out, content);
        out.commit();

        assertThat(mostAtOnce.get()).isEqualTo(1);
        assertThat(out.partBuffers()).isEqualTo(2);
        assertIdenticalAndChecksummed("big", content);
    }

    @Test
    void partsThatFinishOutOfOrderMakeTheObjectInOrder() throws Exception {
        target(3);
        byte[] content = TestBytes.of(5 * PART + 4321, 3);
        AtomicBoolean partOneWaited = new AtomicBoolean();
        store.onCall(Operation.UPLOAD_PART, request -> {
            if (((UploadPartRequest) request).partNumber() == 1) {
                // Part 1 is stored only after parts 2 and 3: the complete request must still list 1, 2, 3, ...
                try {
                    store.awaitSuccesses(Operation.UPLOAD_PART, 2, PATIENCE);
                    partOneWaited.set(true);
                } catch (InterruptedException | TimeoutException e) {
                    throw new IllegalStateException(e);
                }
            }
        });

        S3ObjectOutput out = (S3ObjectOutput) target.create("big");
        write(out, content);
        out.commit();

        assertThat(partOneWaited).isTrue();
        assertIdenticalAndChecksummed("big", content);
        assertThat(out.partBuffers()).isLessThanOrEqualTo(4);
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void aPartThatFailsCancelsThePartsInFlightAfterItAbortsTheUploadAndLeavesNothing() throws Exception {
        target(3);
        store.failPartAlways(1, Fault.INTERNAL_ERROR);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean partTwoReturned = new AtomicBoolean();
        store.onCall(Operation.UPLOAD_PART, request -> {
            if (((UploadPartRequest) request).partNumber() == 2) {
                // Part 2 hangs in the store until the test lets it go: the writer must not wait for it.
                await(release);
                partTwoReturned.set(true);
            }
        });
        S3ObjectOutput out = (S3ObjectOutput) target.create("big");

        IOException failure = writeUntilFailure(out, TestBytes.of(6 * PART, 4));

        assertThat(partTwoReturned).as("part 2 was cancelled, not awaited").isFalse();
        assertThat(failure).hasMessageContaining("cannot upload part 1 of 'big' on " + target.describe())
                .hasMessageContaining("HTTP 500 InternalError");
        assertThat(failure.getMessage()).doesNotContain("drover-test-secret").doesNotContain("Cancellation");
        assertThat(store.calls(Operation.ABORT_MULTIPART_UPLOAD)).isEqualTo(1);
        assertThatWritesAreRefused(out);

        // Once the store lets part 2 go, it arrives for an upload that no longer exists.
        release.countDown();
        store.awaitPartUploadsEnded(store.calls(Operation.UPLOAD_PART), PATIENCE);
        assertThat(pendingUploads()).isEmpty();
        assertThat(bucketKeys()).isEmpty();
        assertThat(target.stat("big")).isEmpty();
    }

    @Test
    void whenSeveralPartsFailTheLowestIsReportedAsIfPartsWentOneAtATime() throws Exception {
        target(3);
        store.failPartAlways(2, Fault.SLOW_DOWN);
        store.failPartAlways(3, Fault.INTERNAL_ERROR);
        // Part 2 starts only once part 3 has failed once, so part 3 is usually the first to give up.
        // Either way part 2 must be reported: part 3 never starts when parts go one at a time.
        CountDownLatch partThreeRetried = new CountDownLatch(2);
        store.onCall(Operation.UPLOAD_PART, request -> {
            int number = ((UploadPartRequest) request).partNumber();
            if (number == 3) {
                partThreeRetried.countDown();
            } else if (number == 2 && store.failures(Operation.UPLOAD_PART) == 0) {
                await(partThreeRetried);
            }
        });
        S3ObjectOutput out = (S3ObjectOutput) target.create("big");

        IOException failure = writeUntilFailure(out, TestBytes.of(5 * PART, 5));

        assertThat(failure).hasMessageContaining("cannot upload part 2 of 'big'").hasMessageContaining("HTTP 503 SlowDown");
        assertThat(pendingUploads()).isEmpty();
        assertThat(bucketKeys()).isEmpty();
    }

    // --- the part limit -------------------------------------------------------------------------

    @Test
    void anObjectOfExactlyTheLimitIsWritten() throws IOException {
        target(2);
        byte[] content = TestBytes.of(2 * PART, 6);
        S3ObjectOutput out = new S3ObjectOutput(target, "big", "drover/big", 2);

        write(out, content);
        out.commit();

        assertThat(read(target, "big")).isEqualTo(content);
    }

    @Test
    void anObjectLargerThanThePartLimitFailsBeforeThePartPastItWithAdviceOnThePartSize() throws IOException {
        target(2);
        S3ObjectOutput out = new S3ObjectOutput(target, "backups/1/part-000001", "drover/backups/1/part-000001", 2);
        AtomicInteger highestPartSent = new AtomicInteger();
        store.onCall(Operation.UPLOAD_PART, request -> highestPartSent.accumulateAndGet(
                ((UploadPartRequest) request).partNumber(), Math::max));

        IOException failure = writeUntilFailure(out, TestBytes.of(2 * PART + 1, 7));

        assertThat(failure).hasMessage("'backups/1/part-000001' is too large for " + target.describe()
                + ": with part-size 5.0 MiB and at most 2 parts per object, S3 takes objects of up to 10.0 MiB;"
                + " set a larger part-size on the target, e.g. part-size: 20MiB for objects of up to 40.0 MiB"
                + " (each part is held in memory, upload-concurrency + 1 of them per object being written)");
        // Part 1 may or may not have reached the store before the abort cancelled it; part 2 never left.
        assertThat(highestPartSent.get()).as("part 2 was never sent, let alone a part 3").isLessThanOrEqualTo(1);
        assertThat(store.calls(Operation.ABORT_MULTIPART_UPLOAD)).isEqualTo(1);
        assertThat(pendingUploads()).isEmpty();
        assertThat(bucketKeys()).isEmpty();
        assertThatWritesAreRefused(out);
    }

    @Test
    void theDefaultLimitIsS3s() {
        assertThat(S3ObjectOutput.MAX_PARTS).isEqualTo(10_000);
    }

    // --- helpers --------------------------------------------------------------------------------

    /** Waits for {@code latch} in the store; {@code false} if it did not open in time (the test then fails on it). */
    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void write(S3ObjectOutput out, byte[] content) throws IOException {
        for (int offset = 0; offset < content.length; offset += 1 << 20) {
            out.write(content, offset, Math.min(1 << 20, content.length - offset));
        }
    }

    private static IOException writeUntilFailure(S3ObjectOutput out, byte[] content) {
        try {
            write(out, content);
            out.commit();
        } catch (IOException expected) {
            return expected;
        }
        throw new AssertionError("every write and the commit succeeded");
    }

    private static void assertThatWritesAreRefused(S3ObjectOutput out) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class)
                .hasMessageContaining("aborted");
    }

    private void assertIdenticalAndChecksummed(String key, byte[] content) throws IOException {
        assertThat(read(target, key)).isEqualTo(content);
        String stored = s3.headObject(b -> b.bucket(config.bucket()).key("drover/" + key).checksumMode(ChecksumMode.ENABLED))
                .checksumCRC32C();
        assertThat(stored).isEqualTo(expectedCrc32c(content));
    }

    /** The composite CRC32C S3 reports for a multipart upload: of the parts' CRC32Cs in part order, plus "-n". */
    private static String expectedCrc32c(byte[] content) {
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

    private List<software.amazon.awssdk.services.s3.model.MultipartUpload> pendingUploads() {
        return s3.listMultipartUploads(b -> b.bucket(config.bucket())).uploads();
    }

    private List<String> bucketKeys() {
        return s3.listObjectsV2(b -> b.bucket(config.bucket())).contents().stream().map(S3Object::key).toList();
    }
}
