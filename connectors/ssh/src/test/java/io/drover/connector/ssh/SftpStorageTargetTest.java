package io.drover.connector.ssh;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageCapability;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftpStorageTargetTest extends StorageTargetContract {
    private static final AtomicInteger REPOS = new AtomicInteger();

    @TempDir
    static Path serverDir;

    private static TestingSftpServer server;
    private static Path knownHosts;

    private String repo;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestingSftpServer.start(serverDir);
        knownHosts = server.knownHosts();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    @Override
    protected StorageTarget newTarget() {
        // A fresh directory per test that does not exist yet: the target creates it on first write.
        repo = "repo-" + REPOS.incrementAndGet();
        return new SftpStorageTarget(server.keyConfig("/srv/" + repo, knownHosts), knownHosts);
    }

    private Path root() {
        return server.root().resolve("srv").resolve(repo);
    }

    @Test
    void smallWritesReachTheServerAsFullSizedRequests() throws IOException {
        byte[] object = new byte[1024 * 1024 + 123];
        new java.util.Random(7).nextBytes(object);
        long before = server.writeRequests();
        try (ObjectOutput out = target.create("parts/small-writes")) {
            for (int offset = 0; offset < object.length; offset += 4096) {
                out.write(object, offset, Math.min(4096, object.length - offset));
            }
            out.commit();
        }

        assertThat(Files.readAllBytes(root().resolve("parts/small-writes"))).isEqualTo(object);
        // 257 writes of 4 KiB would be 257 requests if each were sent as it came; JSch's requests
        // carry up to one channel packet (32 KiB on MINA as on OpenSSH).
        assertThat(server.writeRequests() - before).isBetween(33L, 48L);
    }

    @Test
    void objectsAreFilesUnderThePathWithKeySegmentsAsDirectories() throws IOException {
        put(target, "backups/2026/part.bin", new byte[] {1, 2});

        assertThat(Files.readAllBytes(root().resolve("backups/2026/part.bin"))).containsExactly(1, 2);
    }

    @Test
    void pendingWritesAreHiddenTempFilesNextToTheFinalName() throws IOException {
        try (ObjectOutput out = target.create("dir/obj")) {
            out.write(new byte[] {1, 2, 3});
            out.flush();

            assertThat(namesIn(root().resolve("dir"))).singleElement().asString().startsWith(".tmp-").endsWith("-obj");
            assertThat(target.list("")).isEmpty();
            out.commit();
        }
        assertThat(namesIn(root().resolve("dir"))).containsExactly("obj");
    }

    @Test
    void abortRemovesTheTempFile() throws IOException {
        try (ObjectOutput out = target.create("dir/obj")) {
            out.write(new byte[] {1});
        }

        assertThat(namesIn(root().resolve("dir"))).isEmpty();
    }

    @Test
    void failedCommitRemovesTheTempFileAndKeepsTheOtherObject() throws IOException {
        ObjectOutput late = target.create("dir/other");
        late.write(new byte[] {9, 9});
        put(target, "dir/other", new byte[] {1});

        assertThatThrownBy(late::commit).isInstanceOf(io.drover.core.spi.ObjectAlreadyExistsException.class);
        assertThat(namesIn(root().resolve("dir"))).containsExactly("other");
        assertThat(read(target, "dir/other")).containsExactly(1);
    }

    @Test
    void leftoverTempFilesAndStrayFilesAreNotListed() throws IOException {
        put(target, "dir/obj", new byte[] {1});
        Files.writeString(root().resolve("dir/.tmp-0123-crashed"), "partial");
        Files.createDirectories(root().resolve(".tmp-dir/inner"));
        Files.writeString(root().resolve(".tmp-dir/inner/file"), "x");
        Files.writeString(root().resolve("dir/not a key"), "x");

        assertThat(target.list("")).containsExactly(new ObjectInfo("dir/obj", 1));
    }

    @Test
    void keyUnderAnObjectIsMissingNotAnError() throws IOException {
        put(target, "file", new byte[] {1});

        assertThat(target.stat("file/child")).isEmpty();
        assertThatThrownBy(() -> target.open("file/child")).isInstanceOf(io.drover.core.spi.NoSuchObjectException.class);
        target.delete("file/child");
        assertThat(target.list("file/")).isEmpty();
    }

    @Test
    void objectNamedLikeADirectoryOfOtherObjectsFailsWithAClearMessage() throws IOException {
        put(target, "dir/child", new byte[] {1});

        assertThatThrownBy(() -> put(target, "dir", new byte[] {2}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("directory");
        target.delete("dir");
        assertThat(read(target, "dir/child")).containsExactly(1);
    }

    @Test
    void declaresAtomicCreateButNotDurableCommit() {
        assertThat(target.capabilities()).containsExactly(StorageCapability.ATOMIC_CREATE);
    }

    @Test
    void describeIsAnSftpUrlWithoutSecrets() {
        assertThat(target.describe()).isEqualTo("sftp://drover@127.0.0.1:" + server.port() + "/srv/" + repo);
        assertThat(target.toString()).doesNotContain("PRIVATE KEY");
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
