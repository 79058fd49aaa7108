package io.drover.connector.filesystem;

import io.drover.core.spi.NoSuchObjectException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectKeys;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageCapability;
import io.drover.core.spi.StorageTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A storage target in a local directory: each object is a file, key segments are directories.
 * Objects are written to hidden {@code .tmp-*} files and published with a no-overwrite hard link,
 * so a reader never sees a partial object and an existing object is never replaced.
 */
public final class LocalStorageTarget implements StorageTarget {
    /** Names of files being written and of anything else drover must not list. */
    static final String TEMP_PREFIX = ".tmp-";

    private final Path root;
    /** Whether the root directory existed at some point while this target was in use. */
    private volatile boolean rootSeen;
    private final Durability durability;
    private final WriteBufferPool buffers = new WriteBufferPool();
    private final Publisher publisher;

    public LocalStorageTarget(Path root, boolean fsync) {
        this.root = root.toAbsolutePath().normalize();
        this.rootSeen = Files.isDirectory(this.root);
        this.durability = new Durability(fsync);
        this.publisher = new Publisher(durability);
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return durability.enabled()
                ? EnumSet.of(StorageCapability.ATOMIC_CREATE, StorageCapability.DURABLE_COMMIT)
                : EnumSet.of(StorageCapability.ATOMIC_CREATE);
    }

    @Override
    public String describe() {
        return "local directory " + root;
    }

    @Override
    public ObjectOutput create(String key) throws IOException {
        Path file = resolve(key);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            // Fail before the caller streams gigabytes that commit would refuse anyway.
            throw Publisher.alreadyExists(key, file);
        }
        requireRootNotVanished();
        durability.createDirectories(file.getParent());
        rootSeen = true;
        return LocalObjectOutput.start(key, file, durability, publisher, buffers);
    }

    /**
     * A root that existed and is gone is an unmounted or moved file system: recreating it would
     * write backups onto the bare mount point, where nobody expects them. A root that never existed
     * is a new repository's, and is created.
     */
    private void requireRootNotVanished() throws IOException {
        if (rootSeen && !Files.isDirectory(root)) {
            throw new IOException("the target directory " + root + " has disappeared (unmounted or moved?);"
                    + " drover does not recreate it, so nothing lands on a bare mount point: check the mount, then run again");
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        Path file = resolve(key);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchObjectException(key);
        }
        try {
            return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException deletedMeanwhile) {
            throw new NoSuchObjectException(key);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) throws IOException {
        Path file = resolve(key);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? Optional.of(new ObjectInfo(key, attributes.size())) : Optional.empty();
        } catch (FileSystemException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        ObjectKeys.requireValidPrefix(prefix);
        // Walk only the deepest directory the prefix names completely; the rest is filtered by key.
        int lastSlash = prefix.lastIndexOf('/');
        Path start = lastSlash < 0 ? root : root.resolve(prefix.substring(0, lastSlash));
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<ObjectInfo> found = new ArrayList<>();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return isHidden(dir) && !dir.equals(start) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !isHidden(file)) {
                    String key = keyOf(file);
                    if (key != null && key.startsWith(prefix)) {
                        found.add(new ObjectInfo(key, attrs.size()));
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted while we listed
                }
                throw exc;
            }
        });
        // Sort by the key string, not per directory: "a-b" comes before "a/b".
        found.sort(Comparator.comparing(ObjectInfo::key));
        return found;
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = resolve(key);
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            return; // a directory is no object; nothing to delete
        }
        try {
            if (Files.deleteIfExists(file)) {
                durability.syncDirectory(file.getParent());
            }
        } catch (FileSystemException e) {
            if (!isMissing(e)) {
                throw e;
            }
        }
    }

    private Path resolve(String key) {
        ObjectKeys.requireValid(key);
        for (String segment : key.split("/")) {
            if (segment.startsWith(TEMP_PREFIX)) {
                throw new IllegalArgumentException("invalid object key '" + key + "': segments starting with '"
                        + TEMP_PREFIX + "' are reserved for files being written to a local target");
            }
        }
        return root.resolve(key);
    }

    /**
     * Whether the error means no file exists at that path, including ENOTDIR: when a segment of
     * the key is a file, no object can exist under the key.
     */
    private static boolean isMissing(FileSystemException e) {
        return e instanceof NoSuchFileException || e instanceof NotDirectoryException
                || String.valueOf(e.getReason()).contains("Not a directory");
    }

    /** Deletes the hidden temporary files of writes that were never committed or aborted (a killed process). */
    @Override
    public int removeAbandonedWrites(java.time.Instant startedBefore) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        java.util.List<Path> stale = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (isHidden(file) && Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(file, java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(startedBefore)) {
                    stale.add(file);
                }
            }
        }
        int removed = 0;
        for (Path file : stale) {
            if (Files.deleteIfExists(file)) {
                removed++;
            }
        }
        return removed;
    }

    private static boolean isHidden(Path path) {
        return path.getFileName().toString().startsWith(TEMP_PREFIX);
    }

    /** The key of a file under the root, or {@code null} for a stray file whose name is no valid key. */
    private String keyOf(Path file) {
        String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        try {
            return ObjectKeys.requireValid(key);
        } catch (IllegalArgumentException strayFile) {
            return null;
        }
    }
}
