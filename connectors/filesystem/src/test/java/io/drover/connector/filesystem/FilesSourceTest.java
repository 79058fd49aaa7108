package io.drover.connector.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.BackupId;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntryType;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesSourceTest {
    private static final Instant NOW = Instant.parse("2026-11-27T09:15:00Z");
    private static final SourceReadContext CONTEXT = new SourceReadContext(
            BackupId.generate(NOW), "app-config", Clock.fixed(NOW, ZoneOffset.UTC));

    @TempDir
    Path tmp;
    Path root;
    /** Entry path of {@link #root}, e.g. {@code tmp/junit123/app}. */
    String rel;

    @BeforeEach
    void createTree() throws IOException {
        root = tmp.toRealPath().resolve("app");
        rel = TreeWalk.entryPath(root);
        Files.createDirectories(root.resolve("conf/empty"));
        Files.writeString(root.resolve("conf/app.conf"), "port=8080\n");
        Files.writeString(root.resolve("conf/old.tmp"), "scratch");
        Files.createDirectories(root.resolve("cache/deep"));
        Files.writeString(root.resolve("cache/deep/blob"), "cached");
        Files.writeString(root.resolve("README"), "hello");
        Files.createSymbolicLink(root.resolve("current.conf"), Path.of("conf/app.conf"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nonexistent/target"));
        Files.createSymbolicLink(root.resolve("linked-dir"), root.resolve("cache"));
    }

    private RecordingSink read(FilesSourceConfig config) throws IOException {
        RecordingSink sink = new RecordingSink();
        new FilesSource(config).read(CONTEXT, sink);
        return sink;
    }

    private static FilesSourceConfig config(List<Path> paths, List<String> include, List<String> exclude) {
        return new FilesSourceConfig(paths, include, exclude, false);
    }

    @Test
    void emitsAncestorsThenTheTreeParentsFirstInNameOrder() throws IOException {
        RecordingSink sink = read(config(List.of(root), List.of(), List.of()));

        List<String> expected = new ArrayList<>();
        for (Path dir = root.getParent(); dir.getNameCount() > 0; dir = dir.getParent()) {
            expected.addFirst(TreeWalk.entryPath(dir));
        }
        for (String child : List.of("", "/README", "/cache", "/cache/deep", "/cache/deep/blob", "/conf",
                "/conf/app.conf", "/conf/empty", "/conf/old.tmp", "/current.conf", "/dangling", "/linked-dir")) {
            expected.add(rel + child);
        }
        assertThat(sink.paths()).containsExactlyElementsOf(expected);
        assertThat(sink.warnings).isEmpty();
    }

    @Test
    void entryPathIsTheAbsolutePathWithoutLeadingSlash() {
        assertThat(TreeWalk.entryPath(Path.of("/etc/app/x.conf"))).isEqualTo("etc/app/x.conf");
    }

    @Test
    void filesCarryContentModeTimesOwnerAndChangeToken() throws IOException {
        Path file = root.resolve("conf/app.conf");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Instant mtime = Instant.parse("2026-01-02T03:04:05.123456789Z");
        Files.setLastModifiedTime(file, FileTime.from(mtime));

        RecordingSink sink = read(config(List.of(root), List.of(), List.of()));

        EntryMeta meta = sink.entry(rel + "/conf/app.conf");
        assertThat(meta.type()).isEqualTo(EntryType.FILE);
        assertThat(meta.mode()).isEqualTo(0640);
        assertThat(meta.modified()).isEqualTo(mtime);
        assertThat(meta.size()).isEqualTo(10);
        assertThat(meta.uid()).isEqualTo(((Integer) Files.getAttribute(file, "unix:uid")).longValue());
        assertThat(meta.owner()).isEqualTo(Files.getOwner(file).getName());
        long inode = (Long) Files.getAttribute(file, "unix:ino");
        assertThat(meta.changeToken()).startsWith(inode + ":10:" + (mtime.getEpochSecond() * 1_000_000_000L + 123456789) + ":")
                .matches("\\d+:\\d+:\\d+:\\d+");
        assertThat(sink.files.get(meta.path()).content()).asString(StandardCharsets.UTF_8).isEqualTo("port=8080\n");
        assertThat(sink.files.get(meta.path()).change()).isEmpty();
    }

    @Test
    void directoriesCarryTheirModeAndEmptyOnesAreKept() throws IOException {
        Files.setPosixFilePermissions(root.resolve("conf/empty"), PosixFilePermissions.fromString("rwx--x---"));

        RecordingSink sink = read(config(List.of(root), List.of(), List.of()));

        EntryMeta empty = sink.entry(rel + "/conf/empty");
        assertThat(empty.type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(empty.mode()).isEqualTo(0710);
        assertThat(empty.size()).isZero();
    }

    @Test
    void symlinksAreEmittedWithTheirTargetAndNeverFollowed() throws IOException {
        RecordingSink sink = read(config(List.of(root), List.of(), List.of()));

        assertThat(sink.entry(rel + "/current.conf").linkTarget()).isEqualTo("conf/app.conf");
        assertThat(sink.entry(rel + "/dangling").linkTarget()).isEqualTo("/nonexistent/target");
        assertThat(sink.entry(rel + "/linked-dir").type()).isEqualTo(EntryType.SYMLINK);
        assertThat(sink.pathsOf(EntryType.SYMLINK)).containsExactly(rel + "/current.conf", rel + "/dangling", rel + "/linked-dir");
        assertThat(sink.paths()).noneMatch(p -> p.startsWith(rel + "/linked-dir/"));
    }

    @Test
    void excludeRemovesFilesAndPrunesDirectories() throws IOException {
        RecordingSink sink = read(config(List.of(root), List.of(), List.of("**/*.tmp", "**/cache")));

        assertThat(sink.paths()).doesNotContain(rel + "/conf/old.tmp", rel + "/cache", rel + "/cache/deep", rel + "/cache/deep/blob")
                .contains(rel + "/conf/app.conf", rel + "/conf/empty");
    }

    @Test
    void includeSelectsFilesAndOnlyTheDirectoriesAboveThem() throws IOException {
        RecordingSink sink = read(config(List.of(root), List.of("**/*.conf"), List.of()));

        assertThat(sink.paths()).filteredOn(p -> p.startsWith(rel))
                .containsExactly(rel, rel + "/conf", rel + "/conf/app.conf", rel + "/current.conf");
    }

    @Test
    void excludeWinsOverInclude() throws IOException {
        RecordingSink sink = read(config(List.of(root), List.of("**/*.conf"), List.of("**/current.conf")));

        assertThat(sink.paths()).filteredOn(p -> p.startsWith(rel))
                .containsExactly(rel, rel + "/conf", rel + "/conf/app.conf");
    }

    @Test
    void orderIsTheSameOnEveryRead() throws IOException {
        for (int i = 0; i < 20; i++) {
            Files.writeString(root.resolve("conf/f" + (i * 7919 % 20)), "x");
        }
        FilesSourceConfig config = config(List.of(root), List.of(), List.of());

        assertThat(read(config).entries).containsExactlyElementsOf(read(config).entries);
    }

    @Test
    void severalRootsShareAncestorsAndNestedRootsAreWalkedOnce() throws IOException {
        Path other = tmp.toRealPath().resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("o.txt"), "o");

        RecordingSink sink = read(config(List.of(other, root.resolve("conf"), root), List.of(), List.of()));

        assertThat(sink.paths()).doesNotHaveDuplicates();
        String parent = TreeWalk.entryPath(tmp.toRealPath());
        int parentAt = sink.paths().indexOf(parent);
        assertThat(parentAt).isNotNegative();
        assertThat(sink.paths().subList(parentAt + 1, sink.paths().size()))
                .startsWith(rel, rel + "/README")
                .endsWith(parent + "/other", parent + "/other/o.txt");
    }

    @Test
    void aFileRootIsEmittedAsAFile() throws IOException {
        RecordingSink sink = read(config(List.of(root.resolve("README")), List.of(), List.of()));

        assertThat(sink.paths()).last().isEqualTo(rel + "/README");
        assertThat(sink.pathsOf(EntryType.FILE)).containsExactly(rel + "/README");
    }

    @Test
    void fileAppendedWhileReadIsReported() throws IOException {
        Path file = root.resolve("README");
        RecordingSink sink = new RecordingSink().beforeRead((meta, content) -> {
            if (meta.path().equals(rel + "/README")) {
                Files.writeString(file, " world", StandardOpenOption.APPEND);
            }
        });

        new FilesSource(config(List.of(root), List.of(), List.of())).read(CONTEXT, sink);

        assertThat(sink.files.get(rel + "/README").change()).hasValueSatisfying(
                change -> assertThat(change).contains("size changed from 5 to 11 bytes"));
        assertThat(sink.files.get(rel + "/conf/app.conf").change()).isEmpty();
    }

    @Test
    void fileThatVanishedBeforeItsStatIsAWarning() throws IOException {
        // The root is listed before README is read; removing its later sibling zz.txt then makes
        // it vanish between listing and stat.
        Files.writeString(root.resolve("zz.txt"), "gone soon");
        RecordingSink sink = new RecordingSink().beforeRead((meta, content) -> {
            if (meta.path().equals(rel + "/README")) {
                Files.delete(root.resolve("zz.txt"));
            }
        });

        new FilesSource(config(List.of(root), List.of(), List.of())).read(CONTEXT, sink);

        assertThat(sink.warnings).containsOnlyKeys(rel + "/zz.txt");
        assertThat(sink.warnings.get(rel + "/zz.txt")).contains("vanished");
        assertThat(sink.paths()).doesNotContain(rel + "/zz.txt").contains(rel + "/linked-dir");
    }

    @Test
    void contentOfADeletedFileSaysSo() throws IOException {
        Path file = root.resolve("README");
        FileStat stat = FileStat.of(file);
        LocalFileContent content = new LocalFileContent(file, stat);
        Files.delete(file);

        assertThat(content.changedWhileReading()).hasValue("file was deleted while it was read");
        assertThatThrownBy(content::open).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void fileReplacedByASymlinkIsNotFollowed() throws IOException {
        Path file = root.resolve("README");
        LocalFileContent content = new LocalFileContent(file, FileStat.of(file));
        Files.delete(file);
        Files.createSymbolicLink(file, root.resolve("conf/app.conf"));

        assertThatThrownBy(content::open).isInstanceOf(IOException.class);
    }

    @Test
    void fifosAreSkippedWithAWarning() throws Exception {
        Path fifo = root.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();

        RecordingSink sink = read(config(List.of(root), List.of(), List.of()));

        assertThat(sink.paths()).doesNotContain(rel + "/pipe");
        assertThat(sink.warnings).containsEntry(rel + "/pipe", "skipped: a FIFO cannot be backed up");
    }

    @Test
    void missingRootFailsTheReadBeforeAnyEntry() {
        Path missing = tmp.resolve("does-not-exist");
        RecordingSink sink = new RecordingSink();

        assertThatThrownBy(() -> new FilesSource(config(List.of(root, missing), List.of(), List.of())).read(CONTEXT, sink))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
        assertThat(sink.entries).isEmpty();
    }

    @Test
    void snapshotIsTakenAtTheClocksTimeAndIncrementalsAreDeclared() throws IOException {
        FilesSource source = new FilesSource(config(List.of(root), List.of(), List.of()));

        SourceSnapshot snapshot = source.read(CONTEXT, new RecordingSink());

        assertThat(snapshot.capturedAt()).isEqualTo(NOW);
        assertThat(source.capabilities()).containsExactly(SourceCapability.FILE_LEVEL_INCREMENTAL);
        assertThat(source.describe()).contains(root.toString());
    }

    @Test
    void oneFileSystemKeepsMountPointsButNotWhatIsMountedThere() throws Exception {
        Path mountPoint = mountPointBelowDev();
        Path parent = mountPoint.getParent();
        RecordingSink sink = new RecordingSink();

        new FilesSource(new FilesSourceConfig(List.of(parent), List.of(), List.of(), true)).read(CONTEXT, sink);

        String entry = mountPoint.toString().substring(1);
        assertThat(sink.paths()).contains(entry).noneMatch(p -> p.startsWith(entry + "/"));
    }

    /** A file system mounted below /dev (devpts, a tmpfs /dev/shm): every Linux machine has one. */
    private static Path mountPointBelowDev() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            Path mountPoint = Path.of(line.split(" ")[1]);
            if (mountPoint.getParent() != null && mountPoint.getParent().equals(Path.of("/dev")) && Files.isDirectory(mountPoint)
                    && !Files.getAttribute(mountPoint, "unix:dev").equals(Files.getAttribute(Path.of("/dev"), "unix:dev"))) {
                return mountPoint;
            }
        }
        throw new AssertionError("no file system is mounted directly below /dev (see /proc/self/mounts); this test needs one");
    }
}
