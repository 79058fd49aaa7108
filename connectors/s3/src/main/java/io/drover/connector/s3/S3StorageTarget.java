package io.drover.connector.s3;

import io.drover.core.spi.NoSuchObjectException;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectKeys;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageCapability;
import io.drover.core.spi.StorageTarget;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3 bucket under a key prefix. Writes are multipart uploads (or one PUT for small
 * objects) completed with {@code If-None-Match: *}, so an existing key is never overwritten and an
 * unfinished upload is never visible.
 *
 * <p>Every request, part uploads included, is retried by the SDK client's retry strategy on
 * throttling, 5xx answers and broken connections (see {@link S3StorageTargetFactory#client}); what
 * still fails becomes one {@link IOException} from {@link #failure}. Core's retry decorator then
 * retries whole reads, stats, lists and deletes, but not writes (see {@link S3ObjectOutput}).
 */
final class S3StorageTarget implements StorageTarget {
    private final S3Client s3;
    private final String bucket;
    private final String base;
    private final String description;
    private final UploadSettings settings;
    private final Clock clock;
    /** Parts upload here while the writer fills the next one. */
    private final ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor();
    /** Cleared when the store answers a conditional write with 501: it then gets a HEAD check instead. */
    private final AtomicBoolean conditionalWrites = new AtomicBoolean(true);

    S3StorageTarget(S3Client s3, String bucket, String prefix, String description, UploadSettings settings, Clock clock) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.base = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.description = Objects.requireNonNull(description, "description");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Set<StorageCapability> capabilities() {
        Set<StorageCapability> capabilities = EnumSet.of(StorageCapability.DURABLE_COMMIT);
        if (conditionalWrites.get()) {
            capabilities.add(StorageCapability.ATOMIC_CREATE);
        }
        if (settings.crc32c()) {
            capabilities.add(StorageCapability.SERVER_CHECKSUM);
        }
        if (settings.objectLock().isPresent()) {
            capabilities.add(StorageCapability.OBJECT_LOCK);
        }
        return capabilities;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public ObjectOutput create(String key) throws IOException {
        ObjectKeys.requireValid(key);
        // Fails early instead of after uploading a whole object; the conditional commit decides races.
        if (stat(key).isPresent()) {
            throw new ObjectAlreadyExistsException(key);
        }
        return new S3ObjectOutput(this, key, base + key);
    }

    @Override
    public InputStream open(String key) throws IOException {
        ObjectKeys.requireValid(key);
        try {
            return new ObjectInput(s3.getObject(b -> b.bucket(bucket).key(base + key)), key);
        } catch (NoSuchKeyException e) {
            throw new NoSuchObjectException(key);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchObjectException(key);
            }
            throw failure("read", key, e);
        } catch (SdkException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        ObjectKeys.requireValid(key);
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(base + key));
            return Optional.of(new ObjectInfo(key, head.contentLength()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("stat", key, e);
        } catch (SdkException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        ObjectKeys.requireValidPrefix(prefix);
        List<ObjectInfo> objects = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(base + prefix).build();
            for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
                String key = object.key().substring(base.length());
                if (isKey(key)) {
                    objects.add(new ObjectInfo(key, object.size()));
                }
            }
        } catch (SdkException e) {
            throw failure("list", prefix, e);
        }
        // S3 sorts by UTF-8 bytes, which for valid keys (ASCII) is String order; sort anyway for stores that don't.
        objects.sort(Comparator.comparing(ObjectInfo::key));
        return objects;
    }

    /**
     * The body of a GET. A failure while it streams (a reset connection, or the SDK finding that
     * the bytes do not match the object's checksum, which it throws unchecked) becomes an
     * {@link IOException} naming the key and target, which core's retry resumes from.
     */
    private final class ObjectInput extends FilterInputStream {
        private final String key;
        private long position;

        ObjectInput(InputStream body, String key) {
            super(body);
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                if (b >= 0) {
                    position++;
                }
                return b;
            } catch (IOException | SdkException e) {
                throw readFailure(e);
            }
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            try {
                int n = super.read(bytes, offset, length);
                if (n > 0) {
                    position += n;
                }
                return n;
            } catch (IOException | SdkException e) {
                throw readFailure(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                long skipped = super.skip(n);
                position += skipped;
                return skipped;
            } catch (IOException | SdkException e) {
                throw readFailure(e);
            }
        }

        private IOException readFailure(Exception e) {
            return failure("read from byte " + position + " of", key, e);
        }
    }

    /** Other tools' objects under the prefix (names drover would never write) are not listed. */
    private static boolean isKey(String key) {
        try {
            ObjectKeys.requireValid(key);
            return true;
        } catch (IllegalArgumentException notOurs) {
            return false;
        }
    }

    @Override
    public void delete(String key) throws IOException {
        ObjectKeys.requireValid(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(base + key));
        } catch (NoSuchKeyException e) {
            // idempotent: a missing key is deleted already
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failure("delete", key, e);
            }
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    /**
     * Aborts the incomplete multipart uploads under the prefix that were initiated before
     * {@code startedBefore}: what writes left that crashed before they could abort. Only the upload
     * is aborted; committed objects are separate and never touched, and an upload completed
     * meanwhile only answers "no such upload". Uploads whose key drover would never write, and
     * uploads the store reports without an initiation time, are left alone.
     *
     * <p>An object's upload is initiated when its first part is full, and its initiation time does
     * not move while it runs: the cutoff must lie further back than the longest single object
     * upload takes, or a slow upload still running would be aborted (it then fails with
     * NoSuchUpload and its job fails; nothing broken becomes visible).
     */
    @Override
    public int removeAbandonedWrites(Instant startedBefore) throws IOException {
        List<MultipartUpload> stale = new ArrayList<>();
        try {
            // Listed completely before the first abort, so aborting cannot disturb the paging.
            ListMultipartUploadsRequest request = ListMultipartUploadsRequest.builder().bucket(bucket)
                    .prefix(base.isEmpty() ? null : base).build();
            for (MultipartUpload upload : s3.listMultipartUploadsPaginator(request).uploads()) {
                if (upload.key().startsWith(base) && isKey(upload.key().substring(base.length()))
                        && upload.initiated() != null && upload.initiated().isBefore(startedBefore)) {
                    stale.add(upload);
                }
            }
        } catch (SdkException e) {
            throw failure("list the unfinished uploads under", base.isEmpty() ? "/" : base, e);
        }
        int removed = 0;
        for (MultipartUpload upload : stale) {
            if (abortUpload(upload.key(), upload.uploadId())) {
                removed++;
            }
        }
        return removed;
    }

    /** Aborts one multipart upload; {@code false} if it no longer exists (aborted or completed meanwhile). */
    boolean abortUpload(String s3Key, String uploadId) throws IOException {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(s3Key).uploadId(uploadId));
            return true;
        } catch (NoSuchUploadException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("abort the unfinished upload of", s3Key.substring(base.length()), e);
        } catch (SdkException e) {
            throw failure("abort the unfinished upload of", s3Key.substring(base.length()), e);
        }
    }

    @Override
    public void close() {
        uploads.shutdownNow();
        s3.close();
    }

    S3Client s3() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    UploadSettings settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }

    ExecutorService uploads() {
        return uploads;
    }

    boolean conditionalWrites() {
        return conditionalWrites.get();
    }

    void conditionalWritesUnsupported() {
        conditionalWrites.set(false);
    }

    /**
     * The one translation of a failed call into the {@link IOException} users see: what was done,
     * to which key on which target, what the store answered and what to check. No credentials.
     */
    IOException failure(String action, String key, Throwable cause) {
        return new IOException("cannot " + action + " '" + key + "' on " + description + ": "
                + S3Errors.explain(cause, bucket, endpoint()), cause);
    }

    private String endpoint() {
        return s3.serviceClientConfiguration().endpointOverride().map(Object::toString)
                .orElseGet(() -> "the S3 endpoint of region " + s3.serviceClientConfiguration().region());
    }
}
