package io.drover.core.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The directory tree of one restore: resolves entry paths under the root and guarantees that no
 * existing ancestor is a symbolic link or a non-directory. Each directory is checked once with a
 * single no-follow stat and then remembered, so a restore of many files does not stat every
 * ancestor of every file again.
 */
final class SafeTree {
    private final Path root;
    private final Set<Path> safeDirectories = new HashSet<>();

    SafeTree(Path root) {
        this.root = root;
        safeDirectories.add(root);
    }

    Path root() {
        return root;
    }

    /**
     * Resolves a clean relative path under the root.
     *
     * @return the path, or empty with the reason in {@code reason[0]}
     */
    Optional<Path> resolveForWrite(String path, String[] reason) throws IOException {
        Optional<String> problem = SafePaths.problemWith(path);
        if (problem.isPresent()) {
            reason[0] = problem.get();
            return Optional.empty();
        }
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            reason[0] = "path resolves outside the target";
            return Optional.empty();
        }
        Path parent = target.getParent();
        if (safeDirectories.contains(parent)) {
            return Optional.of(target);
        }
        Path current = root;
        Path relative = root.relativize(parent);
        for (int i = 0; i < relative.getNameCount(); i++) {
            current = current.resolve(relative.getName(i));
            if (safeDirectories.contains(current)) {
                continue;
            }
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Optional.of(target); // the rest does not exist yet; restore creates real directories
            }
            if (attributes.isSymbolicLink()) {
                reason[0] = "would write through the symbolic link " + root.relativize(current) + " (symlink escape)";
                return Optional.empty();
            }
            if (!attributes.isDirectory()) {
                reason[0] = "parent " + root.relativize(current) + " is not a directory";
                return Optional.empty();
            }
            safeDirectories.add(current);
        }
        return Optional.of(target);
    }

    /** Creates {@code dir} and its missing ancestors (all already checked) and remembers them as safe. */
    void createDirectories(Path dir) throws IOException {
        if (safeDirectories.contains(dir)) {
            return;
        }
        Files.createDirectories(dir);
        for (Path p = dir; p != null && p.startsWith(root) && safeDirectories.add(p); p = p.getParent()) {
            // remembered
        }
    }

    boolean isKnownDirectory(Path dir) {
        return safeDirectories.contains(dir);
    }
}
