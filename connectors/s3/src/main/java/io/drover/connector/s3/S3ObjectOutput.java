package io.drover.connector.s3;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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
 * upload in the background while the next part fills. Nothing is visible until the conditional
 * complete; abort and failures abort the upload.
 *
 * <p>Memory: at most two part buffers per open output, whatever the object's length: the one
 * filling and the one uploading. Before a full buffer is handed over, the previous part's upload
 * is awaited, so one part at most is in flight per output, and the part size is fixed per target
 * ({@link UploadSettings#partSize()}). A target thus holds at most 2 × part size × its open
 * outputs (core opens one per object being written, per target). Small objects grow their buffer
 * step by step and never cost a whole part.
 *
 * <p>Faults: each request (create, every part, complete, PUT) is retried by the SDK client's retry
 * strategy, which resends a part from its buffer ({@link #body} is replayable). When a request
 * still fails, the upload is aborted and the failure names part, key, target and what the store
 * answered. If the store cannot be reached for the abort either, the upload stays behind, hidden,
 * until prune aborts it after its grace period ({@link S3StorageTarget#removeAbandonedWrites}).
 */
final class S3ObjectOutput extends ObjectOutput {
    private static final int INITIAL_BUFFER = 64 * 1024;
    private static final int HTTP_PRECONDITION_FAILED = 412;
    private static final int HTTP_NOT_IMPLEMENTED = 501;

    private enum State { OPEN, COMMITTED, ABORTED }

    private final S3StorageTarget target;
    private final String key;
    private final String s3Key;
    private final UploadSettings settings;
    private final List<CompletedPart> parts = new ArrayList<>();
    private byte[] buffer = new byte[0];
    private int count;
    private long size;
    private String uploadId;
    private Future<CompletedPart> inFlight;
    private State state = State.OPEN;
    private ObjectInfo committed;

    S3ObjectOutput(S3StorageTarget target, String key, String s3Key) {
        this.target = target;
        this.key = key;
        this.s3Key = s3Key;
        this.settings = target.settings();
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
        if (uploadId != null) {
            // A multipart object: the next part will fill, so skip the growing copies.
            buffer = new byte[settings.partSize()];
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

    private void uploadBufferAsPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = target.s3().createMultipartUpload(createRequest()).uploadId();
            }
            awaitInFlight();
            byte[] part = buffer;
            int length = count;
            int number = parts.size() + 1;
            inFlight = target.uploads().submit(() -> uploadPart(number, part, length));
            buffer = new byte[0];
            count = 0;
        } catch (SdkException | IOException e) {
            abort();
            throw e instanceof IOException io ? io : target.failure("start the multipart upload of", key, e);
        }
    }

    private void awaitInFlight() throws IOException {
        if (inFlight == null) {
            return;
        }
        try {
            parts.add(inFlight.get());
            inFlight = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading '" + key + "'");
        } catch (ExecutionException e) {
            inFlight = null;
            throw target.failure("upload part " + (parts.size() + 1) + " of", key, e.getCause());
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
        awaitInFlight();
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
        if (inFlight != null) {
            // Aborting while a part is still uploading may leave that part behind (S3 says to abort
            // again); waiting for it first makes one abort enough.
            try {
                inFlight.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException ignored) {
                // the upload is aborted below either way
            }
            inFlight = null;
        }
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
}
