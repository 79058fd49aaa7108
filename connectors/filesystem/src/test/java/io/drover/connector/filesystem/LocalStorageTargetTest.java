package io.drover.connector.filesystem;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.NoSuchObjectException;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageCapability;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageTargetTest extends StorageTargetContract {
    @TempDir
    Path tempDir;

    private Path root;

    @Override
    protected StorageTarget newTarget() {
        // A directory that does not exist yet: the target creates it on first write.
        root = tempDir.resolve("repo");
        return new LocalStorageTarget(root, true);
    }

    @Test
    void objectsAreFilesUnderTheRootWithKeySegmentsAsDirectories() throws IOException {
        put(target, "backups/2026/part.bin", new byte[] {1, 2});

        assertThat(Files.readAllBytes(root.resolve("backups/2026/part.bin"))).containsExactly(1, 2);
    }

    @Test
    void filesAre0640AndDirectories0750() throws IOException {
        put(target, "a/b/c", new byte[] {1});

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("a/b/c")))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("a/b")))).isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("a")))).isEqualTo("rwxr-x---");
    }

    @Test
    void pendingWritesAreHiddenTempFilesNextToTheFinalName() throws IOException {
        try (ObjectOutput out = target.create("dir/obj")) {
            out.write(new byte[] {1, 2, 3});
            out.flush();

            assertThat(namesIn(root.resolve("dir"))).singleElement().asString().startsWith(".tmp-").endsWith("-obj");
            assertThat(target.list("")).isEmpty();
            out.commit();
        }
        assertThat(namesIn(root.resolve("dir"))).containsExactly("obj");
    }

    @Test
    void abortRemovesTheTempFile() throws IOException {
        try (ObjectOutput out = target.create("dir/obj")) {
            out.write(new byte[] {1});
        }

        assertThat(namesIn(root.resolve("dir"))).isEmpty();
    }

    @Test
    void failedCommitRemovesTheTempFile() throws IOException {
        put(target, "dir/obj", new byte[] {1});
        ObjectOutput late = new LocalStorageTarget(root, true).create("dir/other");
        // Simulate the race: another writer publishes under the same key after our create.
        Files.createLink(root.resolve("dir/other"), root.resolve("dir/obj"));

        assertThatThrownBy(late::commit).isInstanceOf(ObjectAlreadyExistsException.class);
        assertThat(namesIn(root.resolve("dir"))).containsExactly("obj", "other");
    }

    @Test
    void leftoverTempFilesAndDirectoriesAndStrayFilesAreNotListed() throws IOException {
        put(target, "dir/obj", new byte[] {1});
        Files.writeString(root.resolve("dir/.tmp-0123-crashed"), "partial");
        Files.createDirectories(root.resolve(".tmp-dir/inner"));
        Files.writeString(root.resolve(".tmp-dir/inner/file"), "x");
        Files.writeString(root.resolve("dir/not a key"), "x");
        Files.createSymbolicLink(root.resolve("dir/link"), root.resolve("dir/obj"));

        assertThat(target.list("")).containsExactly(new ObjectInfo("dir/obj", 1));
    }

    @Test
    void keysWithTheReservedTempPrefixAreRejected() {
        assertThatThrownBy(() -> target.create("dir/.tmp-x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> target.stat(".tmp-x/y")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyUnderAnObjectIsMissingNotAnError() throws IOException {
        put(target, "file", new byte[] {1});

        assertThat(target.stat("file/child")).isEmpty();
        assertThatThrownBy(() -> target.open("file/child")).isInstanceOf(NoSuchObjectException.class);
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
    void aRootThatDisappearsIsNotRecreated() throws IOException {
        put(target, "backups/one", new byte[] {1});
        Path moved = tempDir.resolve("moved-away");
        Files.move(root, moved);

        assertThatThrownBy(() -> target.create("backups/two")).isInstanceOf(IOException.class)
                .hasMessageContaining("has disappeared").hasMessageContaining(root.toString());
        assertThat(root).doesNotExist();
        Files.move(moved, root);
        put(target, "backups/two", new byte[] {2});
        assertThat(read(target, "backups/two")).containsExactly(2);
    }

    @Test
    void withoutFsyncTheTargetDoesNotClaimDurability() throws IOException {
        LocalStorageTarget fast = new LocalStorageTarget(tempDir.resolve("fast"), false);
        put(fast, "k", new byte[] {7});

        assertThat(fast.capabilities()).containsExactly(StorageCapability.ATOMIC_CREATE);
        assertThat(target.capabilities()).containsExactlyInAnyOrder(StorageCapability.ATOMIC_CREATE,
                StorageCapability.DURABLE_COMMIT);
        assertThat(read(fast, "k")).containsExactly(7);
    }

    @Test
    void describeNamesTheDirectory() {
        assertThat(target.describe()).contains(root.toString());
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void abandonedTemporaryFilesOlderThanTheCutoffAreRemovedAndNothingElse() throws IOException {
        put(target, "backups/1/part.bin", new byte[] {1});
        ObjectOutput abandoned = target.create("backups/2/part.bin");
        abandoned.write(new byte[] {2, 3});
        // A killed process never closes its output: the temp file stays. Age it past the cutoff.
        Path temp;
        try (Stream<Path> files = Files.walk(root)) {
            temp = files.filter(f -> f.getFileName().toString().startsWith(".tmp-")).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(temp, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(7200)));
        ObjectOutput inProgress = target.create("backups/3/part.bin");
        inProgress.write(new byte[] {4});

        assertThat(target.removeAbandonedWrites(java.time.Instant.now().minusSeconds(3600))).isEqualTo(1);

        assertThat(temp).doesNotExist();
        assertThat(read(target, "backups/1/part.bin")).containsExactly(1);
        inProgress.commit();
        assertThat(read(target, "backups/3/part.bin")).containsExactly(4);
    }
}
