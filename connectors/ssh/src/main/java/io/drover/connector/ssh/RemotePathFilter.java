package io.drover.connector.ssh;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * The include and exclude globs of an {@code sftp-files} source, matched against absolute remote
 * paths exactly as the local {@code files} source matches local ones.
 */
final class RemotePathFilter {
    private final List<PathMatcher> include;
    private final List<PathMatcher> exclude;

    RemotePathFilter(List<String> include, List<String> exclude) {
        this.include = include.stream().map(RemotePathFilter::compile).toList();
        this.exclude = exclude.stream().map(RemotePathFilter::compile).toList();
    }

    /** @throws IllegalArgumentException if the glob is malformed */
    static PathMatcher compile(String glob) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }

    /** Whether a directory is walked; an excluded directory is pruned with everything below it. */
    boolean walksDirectory(String directory) {
        return !matchesAny(exclude, directory);
    }

    /** Whether a file, symlink or other non-directory is backed up. */
    boolean selects(String path) {
        return (include.isEmpty() || matchesAny(include, path)) && !matchesAny(exclude, path);
    }

    /** Whether directories are emitted only when something below them is selected. */
    boolean hasIncludes() {
        return !include.isEmpty();
    }

    private static boolean matchesAny(List<PathMatcher> matchers, String remotePath) {
        // Remote paths are POSIX paths: match them as paths of the (Unix) default file system.
        Path path = Path.of(remotePath);
        for (PathMatcher matcher : matchers) {
            if (matcher.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
