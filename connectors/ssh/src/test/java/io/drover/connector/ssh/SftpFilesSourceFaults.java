package io.drover.connector.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.BackupId;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.FileContent;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.TestBytes;
import io.drover.core.storage.RetryPolicy;
import io.drover.core.storage.Sleeper;
import io.drover.core.testing.TcpFaultProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the {@code sftp-files} source does when the network fails mid-walk or mid-file: a
 * {@link TcpFaultProxy} between JSch and a real server resets connections at given byte counts.
 * The walk must go on and every file must come out with exactly the bytes on the server, or with
 * the usual "changed while it was read" warning. Subclasses run it against MINA and OpenSSH.
 */
abstract class SftpFilesSourceFaults {
    private static final AtomicInteger TREES = new AtomicInteger();
    private static final int MIB = 1024 * 1024;
    private static final int ATTEMPTS = 4;
    private static final Instant MTIME = Instant.parse("2026-01-02T03:04:05Z");

    private TcpFaultProxy proxy;
    private String root;
    private String big;
    private byte[] bigContent;

    /** The port of the real server. */
    abstract int serverPort();

    /** The absolute path on the server of a fresh directory named {@code name}. */
    abstract String serverPath(String name);

    /** Where the server keeps {@code serverPath}, to make and change files without SFTP. */
    abstract Path localPath(String serverPath);

    /** Login settings (the path is unused) that connect to {@code port}. */
    abstract SftpTargetConfig login(int port) throws IOException;

    @BeforeEach
    void makeTreeAndProxy() throws IOException {
        proxy = new TcpFaultProxy("127.0.0.1", serverPort());
        root = serverPath("tree-" + TREES.incrementAndGet());
        Path local = Files.createDirectories(localPath(root));
        for (int d = 0; d < 12; d++) {
            Path dir = Files.createDirectories(local.resolve("dir-" + d).resolve("sub"));
            for (int f = 0; f < 4; f++) {
                Files.write(dir.resolve("file-" + f), TestBytes.of(1000 + d * 100 + f, d * 10 + f));
            }
        }
        bigContent = TestBytes.of(6 * MIB + 123, 99);
        Files.write(local.resolve("big.bin"), bigContent);
        big = root + "/big.bin";
        try (var paths = Files.walk(local)) {
            for (Path path : paths.toList()) {
                Files.setLastModifiedTime(path, FileTime.from(MTIME));
            }
        }
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    private SftpFilesSource source(int port) throws IOException {
        SftpTargetConfig login = login(port);
        SftpFilesSourceConfig config = new SftpFilesSourceConfig(login.host(), login.port(), login.user(), List.of(root),
                List.of(), List.of(), login.privateKey(), login.password(), login.knownHosts(), false, login.connectTimeout());
        // Fast backoff: the delays are not what is tested, and nothing waits on them.
        return new SftpFilesSource(config, login.knownHosts().orElseThrow(),
                new RetryPolicy(ATTEMPTS, Duration.ofMillis(5), Duration.ofMillis(20)), Sleeper.SYSTEM);
    }

    private Recorder read(int port, Recorder recorder) throws IOException {
        try (SftpFilesSource source = source(port)) {
            source.read(new SourceReadContext(BackupId.generate(MTIME), "job", Clock.systemUTC()), recorder);
        }
        return recorder;
    }

    @Test
    void resetsAnywhereInTheWalkAndItsReadsChangeNothingInWhatIsEmitted() throws IOException {
        Recorder undisturbed = read(serverPort(), new Recorder());
        assertThat(undisturbed.warnings).isEmpty();
        assertThat(undisturbed.contents).hasSize(12 * 4 + 1);
        assertThat(undisturbed.contents.get(big.substring(1))).isEqualTo(bigContent);

        long before = proxy.upstreamBytes();
        read(proxy.port(), new Recorder());
        long walkBytes = proxy.upstreamBytes() - before;

        // Resets at points spread over the whole read: in the login, listings, look-ups and file reads.
        for (int i = 1; i <= 6; i++) {
            int resets = proxy.resets();
            proxy.resetAfterUpstreamBytes(walkBytes * i / 7);
            Recorder disturbed = read(proxy.port(), new Recorder());
            assertThat(proxy.resets()).as("reset %d/7 through the walk", i).isEqualTo(resets + 1);
            assertThat(disturbed.warnings).as("reset %d/7 through the walk", i).isEmpty();
            // Under the tree: the test directories above it get new mtimes as tests write into them.
            assertThat(disturbed.entriesUnder(root)).isEqualTo(undisturbed.entriesUnder(root));
            assertThat(disturbed.contents.keySet()).isEqualTo(undisturbed.contents.keySet());
            disturbed.contents.forEach((path, bytes) -> assertThat(bytes).as(path).isEqualTo(undisturbed.contents.get(path)));
        }
    }

    @Test
    void aFileReadResumesAfterResetsWithTheExactBytes() throws IOException {
        Recorder recorder = new Recorder();
        recorder.afterChunk = (path, read) -> {
            if (path.equals(big) && read / (2 * MIB) != (read - Recorder.CHUNK) / (2 * MIB)) {
                proxy.resetAll(); // every 2 MiB
            }
        };
        int connections = proxy.connections();
        read(proxy.port(), recorder);

        assertThat(proxy.resets()).isGreaterThanOrEqualTo(3);
        assertThat(proxy.connections() - connections).isEqualTo(1 + proxy.resets());
        assertThat(recorder.warnings).isEmpty();
        assertThat(recorder.contents.get(big.substring(1))).isEqualTo(bigContent);
    }

    @Test
    void aFileChangedWhileTheConnectionWasDownIsReportedAsChanged() throws IOException {
        Recorder recorder = new Recorder();
        recorder.afterChunk = (path, read) -> {
            if (path.equals(big) && read == 2L * Recorder.CHUNK) {
                try {
                    // Same size, other bytes, a newer mtime: what a rewrite while the link was down looks like.
                    Files.write(localPath(big), TestBytes.of(bigContent.length, 100));
                    Files.setLastModifiedTime(localPath(big), FileTime.from(MTIME.plusSeconds(60)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                proxy.resetAll();
            }
        };
        read(proxy.port(), recorder);

        assertThat(proxy.resets()).isEqualTo(1);
        assertThat(recorder.warnings).containsExactly(big.substring(1) + ": changed: modification time changed from "
                + MTIME + " to " + MTIME.plusSeconds(60));
    }

    @Test
    void aServerThatStaysUnreachableFailsTheReadClearlyAfterTheBoundedAttempts() throws IOException {
        Recorder recorder = new Recorder();
        recorder.afterChunk = (path, read) -> {
            if (path.equals(big) && read == Recorder.CHUNK) {
                proxy.refuseConnections(true);
            }
        };
        int connections = proxy.connections();

        assertThatThrownBy(() -> read(proxy.port(), recorder)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read the source on sftp://")
                .hasMessageContaining("the connection broke during ")
                .hasMessageContaining(big)
                .hasMessageContaining(ATTEMPTS + " attempts in a row")
                .hasMessageContaining("Check the network path to the server")
                .hasMessageNotContaining("PRIVATE KEY");
        // The first connection, then ATTEMPTS - 1 reconnects.
        assertThat(proxy.connections() - connections).isEqualTo(ATTEMPTS);
    }

    /** Records what the source emits and reads every file in fixed chunks, as core would. */
    private static final class Recorder implements EntrySink {
        static final int CHUNK = 256 * 1024;
        final List<EntryMeta> entries = new ArrayList<>();
        final Map<String, byte[]> contents = new LinkedHashMap<>();
        final List<String> warnings = new ArrayList<>();
        /** Called with the absolute path and the bytes read so far after every chunk. */
        java.util.function.ObjLongConsumer<String> afterChunk = (path, read) -> { };

        @Override
        public void directory(EntryMeta meta) {
            entries.add(meta);
        }

        @Override
        public void symlink(EntryMeta meta) {
            entries.add(meta);
        }

        @Override
        public void file(EntryMeta meta, FileContent content) throws IOException {
            entries.add(meta);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (InputStream in = content.open()) {
                byte[] chunk = new byte[CHUNK];
                long read = 0;
                int n;
                while ((n = in.readNBytes(chunk, 0, CHUNK)) > 0) {
                    bytes.write(chunk, 0, n);
                    read += n;
                    afterChunk.accept("/" + meta.path(), read);
                }
            }
            contents.put(meta.path(), bytes.toByteArray());
            content.changedWhileReading().ifPresent(change -> warnings.add(meta.path() + ": changed: " + change));
        }

        @Override
        public void warn(String path, String message) {
            warnings.add(path + ": " + message);
        }

        List<EntryMeta> entriesUnder(String dir) {
            return entries.stream().filter(e -> ("/" + e.path()).startsWith(dir)).toList();
        }
    }
}
