package io.drover.connector.s3;

import io.drover.core.model.DataSize;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One object being written. Bytes collect in a buffer of at most one part; an object that fits
 * in one part is a single conditional PUT at commit, a larger one a multipart upload whose parts
 * upload in the background, up to {@link UploadSettings#uploadConcurrency()} at once, while the
 * next part fills. Nothing is visible until the conditional complete; abort and failures abort the
 * upload.
 *
 * <p>Memory: at most {@code uploadConcurrency + 1} part buffers per open output, whatever the
 * object's length: the parts in flight and the one filling. Before a full buffer is handed over
 * while that many parts are in flight, one of them is awaited, and its buffer is reused for a later
 * part ({@link PartBuffers}). A target thus holds at most (upload concurrency + 1) × part size × its
 * open outputs (core opens one per object being written, per target): 48 MiB per output at the
 * defaults. Small objects grow their buffer step by step and never cost a whole part.
 *
 * <p>Parts finish in any order; the complete request lists them by number. S3 numbers parts 1 to
 * 10,000, so an object can be at most 10,000 × part size: writing past that fails at once with a
 * message naming the part size to set, instead of a 400 from the store at part 10,001.
 *
 * <p>Faults: each request (create, every part, complete, PUT) is retried by the SDK client's retry
 * strategy, which resends a part from its buffer ({@link #body} is replayable). When a request
 * still fails, the upload is aborted and the failure names part, key, target and what the store
 * answered. As if parts went one at a time, the parts before a failed one are awaited and those
 * after it cancelled, and the lowest part that failed is the one reported. If the store cannot be
 * reached for the abort either, the upload stays behind, hidden, until prune aborts it after its
 * grace period ({@link S3StorageTarget#removeAbandonedWrites}).
 */
final class S3ObjectOutput extends ObjectOutput {
    /** The most parts S3 takes in one multipart upload. */
    static final int MAX_PARTS = 10_000;
    private static final int INITIAL_BUFFER = 64 * 1024;
    private static final int HTTP_PRECONDITION_FAILED = 412;
    private static final int HTTP_NOT_IMPLEMENTED = 501;

    private enum State { OPEN, COMMITTED, ABORTED }

    private final S3StorageTarget target;
    private final String key;
    private final String s3Key;
    private final UploadSettings settings;
    private final int maxParts;
    private final PartBuffers buffers;
    /** Finished parts, in the order they finished. */
    private final List<CompletedPart> parts = new ArrayList<>();
    /** Parts handed to an upload thread and not yet collected from {@link #finished}, by part number. */
    private final ArrayDeque<PartUpload> inFlight = new ArrayDeque<>();
    /** Every part upload puts itself here when it ends, however it ends. */
    private final BlockingQueue<PartUpload> finished = new LinkedBlockingQueue<>();
    private byte[] buffer = new byte[0];
    private int count;
    private long size;
    private int partsStarted;
    private String uploadId;
    private State state = State.OPEN;
    private ObjectInfo committed;

    S3ObjectOutput(S3StorageTarget target, String key, String s3Key) {
        this(target, key, s3Key, MAX_PARTS);
    }

    /** With a lower part limit than S3's, so that tests reach it with a few small parts. */
    S3ObjectOutput(S3StorageTarget target, String key, String s3Key, int maxParts) {
        this.target = target;
        this.key = key;
        this.s3Key = s3Key;
        this.settings = target.settings();
        this.maxParts = maxParts;
        this.buffers = new PartBuffers(settings.partSize(), settings.uploadConcurrency() + 1);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        requireOpen();
        while (length > 0) {
            if (count == settings.partSize()) {
                if (partsStarted + 1 == maxParts) {
                    // The buffer holds the last part S3 takes, and there is more.
                    abort();
                    throw tooLarge();
                }
                uploadBufferAsPart();
            }
            ensureRoom(Math.min(length, settings.partSize() - count));
            int n = Math.min(length, buffer.length - count);
            System.arraycopy(bytes, offset, buffer, count, n);
            count += n;
            size += n;
            offset += n;
            length -= n;
        }
    }

    /** Grows the buffer step by step so that small objects never cost a whole part of memory. */
    private void ensureRoom(int wanted) {
        if (buffer.length - count >= wanted) {
            return;
        }
        if (partsStarted > 0) {
            // A multipart object: the next part will fill, so skip the growing copies.
            buffer = buffers.take();
            return;
        }
        int capacity = Math.max(buffer.length, INITIAL_BUFFER);
        while (capacity - count < wanted && capacity < settings.partSize()) {
            capacity = (int) Math.min((long) capacity * 2, settings.partSize());
        }
        buffer = Arrays.copyOf(buffer, capacity);
    }

    private void requireOpen() throws IOException {
        if (state != State.OPEN) {
            throw new IOException("'" + key + "' is " + (state == State.COMMITTED ? "committed" : "aborted")
                    + " and takes no more writes");
        }
    }

    private IOException tooLarge() {
        long limit = (long) maxParts * settings.partSize();
        return new IOException("'" + key + "' is too large for " + target.describe() + ": with part-size "
                + DataSize.format(settings.partSize()) + " and at most " + maxParts + " parts per object, S3 takes"
                + " objects of up to " + DataSize.format(limit) + "; " + largerPartSize());
    }

    /** Advice for an object that outgrew the part limit: 4 times the part size, for a margin. */
    private String largerPartSize() {
        if (settings.partSize() == UploadSettings.MAX_PART_SIZE) {
            return "the part size is at its maximum; back up this data in smaller pieces";
        }
        long suggested = Math.min((long) settings.partSize() * 4, UploadSettings.MAX_PART_SIZE);
        long mib = (suggested + (1 << 20) - 1) >> 20;
        return "set a larger part-size on the target, e.g. part-size: " + mib + "MiB for objects of up to "
                + DataSize.format(mib * (1 << 20) * maxParts) + " (each part is held in memory, upload-concurrency + 1"
                + " of them per object being written)";
    }

    private void uploadBufferAsPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = target.s3().createMultipartUpload(createRequest()).uploadId();
                // The first part's buffer grew step by step to a full part; from now on it is one of the pool's.
                buffers.adopt(buffer);
            }
            collectFinished(false);
            while (inFlight.size() >= settings.uploadConcurrency()) {
                collectFinished(true);
            }
            PartUpload part = new PartUpload(++partsStarted, buffer, count);
            buffer = new byte[0];
            count = 0;
            inFlight.add(part);
            target.uploads().execute(part);
        } catch (SdkException | IOException | RejectedExecutionException e) {
            abort();
            if (e instanceof RejectedExecutionException) {
                throw new IOException("cannot upload '" + key + "': " + target.describe() + " is closed", e);
            }
            throw e instanceof IOException io ? io : target.failure("start the multipart upload of", key, e);
        }
    }

    /**
     * Collects the parts that have ended, waiting for one first if {@code block}: keeps what they
     * uploaded, reuses their buffers, and fails when one of them failed.
     */
    private void collectFinished(boolean block) throws IOException {
        PartUpload done;
        try {
            done = block ? finished.take() : finished.poll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading '" + key + "'");
        }
        while (done != null) {
            inFlight.remove(done);
            if (done.failure != null) {
                throw partFailure(done);
            }
            parts.add(done.result);
            buffers.give(done.buffer);
            done = finished.poll();
        }
    }

    /**
     * Ends the parts still in flight after {@code failed} did, as if parts went one at a time: the
     * ones before it would have finished first, so they are awaited, and a failure among them is
     * the one reported; the ones after it would not have started, so they are cancelled.
     */
    private IOException partFailure(PartUpload failed) {
        for (PartUpload part : inFlight) {
            if (part.number > failed.number) {
                part.cancel();
            }
        }
        PartUpload first = failed;
        for (PartUpload part : awaitInFlight()) {
            if (part.failure != null && part.number < first.number) {
                first = part;
            }
        }
        return target.failure("upload part " + first.number + " of", key, first.failure);
    }

    /**
     * Waits until every part in flight has ended and returns them. An interrupt cancels them all
     * (they then end quickly) and is kept for the caller; the upload must not be aborted while a
     * part may still be arriving at the store, or that part could stay behind.
     */
    private List<PartUpload> awaitInFlight() {
        List<PartUpload> ended = new ArrayList<>();
        boolean interrupted = Thread.interrupted();
        if (interrupted) {
            inFlight.forEach(PartUpload::cancel);
        }
        while (!inFlight.isEmpty()) {
            try {
                PartUpload done = finished.take();
                inFlight.remove(done);
                ended.add(done);
            } catch (InterruptedException e) {
                interrupted = true;
                inFlight.forEach(PartUpload::cancel);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return ended;
    }

    /**
     * One part's upload, run on a thread of the target's uploads executor. It reports to
     * {@link #finished} whenever it ends, also when cancelled before it started, so the writer
     * can always wait for it.
     */
    private final class PartUpload implements Runnable {
        final int number;
        final byte[] buffer;
        final int length;
        // Written by the upload thread before it enters finished, read by the writer after taking it from there.
        CompletedPart result;
        Throwable failure;
        private Thread runner;
        private boolean cancelled;

        PartUpload(int number, byte[] buffer, int length) {
            this.number = number;
            this.buffer = buffer;
            this.length = length;
        }

        @Override
        public void run() {
            try {
                synchronized (this) {
                    if (cancelled) {
                        failure = new CancellationException("part " + number + " cancelled");
                        return;
                    }
                    runner = Thread.currentThread();
                }
                result = uploadPart(number, buffer, length);
            } catch (Throwable e) {
                failure = e;
            } finally {
                synchronized (this) {
                    runner = null;
                }
                finished.add(this);
            }
        }

        /** Interrupts the upload, which makes the SDK give up the request and its retries. */
        synchronized void cancel() {
            cancelled = true;
            if (runner != null) {
                runner.interrupt();
            }
        }
    }

    private CompletedPart uploadPart(int number, byte[] part, int length) {
        UploadPartRequest.Builder request = UploadPartRequest.builder().bucket(target.bucket()).key(s3Key)
                .uploadId(uploadId).partNumber(number).contentLength((long) length);
        String crc = null;
        if (settings.crc32c()) {
            crc = crc32c(part, length);
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumCRC32C(crc);
        } else if (settings.objectLock().isPresent()) {
            request.contentMD5(md5(part, length));
        }
        UploadPartResponse response = target.s3().uploadPart(request.build(), body(part, length));
        return CompletedPart.builder().partNumber(number).eTag(response.eTag())
                .checksumCRC32C(crc == null ? null : response.checksumCRC32C() != null ? response.checksumCRC32C() : crc)
                .build();
    }

    @Override
    public ObjectInfo commit() throws IOException {
        if (state == State.COMMITTED) {
            return committed;
        }
        requireOpen();
        try {
            if (uploadId == null) {
                putWhole();
            } else {
                completeMultipart();
            }
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
        state = State.COMMITTED;
        buffer = null;
        buffers.clear();
        // Report what the store holds, not what we think we sent.
        committed = target.stat(key).orElseThrow(() -> new IOException("'" + key + "' on " + target.describe()
                + " is not visible after its upload completed"));
        if (committed.size() != size) {
            throw new IOException("'" + key + "' on " + target.describe() + " has " + committed.size()
                    + " bytes after its upload, but " + size + " were written");
        }
        return committed;
    }

    private void putWhole() throws IOException {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(target.bucket()).key(s3Key)
                .contentLength((long) count);
        String storageClass = settings.storageClass().orElse(null);
        request.storageClass(storageClass).serverSideEncryption(settings.serverSideEncryption().orElse(null))
                .ssekmsKeyId(settings.kmsKeyId().orElse(null));
        settings.objectLock().ifPresent(lock -> request.objectLockMode(ObjectLockMode.fromValue(lock.mode()))
                .objectLockRetainUntilDate(retainUntil(lock)));
        if (settings.crc32c()) {
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumCRC32C(crc32c(buffer, count));
        } else if (settings.objectLock().isPresent()) {
            // Object Lock requires Content-MD5 or a checksum on PUT.
            request.contentMD5(md5(buffer, count));
        }
        conditionally(() -> target.s3().putObject(request.ifNoneMatch(ifNoneMatch()).build(), body(buffer, count)),
                () -> target.s3().putObject(request.ifNoneMatch(null).build(), body(buffer, count)),
                settings.crc32c() ? crc32c(buffer, count) : null);
    }

    private void completeMultipart() throws IOException {
        if (count > 0) {
            uploadBufferAsPart();
        }
        while (!inFlight.isEmpty()) {
            collectFinished(true);
        }
        parts.sort(Comparator.comparingInt(CompletedPart::partNumber));
        CompleteMultipartUploadRequest.Builder request = CompleteMultipartUploadRequest.builder().bucket(target.bucket())
                .key(s3Key).uploadId(uploadId).multipartUpload(m -> m.parts(parts));
        conditionally(() -> target.s3().completeMultipartUpload(request.ifNoneMatch(ifNoneMatch()).build()),
                () -> target.s3().completeMultipartUpload(request.ifNoneMatch(null).build()),
                settings.crc32c() ? compositeCrc32c(parts) : null);
        uploadId = null;
    }

    /** The checksum S3 reports for a multipart upload with CRC32C: of the parts' CRC32Cs, then {@code -<parts>}. */
    static String compositeCrc32c(List<CompletedPart> parts) {
        CRC32C crc = new CRC32C();
        for (CompletedPart part : parts) {
            crc.update(Base64.getDecoder().decode(part.checksumCRC32C()));
        }
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array())
                + "-" + parts.size();
    }

    private String ifNoneMatch() {
        return target.conditionalWrites() ? "*" : null;
    }

    /**
     * Runs a write with {@code If-None-Match: *}. A 412 means another writer owns the key, unless it
     * came on a retry and the object has our size and checksum: then the store carried out an
     * earlier attempt whose answer was lost (an ambiguous 500 or reset), and the object is ours. A store
     * that answers 501 does not support conditional writes: from then on this target checks with
     * HEAD before writing, which still refuses to overwrite but leaves a short race between
     * concurrent writers of one key (the target then stops declaring ATOMIC_CREATE). A store that
     * silently ignores the header cannot be told apart here; the HEAD in create still guards it.
     */
    private void conditionally(Runnable conditional, Runnable unconditional, String checksum) throws IOException {
        try {
            if (target.conditionalWrites()) {
                conditional.run();
                return;
            }
        } catch (S3Exception e) {
            if (e.statusCode() == HTTP_PRECONDITION_FAILED) {
                if (isOurEarlierAttempt(e, checksum)) {
                    return;
                }
                throw new ObjectAlreadyExistsException(key);
            }
            if (e.statusCode() != HTTP_NOT_IMPLEMENTED) {
                throw target.failure("write", key, e);
            }
            target.conditionalWritesUnsupported();
        } catch (SdkException e) {
            throw target.failure("write", key, e);
        }
        if (target.stat(key).isPresent()) {
            throw new ObjectAlreadyExistsException(key);
        }
        try {
            unconditional.run();
        } catch (SdkException e) {
            throw target.failure("write", key, e);
        }
    }

    /** Whether a 412 on a retry met the object an earlier attempt of this very write created. */
    private boolean isOurEarlierAttempt(S3Exception preconditionFailed, String checksum) throws IOException {
        Integer attempts = preconditionFailed.numAttempts();
        if (checksum == null || attempts == null || attempts < 2) {
            // Without a checksum the store keeps for us, another writer's object cannot be told from ours.
            return false;
        }
        try {
            HeadObjectResponse head = target.s3().headObject(b -> b.bucket(target.bucket()).key(s3Key)
                    .checksumMode(ChecksumMode.ENABLED));
            return head.contentLength() == size && checksum.equals(head.checksumCRC32C());
        } catch (SdkException e) {
            throw target.failure("check what an earlier attempt wrote to", key, e);
        }
    }

    private CreateMultipartUploadRequest createRequest() {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder().bucket(target.bucket())
                .key(s3Key).storageClass(settings.storageClass().orElse(null))
                .serverSideEncryption(settings.serverSideEncryption().orElse(null))
                .ssekmsKeyId(settings.kmsKeyId().orElse(null));
        settings.objectLock().ifPresent(lock -> request.objectLockMode(ObjectLockMode.fromValue(lock.mode()))
                .objectLockRetainUntilDate(retainUntil(lock)));
        if (settings.crc32c()) {
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32_C);
        }
        return request.build();
    }

    private Instant retainUntil(ObjectLockConfig lock) {
        return target.clock().instant().plus(Duration.ofDays(lock.days()));
    }

    @Override
    public void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        buffer = null;
        buffers.clear();
        // Aborting while a part is still uploading may leave that part behind (S3 says to abort
        // again); cancelling the parts and waiting for them to end first makes one abort enough.
        inFlight.forEach(PartUpload::cancel);
        awaitInFlight();
        if (uploadId != null) {
            String id = uploadId;
            uploadId = null;
            try {
                target.abortUpload(s3Key, id);
            } catch (IOException | RuntimeException ignored) {
                // Never throws (contract). When the store cannot be reached the upload stays; prune
                // aborts it after the grace period (removeAbandonedWrites), or a lifecycle rule does.
            }
        }
    }

    private static RequestBody body(byte[] bytes, int length) {
        // A fresh stream per attempt lets the SDK retry without copying the part.
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                "application/octet-stream");
    }

    static String crc32c(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static String md5(byte[] bytes, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(bytes, 0, length);
            return Base64.getEncoder().encodeToString(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    S3Client client() {
        return target.s3();
    }

    /** Part buffers this output has created so far: at most upload concurrency + 1. */
    int partBuffers() {
        return buffers.held();
    }
}
