package io.drover.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path rules of restore: SafePaths for names, SafeTree for what exists on disk. */
class SafePathsTest {
    @Test
    void cleanRelativePathsPass() {
        assertThat(SafePaths.problemWith("etc/app/app.conf")).isEmpty();
        assertThat(SafePaths.problemWith("a..b/c")).isEmpty();
    }

    @Test
    void escapesAreNamed() {
        assertThat(SafePaths.problemWith("../etc/passwd")).contains("path escapes the target with '..'");
        assertThat(SafePaths.problemWith("a/../../b")).contains("path escapes the target with '..'");
        assertThat(SafePaths.problemWith("/etc/passwd")).contains("absolute path");
        assertThat(SafePaths.problemWith("a//b")).contains("path has an empty or '.' segment");
        assertThat(SafePaths.problemWith("a/./b")).contains("path has an empty or '.' segment");
        assertThat(SafePaths.problemWith("a\0b")).contains("path contains a NUL byte");
        assertThat(SafePaths.problemWith("")).contains("empty path");
    }

    @Test
    void writingThroughASymlinkIsRefused(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        String[] reason = new String[1];
        SafeTree tree = new SafeTree(root);
        assertThat(tree.resolveForWrite("link/evil.txt", reason)).isEmpty();
        assertThat(reason[0]).contains("symlink escape");
        assertThat(tree.resolveForWrite("dir/ok.txt", reason)).isEqualTo(Optional.of(root.resolve("dir/ok.txt")));
    }

    @Test
    void aFileInTheWayOfADirectoryIsRefused(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("file"), "x");
        String[] reason = new String[1];
        assertThat(new SafeTree(tmp).resolveForWrite("file/child", reason)).isEmpty();
        assertThat(reason[0]).contains("is not a directory");
    }
}
