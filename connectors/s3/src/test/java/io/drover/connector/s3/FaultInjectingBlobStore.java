package io.drover.connector.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An s3proxy blob store that fails chosen operations the way S3 does when it has trouble: s3proxy
 * turns the thrown {@link S3Exception} (status and error code) into a real error response, so the
 * client under test sees {@code 500 InternalError} or {@code 503 SlowDown} on the wire and runs its
 * real retry logic. Faults are armed by count ("the next 2 part uploads"), never by time.
 */
final class FaultInjectingBlobStore extends ForwardingBlobStore {

    /**
     * The store operations behind the S3 requests the target sends. A fault on
     * {@code ABORT_MULTIPART_UPLOAD} fails the request, but s3proxy has already forgotten the upload
     * by then: it is not a store that keeps an upload it could not abort.
     */
    enum Operation {
        PUT_OBJECT, CREATE_MULTIPART_UPLOAD, UPLOAD_PART, COMPLETE_MULTIPART_UPLOAD, ABORT_MULTIPART_UPLOAD,
        LIST_MULTIPART_UPLOADS, GET_OBJECT, HEAD_OBJECT, LIST_OBJECTS, DELETE_OBJECT
    }

    /** The errors S3 documents as worth retrying. */
    enum Fault {
        INTERNAL_ERROR(500, "InternalError", "We encountered an internal error. Please try again."),
        SLOW_DOWN(503, "SlowDown", "Please reduce your request rate.");

        private final int status;
        private final String code;
        private final String message;

        Fault(int status, String code, String message) {
            this.status = status;
            this.code = code;
            this.message = message;
        }

        S3Exception exception() {
            return (S3Exception) S3Exception.builder().statusCode(status).message(message)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3").build())
                    .build();
        }
    }

    /**
     * @param applied whether the store carries the request out before it answers with the fault: the
     *                client cannot tell, as when a response is lost
     */
    private record Armed(Fault fault, int remaining, boolean applied) {
    }

    private final Map<Operation, Armed> armed = new EnumMap<>(Operation.class);
    private final Map<Operation, Integer> calls = new EnumMap<>(Operation.class);
    private final Map<Operation, Integer> failures = new EnumMap<>(Operation.class);
    private final Map<Operation, Integer> successes = new EnumMap<>(Operation.class);
    private final Map<Operation, Consumer<Object>> listeners = new EnumMap<>(Operation.class);
    private final Map<Integer, Fault> partFaults = new HashMap<>();
    private int partUploadsEnded;

    FaultInjectingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    /** The next {@code times} calls of {@code operation} fail with {@code fault}. */
    synchronized void failNext(Operation operation, int times, Fault fault) {
        armed.put(operation, new Armed(Objects.requireNonNull(fault, "fault"), times, false));
    }

    /**
     * The next {@code times} calls of {@code operation} are carried out, then answered with
     * {@code fault}: a success the client never hears of, so its retry meets its own result.
     */
    synchronized void failNextAfterApplying(Operation operation, int times, Fault fault) {
        armed.put(operation, new Armed(Objects.requireNonNull(fault, "fault"), times, true));
    }

    /** Every call of {@code operation} fails with {@code fault} until {@link #heal()}. */
    synchronized void failAlways(Operation operation, Fault fault) {
        failNext(operation, Integer.MAX_VALUE, fault);
    }

    /** Every call of every operation fails until {@link #heal()}: a store that is down. */
    synchronized void failEverything(Fault fault) {
        for (Operation operation : Operation.values()) {
            failAlways(operation, fault);
        }
    }

    /** Every upload of part {@code number} (of any upload) fails with {@code fault} until {@link #heal()}. */
    synchronized void failPartAlways(int number, Fault fault) {
        partFaults.put(number, Objects.requireNonNull(fault, "fault"));
    }

    /** Disarms all faults. */
    synchronized void heal() {
        armed.clear();
        partFaults.clear();
    }

    /** Disarms all faults, forgets listeners and counts: a fresh store for the next test. */
    synchronized void reset() {
        armed.clear();
        partFaults.clear();
        partUploadsEnded = 0;
        listeners.clear();
        calls.clear();
        failures.clear();
        successes.clear();
    }

    /** Runs {@code listener} with the request at the start of every call of {@code operation}, before any fault. */
    synchronized void onCall(Operation operation, Consumer<Object> listener) {
        listeners.put(operation, listener);
    }

    synchronized int calls(Operation operation) {
        return calls.getOrDefault(operation, 0);
    }

    synchronized int failures(Operation operation) {
        return failures.getOrDefault(operation, 0);
    }

    synchronized int successes(Operation operation) {
        return successes.getOrDefault(operation, 0);
    }

    /** Waits until {@code operation} has succeeded {@code count} times in all; woken by the store, no polling. */
    synchronized void awaitSuccesses(Operation operation, int count, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (successes(operation) < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(operation + " succeeded " + successes(operation) + " times, not " + count);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * Waits until {@code count} part upload calls have returned or thrown in all, whatever the
     * outcome (also calls the store refused for an aborted upload); woken by the store, no polling.
     */
    synchronized void awaitPartUploadsEnded(int count, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partUploadsEnded < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException(partUploadsEnded + " part uploads ended, not " + count);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * Counts the call and throws the armed fault, if any. Returns a fault to throw after the call
     * was carried out, or {@code null}.
     */
    private Fault enter(Operation operation, Object request, InputStream body) {
        Consumer<Object> listener;
        Armed fired = null;
        synchronized (this) {
            calls.merge(operation, 1, Integer::sum);
            listener = listeners.get(operation);
        }
        if (listener != null) {
            listener.accept(request);
        }
        synchronized (this) {
            Armed next = armed.get(operation);
            if (request instanceof UploadPartRequest part && partFaults.containsKey(part.partNumber())) {
                fired = new Armed(partFaults.get(part.partNumber()), Integer.MAX_VALUE, false);
                failures.merge(operation, 1, Integer::sum);
            } else if (next != null && next.remaining() > 0) {
                fired = next;
                armed.put(operation, new Armed(next.fault(), next.remaining() == Integer.MAX_VALUE ? Integer.MAX_VALUE
                        : next.remaining() - 1, next.applied()));
                failures.merge(operation, 1, Integer::sum);
            }
        }
        if (fired == null) {
            return null;
        }
        if (fired.applied()) {
            return fired.fault();
        }
        if (body != null) {
            // Fail after taking the whole body, as a store that breaks while storing does: the
            // client must send the same bytes again.
            drain(body);
        }
        throw fired.fault().exception();
    }

    private <T> T succeeded(Operation operation, Fault after, T result) {
        synchronized (this) {
            successes.merge(operation, 1, Integer::sum);
            notifyAll();
        }
        if (after != null) {
            throw after.exception();
        }
        return result;
    }

    private static void drain(InputStream body) {
        try {
            body.transferTo(OutputStreamSink.INSTANCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /**
     * s3proxy keeps its own bookkeeping of multipart uploads as hidden blobs; those calls are not
     * the client's requests and pass through untouched.
     */
    private static boolean bookkeeping(String key) {
        return key.startsWith(".s3proxy-mpu-stub-") || key.startsWith(".mpus-");
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream body) {
        if (bookkeeping(request.key())) {
            return super.putBlob(request, body);
        }
        Fault after = enter(Operation.PUT_OBJECT, request, body);
        return succeeded(Operation.PUT_OBJECT, after, super.putBlob(request, body));
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        Fault after = enter(Operation.CREATE_MULTIPART_UPLOAD, request, null);
        return succeeded(Operation.CREATE_MULTIPART_UPLOAD, after, super.initiateMultipartUpload(request));
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream body) {
        try {
            Fault after = enter(Operation.UPLOAD_PART, request, body);
            return succeeded(Operation.UPLOAD_PART, after, super.uploadMultipartPart(upload, request, body));
        } finally {
            synchronized (this) {
                partUploadsEnded++;
                notifyAll();
            }
        }
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
            CompleteMultipartUploadRequest request) {
        Fault after = enter(Operation.COMPLETE_MULTIPART_UPLOAD, request, null);
        return succeeded(Operation.COMPLETE_MULTIPART_UPLOAD, after, super.completeMultipartUpload(upload, request));
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        Fault after = enter(Operation.ABORT_MULTIPART_UPLOAD, upload, null);
        super.abortMultipartUpload(upload);
        succeeded(Operation.ABORT_MULTIPART_UPLOAD, after, null);
    }

    @Override
    public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String container) {
        Fault after = enter(Operation.LIST_MULTIPART_UPLOADS, container, null);
        return succeeded(Operation.LIST_MULTIPART_UPLOADS, after, super.listMultipartUploads(container));
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        Fault after = enter(Operation.GET_OBJECT, request, null);
        return succeeded(Operation.GET_OBJECT, after, super.getBlob(request));
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        if (bookkeeping(request.key())) {
            return super.blobMetadata(request);
        }
        Fault after = enter(Operation.HEAD_OBJECT, request, null);
        return succeeded(Operation.HEAD_OBJECT, after, super.blobMetadata(request));
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        Fault after = enter(Operation.LIST_OBJECTS, request, null);
        return succeeded(Operation.LIST_OBJECTS, after, super.list(request));
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        if (bookkeeping(request.key())) {
            return super.removeBlob(request);
        }
        Fault after = enter(Operation.DELETE_OBJECT, request, null);
        return succeeded(Operation.DELETE_OBJECT, after, super.removeBlob(request));
    }
}
