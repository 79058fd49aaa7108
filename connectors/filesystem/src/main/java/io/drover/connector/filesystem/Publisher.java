package io.drover.connector.filesystem;

import io.drover.core.spi.ObjectAlreadyExistsException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves a finished temporary file to its final name without ever replacing an existing file.
 *
 * <p>{@code rename(2)} silently replaces its target, so it cannot give write-once semantics.
 * {@code link(2)} fails if the target exists, atomically, which is what we need; the temporary
 * name is removed afterwards. Only on file systems without hard links do we fall back to an atomic
 * rename after an existence check, which leaves a small race between concurrent writers.
 */
final class Publisher {
    private final Durability durability;
    private final AtomicBoolean hardLinksUnsupported = new AtomicBoolean();

    Publisher(Durability durability) {
        this.durability = durability;
    }

    /** A publisher that behaves as on a file system without hard links, for tests of the fallback. */
    static Publisher withoutHardLinks(Durability durability) {
        Publisher publisher = new Publisher(durability);
        publisher.hardLinksUnsupported.set(true);
        return publisher;
    }

    void publish(String key, Path temp, Path target) throws IOException {
        if (!hardLinksUnsupported.get() && link(key, temp, target)) {
            try {
                Files.delete(temp);
                durability.syncDirectory(target.getParent());
            } catch (IOException | RuntimeException e) {
                // The object is visible but maybe not durable, and commit is about to fail: take
                // it back, since we created that name, so a retry can write it again.
                unpublish(target, e);
                throw e;
            }
            return;
        }
        renameIfAbsent(key, temp, target);
    }

    /** Links {@code target} to {@code temp}; {@code false} if this file system has no hard links. */
    private boolean link(String key, Path temp, Path target) throws IOException {
        try {
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException taken) {
            throw alreadyExists(key, target);
        } catch (UnsupportedOperationException unsupported) {
            hardLinksUnsupported.set(true);
            return false;
        } catch (FileSystemException e) {
            if (!isNoHardLinkSupport(e)) {
                throw e;
            }
            hardLinksUnsupported.set(true);
            return false;
        }
    }

    private static void unpublish(Path target, Exception cause) {
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private void renameIfAbsent(String key, Path temp, Path target) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw alreadyExists(key, target);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        try {
            durability.syncDirectory(target.getParent());
        } catch (IOException | RuntimeException e) {
            unpublish(target, e);
            throw e;
        }
    }

    /** The error for a key whose final path is taken, by an object or by a directory of other objects. */
    static IOException alreadyExists(String key, Path target) {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            // On a file system a key cannot be both an object and a prefix of other objects.
            return new FileSystemException(target.toString(), null,
                    "cannot store object '" + key + "': a directory of that name holds other objects");
        }
        return new ObjectAlreadyExistsException(key);
    }

    /** EPERM (e.g. vfat, some FUSE file systems) or EOPNOTSUPP from link(2); the JDK reports them by text only. */
    private static boolean isNoHardLinkSupport(FileSystemException e) {
        String reason = String.valueOf(e.getReason());
        return reason.contains("Operation not permitted") || reason.contains("not supported");
    }
}
