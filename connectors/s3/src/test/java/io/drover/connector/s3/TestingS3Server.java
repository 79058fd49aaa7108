package io.drover.connector.s3;

import io.drover.core.model.DataSize;
import io.drover.core.model.Secret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for tests: s3proxy in-process on a free loopback port, keeping objects in
 * memory unless given another blob store ({@link #onDisk(Path)} keeps it on disk; tests may inject
 * faults). Fails loudly if it cannot start; tests never skip for want of it.
 */
public final class TestingS3Server implements AutoCloseable {
    private static final String ACCESS_KEY = "drover-test-access";
    private static final String SECRET_KEY = "drover-test-secret";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final S3Proxy proxy;
    private final URI endpoint;

    TestingS3Server() throws Exception {
        this(new TransientNio2BlobStore());
    }

    /**
     * A server that keeps its buckets as files below {@code directory} (created if missing), for
     * tests that store more than the test JVM's heap should hold (e.g. GiBs of backup parts).
     */
    public static TestingS3Server onDisk(Path directory) throws Exception {
        return new TestingS3Server(new FilesystemNio2BlobStore(Files.createDirectories(directory).toString()));
    }

    /** Serves {@code store}, e.g. a {@link FaultInjectingBlobStore} or a {@code FilesystemNio2BlobStore}. */
    TestingS3Server(BlobStore store) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // The SDK sends headers s3proxy does not know (e.g. x-amz-sdk-checksum-algorithm).
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!"STARTED".equals(proxy.getState())) {
            if (Instant.now().isAfter(deadline)) {
                proxy.stop();
                throw new IllegalStateException("s3proxy did not start within 30 s; state " + proxy.getState());
            }
            Thread.onSpinWait();
            Thread.sleep(5);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Environment for a stock S3 client (the AWS CLI) talking to this server. */
    public java.util.Map<String, String> clientEnvironment() {
        return java.util.Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                "AWS_DEFAULT_REGION", "us-east-1", "AWS_EC2_METADATA_DISABLED", "true", "AWS_PAGER", "");
    }

    /** A config for a new, empty bucket on this server. */
    public S3TargetConfig newBucket(String prefix) {
        String bucket = "drover-test-" + BUCKETS.incrementAndGet();
        S3TargetConfig config = config(bucket, prefix, S3TargetConfig.WHEN_SUPPORTED);
        try (S3Client s3 = S3StorageTargetFactory.client(config)) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        return config;
    }

    S3TargetConfig config(String bucket, String prefix, String checksums) {
        return config(endpoint, bucket, prefix, checksums);
    }

    /** A config that reaches this server through {@code via}, e.g. a fault-injecting TCP proxy in front of it. */
    S3TargetConfig config(URI via, String bucket, String prefix, String checksums) {
        return new S3TargetConfig(bucket, prefix, Optional.of("us-east-1"), Optional.of(via.toString()), true,
                Optional.of(Secret.of(ACCESS_KEY, "test")), Optional.of(Secret.of(SECRET_KEY, "test")), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), checksums,
                DataSize.ofBytes(UploadSettings.DEFAULT_PART_SIZE), UploadSettings.DEFAULT_UPLOAD_CONCURRENCY);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
