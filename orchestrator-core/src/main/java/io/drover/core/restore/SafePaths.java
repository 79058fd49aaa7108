package io.drover.core.restore;

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
}
