package io.drover.connector.filesystem;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/** The include and exclude globs of a {@code files} source, matched against absolute paths. */
final class PathFilter {
    private final List<PathMatcher> include;
    private final List<PathMatcher> exclude;

    PathFilter(List<String> include, List<String> exclude) {
        this.include = include.stream().map(PathFilter::compile).toList();
        this.exclude = exclude.stream().map(PathFilter::compile).toList();
    }

    /** @throws IllegalArgumentException if the glob is malformed */
    static PathMatcher compile(String glob) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }

    /** Whether a directory is walked; an excluded directory is pruned with everything below it. */
    boolean walksDirectory(Path directory) {
        return !matchesAny(exclude, directory);
    }

    /** Whether a file, symlink or other non-directory is backed up. */
    boolean selects(Path path) {
        return (include.isEmpty() || matchesAny(include, path)) && !matchesAny(exclude, path);
    }

    /** Whether directories are emitted only when something below them is selected. */
    boolean hasIncludes() {
        return !include.isEmpty();
    }

    private static boolean matchesAny(List<PathMatcher> matchers, Path path) {
        for (PathMatcher matcher : matchers) {
            if (matcher.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
