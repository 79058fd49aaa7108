package io.drover.connector.s3;

import io.drover.core.spi.NoSuchObjectException;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectKeys;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageCapability;
import io.drover.core.spi.StorageTarget;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
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
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3 bucket under a key prefix. Writes are multipart uploads (or one PUT for small
 * objects) completed with {@code If-None-Match: *}, so an existing key is never overwritten and an
 * unfinished upload is never visible.
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
            return s3.getObject(b -> b.bucket(bucket).key(base + key));
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

    /** An I/O failure naming the target and key; SDK messages carry request ids, never credentials. */
    IOException failure(String action, String key, Throwable cause) {
        return new IOException("cannot " + action + " '" + key + "' on " + description + ": " + cause.getMessage(), cause);
    }
}
