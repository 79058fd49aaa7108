package io.drover.connector.s3;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.connector.s3.FaultInjectingBlobStore.Operation;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.TestBytes;
import io.drover.core.testing.TcpFaultProxy;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Network faults between the target and the store: the target talks to s3proxy through a
 * {@link TcpFaultProxy}. Faults are armed from inside the store when a request arrives (never by
 * time), so a reset lands in the middle of exactly the part body a test means.
 */
class S3ConnectionFaultTest {
    private static final int PART = UploadSettings.MIN_PART_SIZE;
    private static FaultInjectingBlobStore store;
    private static TestingS3Server server;

    private TcpFaultProxy proxy;
    private S3TargetConfig direct;
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
    void newTarget() throws IOException {
        store.reset();
        proxy = new TcpFaultProxy(server.endpoint().getHost(), server.endpoint().getPort());
        direct = server.newBucket("drover");
        s3 = S3StorageTargetFactory.client(direct);
        target = null;
        useTarget(UploadSettings.DEFAULT_UPLOAD_CONCURRENCY);
    }

    private void useTarget(int uploadConcurrency) {
        if (target != null) {
            target.close();
        }
        S3TargetConfig viaProxy = server.config(URI.create("http://" + proxy.host() + ":" + proxy.port()), direct.bucket(),
                direct.prefix(), direct.checksums());
        target = new S3StorageTarget(S3StorageTargetFactory.client(viaProxy), viaProxy.bucket(), viaProxy.prefix(),
                S3StorageTargetFactory.describe(viaProxy),
                UploadSettings.of(viaProxy).withPartSize(PART).withUploadConcurrency(uploadConcurrency), Clock.systemUTC());
    }

    @AfterEach
    void close() throws IOException {
        store.reset();
        target.close();
        proxy.close();
        s3.close();
    }

    @Test
    void connectionResetsInTheMiddleOfPartsAreRetriedAndTheObjectIsIdentical() throws IOException {
        // One part at a time, so that each armed reset breaks exactly the part that armed it.
        useTarget(1);
        byte[] content = TestBytes.of(3 * PART + 12_345, 1);
        Set<Integer> resetOnce = ConcurrentHashMap.newKeySet();
        store.onCall(Operation.UPLOAD_PART, request -> {
            UploadPartRequest part = (UploadPartRequest) request;
            // The store has the headers, the body is about to stream: break the connection half way through it.
            if (part.contentLength() > PART / 2 && resetOnce.add(part.partNumber())) {
                proxy.resetAfterUpstreamBytes(PART / 2);
            }
        });

        try (ObjectOutput out = target.create("big")) {
            for (int offset = 0; offset < content.length; offset += 1 << 20) {
                out.write(content, offset, Math.min(1 << 20, content.length - offset));
            }
            out.commit();
        }

        // The store sees a part only once its headers are in; on loopback the client may have pushed
        // most of the body into socket buffers by then, so an armed reset can land after a part or
        // in the next one. What must hold: connections were reset, parts were retried, and the
        // object is exact.
        assertThat(proxy.resets()).isBetween(1, 3);
        assertThat(store.successes(Operation.UPLOAD_PART)).isGreaterThanOrEqualTo(4);
        assertThat(store.calls(Operation.UPLOAD_PART)).isGreaterThanOrEqualTo(4);
        assertThat(read(target, "big")).isEqualTo(content);
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void aResetThatBreaksSeveralPartsInFlightAtOnceIsRetriedAndTheObjectIsIdentical() throws IOException {
        useTarget(3);
        byte[] content = TestBytes.of(5 * PART + 99, 3);
        store.onCall(Operation.UPLOAD_PART, request -> {
            // When part 3 arrives, parts 1 and 2 may still stream: the reset breaks every connection open then.
            if (((UploadPartRequest) request).partNumber() == 3 && proxy.resets() == 0) {
                proxy.resetAfterUpstreamBytes(PART / 2);
            }
        });

        try (ObjectOutput out = target.create("big")) {
            for (int offset = 0; offset < content.length; offset += 1 << 20) {
                out.write(content, offset, Math.min(1 << 20, content.length - offset));
            }
            out.commit();
        }

        assertThat(proxy.resets()).isEqualTo(1);
        // A part whose body was complete when the reset hit may be stored and then sent again.
        assertThat(store.successes(Operation.UPLOAD_PART)).isBetween(6, 9);
        assertThat(read(target, "big")).isEqualTo(content);
        assertThat(pendingUploads()).isEmpty();
    }

    @Test
    void storeGoneWhilePartsStreamFailsClearlyAndTheUploadIsLeftForRemoveAbandonedWrites() throws IOException {
        put(target, "backups/1/manifest.json", new byte[] {1});
        store.onCall(Operation.UPLOAD_PART, request -> {
            if (((UploadPartRequest) request).partNumber() == 2) {
                proxy.refuseConnections(true);
            }
        });
        ObjectOutput out = target.create("big");

        IOException failure = writeUntilFailure(out, TestBytes.of(3 * PART, 2));
        out.close();

        // Neither the part nor the abort could reach the store: the upload stays, hidden.
        String endpoint = "http://" + proxy.host() + ":" + proxy.port();
        // Part 1 may still be streaming beside part 2 when the store goes, and then it is the one reported.
        assertThat(failure).hasMessageMatching("(?s)cannot upload part [12] of 'big' on .*")
                .hasMessageContaining("of 'big' on " + target.describe())
                .hasMessageContaining("no answer from the store")
                .hasMessageContaining("attempts; check that " + endpoint + " is reachable from this host and the store is up");
        assertThat(failure.getMessage()).doesNotContain("drover-test-secret").doesNotContain("drover-test-access");
        assertThat(pendingUploads()).extracting(MultipartUpload::key).containsExactly("drover/big");
        assertThat(bucketKeys()).containsExactly("drover/backups/1/manifest.json");

        proxy.refuseConnections(false);
        assertThat(target.removeAbandonedWrites(Instant.now().plusSeconds(1))).isEqualTo(1);

        assertThat(pendingUploads()).isEmpty();
        assertThat(bucketKeys()).containsExactly("drover/backups/1/manifest.json");
    }

    @Test
    void removeAbandonedWritesFailsClearlyWhileTheStoreIsUnreachable() {
        proxy.refuseConnections(true);

        IOException failure = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> target.removeAbandonedWrites(Instant.now()));

        assertThat(failure).hasMessageContaining("cannot list the unfinished uploads under 'drover/' on " + target.describe())
                .hasMessageContaining("no answer from the store");
    }

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

    private List<MultipartUpload> pendingUploads() {
        return s3.listMultipartUploads(b -> b.bucket(direct.bucket())).uploads();
    }

    private List<String> bucketKeys() {
        return s3.listObjectsV2(b -> b.bucket(direct.bucket())).contents().stream().map(S3Object::key).toList();
    }
}
