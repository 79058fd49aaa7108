package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.app.TreeDiff;
import io.drover.core.model.BackupId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Backs up a copy of a real tree (part of /usr/share/doc plus awkward extras), restores it with the
 * CLI and proves the copy identical with the real {@code diff} and with {@link TreeDiff}; then
 * changes the tree, runs an incremental and proves the restore equals the new state exactly.
 * The tests share one workspace and run in order: the incremental test changes the source last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FileBackupRoundTripIT {
    @TempDir
    static Path temp;

    private Path source;
    private DroverWorkspace workspace;
    private BackupId full;

    @BeforeAll
    void backUpARealTree() throws Exception {
        source = Files.createDirectories(temp.resolve("source"));
        SampleTrees.copyOfUsrShareDoc(source, 3000, 40L << 20);
        SampleTrees.writeExtras(source);
        workspace = DroverWorkspace.in(temp.resolve("ws")).source(source).partSize("4MiB").create().init();
        JsonNode run = workspace.backupJson();
        assertThat(run.get("kind").asString()).isEqualTo("FULL");
        full = new BackupId(run.get("id").asString());
    }

    @Test
    @Order(1)
    void fullBackupRestoresToAnIdenticalTree() throws Exception {
        Path restore = temp.resolve("restore-full");
        workspace.ok("restore", "latest", "--to", restore.toString());
        Path copy = DroverWorkspace.restoredCopy(restore, source);

        assertIdentical(source, copy);
        try (Stream<Path> files = Files.walk(source)) {
            assertThat(files.filter(Files::isRegularFile).count()).as("the sample is big enough to mean something").isGreaterThan(500);
        }
        assertThat(Files.isDirectory(copy.resolve("extras/empty-dir"))).isTrue();
        assertThat(Files.readString(copy.resolve("extras/" + SampleTrees.LONG_PATH))).contains("200-character");
        assertThat(("extras/" + SampleTrees.LONG_PATH)).hasSize(200);
        assertThat(Files.readSymbolicLink(copy.resolve("extras/dangling-link"))).isEqualTo(Path.of("../no/such/file"));
    }

    @Test
    @Order(2)
    void nanosecondModificationTimesSurviveTheRoundTrip() throws Exception {
        Path restore = temp.resolve("restore-nanos");
        workspace.ok("restore", full.value(), "--to", restore.toString());
        Path restored = DroverWorkspace.restoredCopy(restore, source).resolve("extras/nanos.txt");
        FileTime original = Files.getLastModifiedTime(source.resolve("extras/nanos.txt"));
        assertThat(original.toInstant()).as("the file system keeps nanoseconds").isEqualTo(SampleTrees.NANOSECOND_MTIME);
        assertThat(Files.getLastModifiedTime(restored).to(TimeUnit.NANOSECONDS)).isEqualTo(original.to(TimeUnit.NANOSECONDS));
    }

    @Test
    @Order(3)
    void restoreWithPathRestoresOnlyThatSubtree() throws Exception {
        Path restore = temp.resolve("restore-subtree");
        String subtree = DroverWorkspace.entryPath(source.resolve("extras"));
        workspace.ok("restore", full.value(), "--path", subtree, "--to", restore.toString());

        Path copy = DroverWorkspace.restoredCopy(restore, source);
        assertThat(TreeDiff.compare(source.resolve("extras"), copy.resolve("extras"))).isEmpty();
        try (Stream<Path> all = Files.walk(restore)) {
            List<Path> outside = all.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.startsWith(copy.resolve("extras"))).toList();
            assertThat(outside).as("files restored outside the requested subtree").isEmpty();
        }
        assertThat(copy.resolve("doc")).doesNotExist();
    }

    @Test
    @Order(4)
    void restoreIntoANonEmptyDirectoryWithoutForceIsAConflict() throws Exception {
        Path restore = Files.createDirectories(temp.resolve("restore-busy"));
        Path existing = Files.writeString(restore.resolve("precious.txt"), "do not touch\n");

        CliResult result = workspace.drover("restore", full.value(), "--to", restore.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
        assertThat(result.err()).contains("not empty").contains("--force");
        try (Stream<Path> entries = Files.list(restore)) {
            assertThat(entries.toList()).containsExactly(existing);
        }
        assertThat(Files.readString(existing)).isEqualTo("do not touch\n");
    }

    @Test
    @Order(5)
    void incrementalBackupRestoresTheNewStateExactly() throws Exception {
        Path extras = source.resolve("extras");
        // Set up the files the changes act on, and take a first incremental that records them.
        Files.writeString(extras.resolve("changed.txt"), "version 1\n");
        Files.writeString(extras.resolve("deleted.txt"), "will be deleted\n");
        Files.writeString(extras.resolve("replaced.txt"), "will become a symlink\n");
        Path goneDir = Files.createDirectories(extras.resolve("gone-dir"));
        Files.writeString(goneDir.resolve("a.txt"), "a\n");
        Files.writeString(goneDir.resolve("b.txt"), "b\n");
        JsonNode before = workspace.backupJson();
        assertThat(before.get("kind").asString()).isEqualTo("INCREMENTAL");
        assertThat(before.at("/stats/newFiles").asLong()).as(before.toString()).isEqualTo(5);
        long unchangedBefore = before.at("/stats/files").asLong() - 5;
        assertThat(before.at("/stats/unchangedFiles").asLong()).as(before.toString()).isEqualTo(unchangedBefore);

        Files.writeString(extras.resolve("changed.txt"), "version 2, longer\n");
        Files.setLastModifiedTime(extras.resolve("changed.txt"), FileTime.from(Instant.parse("2024-01-02T03:04:05Z")));
        Files.writeString(extras.resolve("added.txt"), "added after the first incremental\n");
        Files.delete(extras.resolve("deleted.txt"));
        Files.delete(goneDir.resolve("a.txt"));
        Files.delete(goneDir.resolve("b.txt"));
        Files.delete(goneDir);
        Files.delete(extras.resolve("replaced.txt"));
        Files.createSymbolicLink(extras.resolve("replaced.txt"), Path.of("run.sh"));

        JsonNode run = workspace.backupJson();

        assertThat(run.get("kind").asString()).isEqualTo("INCREMENTAL");
        assertThat(run.get("parent").asString()).isEqualTo(before.get("id").asString());
        JsonNode stats = run.get("stats");
        long files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).count();
        }
        assertThat(stats.get("files").asLong()).as(stats.toString()).isEqualTo(files);
        assertThat(stats.get("newFiles").asLong()).as(stats.toString()).isEqualTo(1);
        assertThat(stats.get("changedFiles").asLong()).as(stats.toString()).isEqualTo(1);
        assertThat(stats.get("unchangedFiles").asLong()).as(stats.toString()).isEqualTo(files - 2);
        // deleted.txt, gone-dir/a.txt, gone-dir/b.txt are gone; the stats also count the gone directory entry.
        assertThat(stats.get("removedFiles").asLong()).as(stats.toString()).isBetween(3L, 4L);

        Path restore = temp.resolve("restore-incremental");
        workspace.ok("restore", run.get("id").asString(), "--to", restore.toString());
        Path copy = DroverWorkspace.restoredCopy(restore, source);
        assertIdentical(source, copy);
        assertThat(copy.resolve("extras/deleted.txt")).doesNotExist();
        assertThat(copy.resolve("extras/gone-dir")).doesNotExist();
        assertThat(Files.readSymbolicLink(copy.resolve("extras/replaced.txt"))).isEqualTo(Path.of("run.sh"));
        assertThat(Files.readString(copy.resolve("extras/changed.txt"))).isEqualTo("version 2, longer\n");
        assertThat(Files.readString(copy.resolve("extras/added.txt"))).startsWith("added");
    }

    /** Equal by the real diff (contents, symlinks not followed) and by TreeDiff (also modes and mtimes). */
    static void assertIdentical(Path expected, Path actual) throws IOException, InterruptedException {
        ExternalCommand.Result diff = ExternalCommand.run(List.of("diff", "-r", "--no-dereference",
                expected.toString(), actual.toString()));
        assertThat(diff.exitCode()).as("diff -r --no-dereference %s %s:\n%s", expected, actual, diff.output()).isZero();
        List<String> differences = TreeDiff.compare(expected, actual);
        assertThat(differences).as("TreeDiff %s %s", expected, actual).isEmpty();
    }
}
