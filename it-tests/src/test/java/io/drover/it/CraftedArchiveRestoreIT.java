package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.BackupId;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores of hand-crafted malicious backups (valid hashes, hostile paths and entry types) write
 * nothing outside the target directory, exit 5 and list every refused entry; decompression bombs
 * are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CraftedArchiveRestoreIT {
    private static final String SECRET = "sentinel content\n";

    @TempDir
    static Path temp;

    private DroverWorkspace workspace;
    private BackupId template;

    @BeforeAll
    void repositoryWithOneGenuineBackup() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Files.writeString(data.resolve("genuine.txt"), "a genuine file\n");
        workspace = DroverWorkspace.in(temp.resolve("ws")).source(data).unencrypted().create().init();
        template = workspace.backup();
    }

    /** A case directory with an empty restore target's sibling 'sentinel' holding one file. */
    private record Case(Path dir, Path target, Path sentinel) {
        static Case named(String name) throws IOException {
            Path dir = Files.createDirectories(temp.resolve("case-" + name));
            Path sentinel = Files.createDirectories(dir.resolve("sentinel"));
            Files.writeString(sentinel.resolve("secret.txt"), SECRET);
            return new Case(dir, dir.resolve("target"), sentinel);
        }

        /** Nothing next to the target changed: the sentinel holds its one file, unchanged and unlinked. */
        void assertNothingOutsideTarget() throws IOException {
            try (Stream<Path> siblings = Files.list(dir)) {
                assertThat(siblings.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("sentinel", "target");
            }
            try (Stream<Path> files = Files.list(sentinel)) {
                assertThat(files.toList()).containsExactly(sentinel.resolve("secret.txt"));
            }
            Path secret = sentinel.resolve("secret.txt");
            assertThat(Files.readString(secret)).isEqualTo(SECRET);
            assertThat(Files.getAttribute(secret, "unix:nlink")).as("hard links to the sentinel file").isEqualTo(1);
        }
    }

    private CliResult restore(BackupId id, Path target, String... extra) {
        workspace.ok("catalog", "rebuild");
        List<String> args = new java.util.ArrayList<>(List.of("restore", id.value(), "--to", target.toString()));
        args.addAll(List.of(extra));
        return workspace.drover(args.toArray(String[]::new));
    }

    private static void assertRefused(CliResult result, String... paths) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(5);
        for (String path : paths) {
            assertThat(result.err()).as(result.toString()).containsPattern("(refused|problem): .*" + java.util.regex.Pattern.quote(path));
        }
        assertThat(result.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void dotDotPathsAreRefused() throws IOException {
        Case c = Case.named("dotdot");
        BackupId id = new CraftedBackup(workspace, template)
                .file("ok.txt", "fine\n")
                .file("../escape.txt", "escaped\n")
                .file("../sentinel/escape.txt", "escaped\n")
                .file("a/../../escape2.txt", "escaped\n")
                .commit();

        CliResult result = restore(id, c.target());

        assertRefused(result, "../escape.txt", "../sentinel/escape.txt", "a/../../escape2.txt");
        c.assertNothingOutsideTarget();
        assertThat(Files.readString(c.target().resolve("ok.txt"))).isEqualTo("fine\n");
    }

    @Test
    void absolutePathsAreRefused() throws IOException {
        Case c = Case.named("absolute");
        Path outside = Path.of("/tmp", "drover-it-" + UUID.randomUUID(), "abs.txt");
        BackupId id = new CraftedBackup(workspace, template)
                .file("ok.txt", "fine\n")
                .file(outside.toString(), "escaped\n")
                .file(c.sentinel().resolve("abs.txt").toString(), "escaped\n")
                .commit();

        CliResult result = restore(id, c.target());

        assertRefused(result, outside.toString(), c.sentinel().resolve("abs.txt").toString());
        c.assertNothingOutsideTarget();
        assertThat(outside).doesNotExist();
        assertThat(outside.getParent()).doesNotExist();
    }

    @Test
    void aFileBelowASymlinkOfTheSameBackupIsRefused() throws IOException {
        Case c = Case.named("symlink");
        BackupId id = new CraftedBackup(workspace, template)
                .file("ok.txt", "fine\n")
                .symlink("link", c.sentinel().toString())
                .file("link/evil.txt", "escaped through a symlink\n")
                .commit();

        CliResult result = restore(id, c.target());

        assertRefused(result, "link/evil.txt");
        assertThat(result.err()).contains("symlink escape");
        assertThat(Files.readString(c.target().resolve("ok.txt"))).isEqualTo("fine\n");
        assertThat(Files.isSymbolicLink(c.target().resolve("link"))).isTrue();
        c.assertNothingOutsideTarget();
    }

    @Test
    void writingThroughASymlinkAlreadyInTheTargetIsRefused() throws IOException {
        Case c = Case.named("symlink-force");
        BackupId first = new CraftedBackup(workspace, template)
                .symlink("link", c.sentinel().toString())
                .commit();
        BackupId second = new CraftedBackup(workspace, template)
                .file("ok.txt", "fine\n")
                .file("link/evil.txt", "escaped through a symlink\n")
                .commit();
        CliResult linkOnly = restore(first, c.target());
        assertThat(linkOnly.exitCode()).as("a symlink pointing anywhere is harmless by itself: %s", linkOnly).isZero();

        CliResult result = restore(second, c.target(), "--force");

        assertRefused(result, "link/evil.txt");
        assertThat(result.err()).contains("symlink escape");
        c.assertNothingOutsideTarget();
        assertThat(Files.readString(c.target().resolve("ok.txt"))).isEqualTo("fine\n");
    }

    @Test
    void hardlinksToFilesOutsideTheRestoreAreRefused() throws IOException {
        Case c = Case.named("hardlink");
        BackupId id = new CraftedBackup(workspace, template)
                .file("ok.txt", "fine\n")
                .hardlink("passwd", "../../etc/passwd")
                .hardlink("secret-relative", "../sentinel/secret.txt")
                .hardlink("secret-absolute", c.sentinel().resolve("secret.txt").toString())
                .commit();

        CliResult result = restore(id, c.target());

        assertRefused(result, "passwd", "secret-relative", "secret-absolute");
        c.assertNothingOutsideTarget();
        assertThat(Files.getAttribute(Path.of("/etc/passwd"), "unix:nlink")).isEqualTo(1);
        for (String name : List.of("passwd", "secret-relative", "secret-absolute")) {
            assertThat(c.target().resolve(name)).doesNotExist();
        }
    }

    @Test
    void deviceNodesAreRefused() throws IOException {
        Case c = Case.named("device");
        BackupId id = new CraftedBackup(workspace, template)
                .file("ok.txt", "fine\n")
                .characterDevice("dev-null")
                .commit();

        CliResult result = restore(id, c.target());

        assertRefused(result, "dev-null");
        assertThat(result.err()).contains("device");
        assertThat(Files.exists(c.target().resolve("dev-null"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        c.assertNothingOutsideTarget();
    }

    @Test
    void aSymlinkInTheTarWhereTheIndexSaysFileIsRefused() throws IOException {
        Case c = Case.named("disguised");
        BackupId id = new CraftedBackup(workspace, template)
                .file("ok.txt", "fine\n")
                .symlinkDisguisedAsFile("sneaky.txt", c.sentinel().resolve("secret.txt").toString(), "hello\n")
                .commit();

        CliResult result = restore(id, c.target());

        assertRefused(result, "sneaky.txt");
        assertThat(Files.exists(c.target().resolve("sneaky.txt"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        c.assertNothingOutsideTarget();
    }

    @Test
    void aTarEntryLargerThanTheIndexSaysIsRefusedWithoutWritingIt() throws IOException {
        Case c = Case.named("bomb");
        BackupId id = new CraftedBackup(workspace, template)
                .file("ok.txt", "fine\n")
                .zerosWithFalseSize("bomb.bin", 2L << 30, 10)
                .commit();
        assertThat(Files.size(workspace.objectFile(workspace.part(id, 1)))).as("the part is tiny").isLessThan(1 << 20);

        CliResult result = restore(id, c.target());

        assertRefused(result, "bomb.bin");
        assertThat(result.err()).contains("2147483648");
        assertThat(c.target().resolve("bomb.bin")).doesNotExist();
        c.assertNothingOutsideTarget();
    }

    @Test
    void maxRatioRefusesAPartThatExpandsTooMuch() throws IOException {
        Case c = Case.named("ratio");
        Path data = Files.createDirectories(c.dir().resolveSibling("ratio-data"));
        // Sparse, so the source costs no disk: 700 MiB of zeros. The ratio applies to at least
        // 64 MiB of stored size, so --max-ratio 10 allows 640 MiB.
        try (RandomAccessFile zeros = new RandomAccessFile(data.resolve("zeros.img").toFile(), "rw")) {
            zeros.setLength(700L << 20);
        }
        DroverWorkspace ws = DroverWorkspace.in(temp.resolve("ratio-ws")).source(data).create().init();
        BackupId id = ws.backup();

        CliResult result = ws.drover("restore", id.value(), "--to", c.target().toString(), "--max-ratio", "10");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(5);
        assertThat(result.err()).contains("ratio").contains("--max-ratio");
        c.assertNothingOutsideTarget();
    }
}
