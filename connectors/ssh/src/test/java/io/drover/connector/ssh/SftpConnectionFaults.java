package io.drover.connector.ssh;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.TestBytes;
import io.drover.core.storage.RetryPolicy;
import io.drover.core.storage.RetryingStorageTarget;
import io.drover.core.storage.Sleeper;
import io.drover.core.testing.TcpFaultProxy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the SFTP target does when the network fails: a {@link TcpFaultProxy} between JSch and a
 * real server resets connections after a given number of client-to-server bytes, or refuses them.
 * Faults are placed by byte counts, never by timing, so each test does the same every run.
 * Subclasses run it against the in-process MINA server and against OpenSSH.
 */
abstract class SftpConnectionFaults {
    private static final AtomicInteger REPOS = new AtomicInteger();
    private static final int MIB = 1024 * 1024;
    /** Small checkpoints, so that one object has many, and faults land between and inside them. */
    private static final int CHECKPOINT = MIB;
    private static final int ATTEMPTS = 4;

    private TcpFaultProxy proxy;
    private String repo;
    private SftpStorageTarget target;
    private SftpStorageTarget direct;

    /** The port of the real server. */
    abstract int serverPort();

    /** The absolute path on the server of a fresh repository named {@code name}. */
    abstract String serverPath(String name);

    /** Where the server keeps {@code serverPath}, to look at its files without SFTP. */
    abstract Path localPath(String serverPath);

    /** A config for {@code path} that connects to {@code port}. */
    abstract SftpTargetConfig config(String path, int port) throws IOException;

    @BeforeEach
    void startProxy() throws IOException {
        proxy = new TcpFaultProxy("127.0.0.1", serverPort());
        repo = serverPath("faults-" + REPOS.incrementAndGet());
        // Fast backoff: the delays are not what is tested, and nothing waits on them.
        SftpStorageTarget.Resilience resilience = new SftpStorageTarget.Resilience(
                new RetryPolicy(ATTEMPTS, Duration.ofMillis(5), Duration.ofMillis(20)), Sleeper.SYSTEM, CHECKPOINT);
        SftpTargetConfig viaProxy = config(repo, proxy.port());
        target = new SftpStorageTarget(viaProxy, viaProxy.knownHosts().orElseThrow(), resilience);
        SftpTargetConfig toServer = config(repo, serverPort());
        direct = new SftpStorageTarget(toServer, toServer.knownHosts().orElseThrow());
    }

    @AfterEach
    void stopProxy() {
        target.close();
        direct.close();
        proxy.close();
    }

    @Test
    void anUploadRidesOutSeveralResetsAndPublishesTheExactBytes() throws IOException {
        byte[] content = TestBytes.of(24 * MIB + 4093, 7);
        int[] chunks = {256 * 1024, 1, 65_537, 3 * MIB + 5, 100_000};
        int wanted = 3;
        int seen = 0;
        proxy.resetAfterUpstreamBytes(2 * MIB);
        ObjectInfo info;
        try (ObjectOutput out = target.create("parts/big.bin")) {
            int offset = 0;
            for (int i = 0; offset < content.length; i++) {
                int length = Math.min(chunks[i % chunks.length], content.length - offset);
                out.write(content, offset, length);
                offset += length;
                if (proxy.resets() > seen) {
                    seen = proxy.resets();
                    if (seen < wanted) {
                        proxy.resetAfterUpstreamBytes(2 * MIB + seen * 300_000L); // not always on a checkpoint
                    }
                }
            }
            info = out.commit();
        }

        assertThat(proxy.resets()).isEqualTo(wanted);
        assertThat(proxy.connections()).isGreaterThan(wanted);
        assertThat(info).isEqualTo(new ObjectInfo("parts/big.bin", content.length));
        assertThat(Files.readAllBytes(local("parts/big.bin"))).isEqualTo(content);
        assertThat(read(target, "parts/big.bin")).isEqualTo(content);
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void aResetAtAnyPointOfTheCommitStillPublishesTheObjectOnce() throws IOException {
        // How many bytes a commit sends (close, look-up, link, remove, size check), measured.
        byte[] content = TestBytes.of(CHECKPOINT + 1000, 8);
        long before;
        try (ObjectOutput out = target.create("measure")) {
            out.write(content);
            out.flush();
            before = proxy.upstreamBytes();
            out.commit();
        }
        long commitBytes = proxy.upstreamBytes() - before;
        assertThat(commitBytes).isPositive();

        // Reset at ~30 points through those bytes: each lands in another request of the commit,
        // before, in, or after the link whose answer may be lost.
        long step = Math.max(1, commitBytes / 30);
        for (long at = 0; at < commitBytes; at += step) {
            String key = "commit/at-" + at;
            int resets = proxy.resets();
            ObjectInfo info;
            try (ObjectOutput out = target.create(key)) {
                out.write(content);
                out.flush(); // everything acknowledged: what follows is the commit alone
                proxy.resetAfterUpstreamBytes(at);
                info = out.commit();
            }
            assertThat(proxy.resets()).as("reset at byte %d of the commit", at).isEqualTo(resets + 1);
            assertThat(info).isEqualTo(new ObjectInfo(key, content.length));
            assertThat(Files.readAllBytes(local(key))).as("object committed with a reset at byte %d", at).isEqualTo(content);
        }
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void aServerThatStaysUnreachableFailsTheUploadClearlyAfterTheBoundedAttempts() throws IOException {
        ObjectOutput out = target.create("parts/lost.bin");
        out.write(TestBytes.of(3 * MIB, 9));
        out.flush();
        int connections = proxy.connections();

        proxy.refuseConnections(true); // resets the open connection too
        assertThatThrownBy(() -> {
            out.write(TestBytes.of(MIB, 10));
            out.commit();
        }).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot write 'parts/lost.bin' to " + target.describe())
                .hasMessageContaining(ATTEMPTS + " attempts in a row")
                .hasMessageContaining(3 * MIB + " acknowledged by the server")
                .hasMessageContaining("Check the network path to the server and that its SSH service is running")
                .hasMessageNotContaining("PRIVATE KEY");
        // The failed attempt, then ATTEMPTS - 1 reconnects, then one try to remove the temporary file.
        assertThat(proxy.connections() - connections).isEqualTo(ATTEMPTS);
        assertThatThrownBy(() -> out.write(1)).hasMessageContaining("cannot write 'parts/lost.bin'");
        assertThatCode(out::abort).doesNotThrowAnyException();

        proxy.refuseConnections(false);
        assertThat(target.stat("parts/lost.bin")).isEmpty();
        assertThat(target.list("")).isEmpty();
        // The server was unreachable, so the temporary file could not be removed: prune does it.
        assertThat(tempFiles()).hasSize(1);
        assertThat(target.removeAbandonedWrites(Instant.now().plusSeconds(2))).isEqualTo(1);
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void anUploadWhoseTemporaryFileVanishedFailsAtOnceInsteadOfPublishingAHole() throws IOException {
        ObjectOutput out = target.create("parts/swept.bin");
        out.write(TestBytes.of(2 * MIB, 11));
        out.flush();
        Files.delete(tempFiles().getFirst()); // a prune that took it for abandoned
        int connections = proxy.connections();

        proxy.resetAll();
        assertThatThrownBy(() -> {
            out.write(TestBytes.of(MIB, 12));
            out.commit();
        }).hasMessageContaining("cannot write 'parts/swept.bin' to " + target.describe())
                .hasMessageContaining("temporary file")
                .hasMessageContaining("is gone from the server")
                .hasMessageContaining("write it again");
        out.abort();

        assertThat(proxy.connections() - connections).as("no further attempts once resuming is impossible").isEqualTo(1);
        assertThat(target.stat("parts/swept.bin")).isEmpty();
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void abandonedTemporaryFilesAreRemovedOnlyWhenOlderThanTheCutoff() throws IOException {
        put(target, "backups/1/part.bin", new byte[] {1, 2});
        ObjectOutput crashed = target.create("backups/2/part.bin");
        crashed.write(TestBytes.of(1000, 13));
        crashed.flush();
        Path crashedTemp = tempFiles().getFirst();
        ObjectOutput inProgress = target.create("backups/3/part.bin");
        inProgress.write(new byte[] {4});
        inProgress.flush();
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2));
        Files.setLastModifiedTime(crashedTemp, FileTime.from(twoHoursAgo));
        // Committed objects are never removed, however old; nor are temporary directories.
        Files.setLastModifiedTime(local("backups/1/part.bin"), FileTime.from(twoHoursAgo));
        Path strayDir = Files.createDirectories(local("backups").resolve(SftpStorageTarget.TEMP_PREFIX + "dir"));
        Files.setLastModifiedTime(strayDir, FileTime.from(twoHoursAgo));

        assertThat(target.removeAbandonedWrites(Instant.now().minus(Duration.ofHours(1)))).isEqualTo(1);

        assertThat(crashedTemp).doesNotExist();
        assertThat(strayDir).isDirectory();
        assertThat(read(target, "backups/1/part.bin")).containsExactly(1, 2);
        assertThat(inProgress.commit()).isEqualTo(new ObjectInfo("backups/3/part.bin", 1));
        assertThatThrownBy(crashed::commit).isInstanceOf(IOException.class).hasMessageContaining("is gone from the server");
        assertThat(target.list("")).extracting(ObjectInfo::key).containsExactly("backups/1/part.bin", "backups/3/part.bin");
        assertThat(target.removeAbandonedWrites(Instant.now().minus(Duration.ofHours(1)))).isZero();
    }

    @Test
    void aReadResumesThroughResetsWhenCoreRetriesIt() throws IOException {
        byte[] content = TestBytes.of(8 * MIB + 17, 14);
        put(direct, "parts/read.bin", content);
        StorageTarget retrying = new RetryingStorageTarget(target, "vault",
                new RetryPolicy(ATTEMPTS, Duration.ZERO, Duration.ZERO), Sleeper.SYSTEM, () -> 0.5);

        byte[] got = new byte[content.length];
        try (InputStream in = retrying.open("parts/read.bin")) {
            int offset = 0;
            while (offset < content.length) {
                int n = in.read(got, offset, Math.min(100_000, content.length - offset));
                assertThat(n).isPositive();
                offset += n;
                if (offset / (2 * MIB) != (offset - n) / (2 * MIB)) {
                    proxy.resetAll(); // every 2 MiB
                }
            }
            assertThat(in.read()).isEqualTo(-1);
        }

        assertThat(proxy.resets()).isGreaterThanOrEqualTo(3);
        assertThat(got).isEqualTo(content);
    }

    @Test
    void aReadWithoutRetriesFailsClearlyInsteadOfEndingEarly() throws IOException {
        byte[] content = TestBytes.of(8 * MIB, 15);
        put(direct, "parts/read.bin", content);

        try (InputStream in = target.open("parts/read.bin")) {
            assertThat(in.readNBytes(MIB)).isEqualTo(Arrays.copyOf(content, MIB));
            proxy.resetAll();
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot read 'parts/read.bin' from " + target.describe() + " after ")
                    .hasMessageContaining(" of " + content.length + " bytes");
        }
    }

    /**
     * Core's backup pipeline writes each part from a write-behind thread that has ended by the time
     * the main thread commits, and restores and prunes use pooled connections from other threads.
     * JSch's reply pipe refuses data once its last reader thread died; before every channel call
     * ran on the connection's own I/O thread, each such part broke its channel and only a reconnect
     * (a new SSH login per part) saved it. No fault is injected here: one connection must do it all.
     */
    @Test
    void partsWrittenByThreadsThatEndAndCommittedByAnotherNeedNoReconnect() throws Exception {
        int parts = 4;
        byte[][] contents = new byte[parts][];
        for (int i = 0; i < parts; i++) {
            // Not a multiple of the checkpoint: writes are still unacknowledged when the writer ends.
            contents[i] = TestBytes.of(2 * MIB + 300_000 + i, 20 + i);
            byte[] content = contents[i];
            ObjectOutput out = target.create("backup/part-" + i);
            onThreadThatEnds("drover-seal-part-" + i, () -> {
                out.write(content, 0, 1000);
                out.write(content, 1000, content.length - 1000);
                return null;
            });
            assertThat(out.commit()).isEqualTo(new ObjectInfo("backup/part-" + i, content.length));
        }
        // Restore-like reads: opened on one thread, read in halves on two more (each ends with
        // read-aheads in flight), closed on the test's thread.
        for (int i = 0; i < parts; i++) {
            String key = "backup/part-" + i;
            InputStream in = onThreadThatEnds("open-" + i, () -> target.open(key));
            int half = contents[i].length / 2;
            byte[] first = onThreadThatEnds("read-first-" + i, () -> in.readNBytes(half));
            byte[] rest = onThreadThatEnds("read-rest-" + i, in::readAllBytes);
            in.close();
            byte[] all = Arrays.copyOf(first, first.length + rest.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            assertThat(all).as(key).isEqualTo(contents[i]);
        }
        // The pooled connection, used by one thread after another has ended.
        for (int i = 0; i < 3; i++) {
            assertThat(onThreadThatEnds("list-" + i, () -> target.list("backup/"))).hasSize(parts);
            assertThat(onThreadThatEnds("stat-" + i, () -> target.stat("backup/part-0"))).isPresent();
        }

        assertThat(proxy.resets()).isZero();
        assertThat(proxy.connections()).as("SSH connections for %d parts written, read and listed", parts).isEqualTo(1);
        assertThat(tempFiles()).isEmpty();
    }

    /** What a thread (started, then joined: it has ended when this returns) computed, or what it threw. */
    static <T> T onThreadThatEnds(String name, java.util.concurrent.Callable<T> work) throws Exception {
        Object[] result = new Object[1];
        Exception[] failure = new Exception[1];
        Thread thread = Thread.ofPlatform().name(name).start(() -> {
            try {
                result[0] = work.call();
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        thread.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private Path local(String key) {
        return localPath(repo).resolve(key);
    }

    private List<Path> tempFiles() throws IOException {
        Path root = localPath(repo);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().startsWith(SftpStorageTarget.TEMP_PREFIX))
                    .toList();
        }
    }
}
