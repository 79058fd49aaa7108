package io.drover.core.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The rules that keep a restore inside its target directory. Every path that restore writes goes
 * through here; nothing is ever written through a symbolic link.
 */
public final class SafePaths {
    private SafePaths() {
    }

    /** Why {@code path} (from an index or archive) may not be restored, or empty if it is a clean relative path. */
    public static Optional<String> problemWith(String path) {
        if (path.isEmpty()) {
            return Optional.of("empty path");
        }
        if (path.indexOf('\0') >= 0) {
            return Optional.of("path contains a NUL byte");
        }
        if (path.startsWith("/")) {
            return Optional.of("absolute path");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return Optional.of("path escapes the target with '..'");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return Optional.of("path has an empty or '.' segment");
            }
        }
        return Optional.empty();
    }

    /**
     * Resolves a clean relative path under {@code root} and checks that no existing ancestor below
     * {@code root} is a symbolic link or a non-directory.
     *
     * @return the path, or empty with the reason in {@code reason[0]}
     */
    public static Optional<Path> resolveForWrite(Path root, String path, String[] reason) throws IOException {
        Optional<String> problem = problemWith(path);
        if (problem.isPresent()) {
            reason[0] = problem.get();
            return Optional.empty();
        }
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            reason[0] = "path resolves outside the target";
            return Optional.empty();
        }
        Path current = root;
        Path relative = root.relativize(target);
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            current = current.resolve(relative.getName(i));
            if (Files.isSymbolicLink(current)) {
                reason[0] = "would write through the symbolic link " + root.relativize(current) + " (symlink escape)";
                return Optional.empty();
            }
            if (Files.exists(current, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                reason[0] = "parent " + root.relativize(current) + " is not a directory";
                return Optional.empty();
            }
        }
        return Optional.of(target);
    }
}
