package io.drover.core.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares two directory trees entry by entry: type, content, permissions, modification time
 * (files and symlinks) and symlink targets. Used by the quickstart and by tests to prove a restore.
 */
public final class TreeDiff {
    private TreeDiff() {
    }

    /** Differences, one line each; empty when the trees are identical. */
    public static List<String> compare(Path expected, Path actual) throws IOException {
        Map<String, String> left = describe(expected);
        Map<String, String> right = describe(actual);
        List<String> differences = new ArrayList<>();
        for (var entry : left.entrySet()) {
            String other = right.get(entry.getKey());
            if (other == null) {
                differences.add("missing: " + entry.getKey());
            } else if (!other.equals(entry.getValue())) {
                differences.add("differs: " + entry.getKey() + " (expected " + entry.getValue() + ", got " + other + ")");
            }
        }
        for (String path : right.keySet()) {
            if (!left.containsKey(path)) {
                differences.add("unexpected: " + path);
            }
        }
        return differences;
    }

    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root)) {
                    entries.put(root.relativize(dir).toString(), "dir " + permissions(dir));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String key = root.relativize(file).toString();
                if (attrs.isSymbolicLink()) {
                    entries.put(key, "symlink -> " + Files.readSymbolicLink(file) + " mtime " + attrs.lastModifiedTime().toMillis());
                } else if (attrs.isRegularFile()) {
                    entries.put(key, "file " + permissions(file) + " mtime " + attrs.lastModifiedTime().toMillis()
                            + " size " + attrs.size() + " sha256 " + sha256(file));
                } else {
                    entries.put(key, "other");
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return entries;
    }

    /** All permission bits, including setuid, setgid and sticky. */
    private static String permissions(Path path) throws IOException {
        return String.format("%04o", ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
