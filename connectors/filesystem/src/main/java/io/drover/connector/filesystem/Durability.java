package io.drover.connector.filesystem;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directory operations that survive a power loss when {@code fsync} is on: a new directory entry
 * is only durable once the directory containing it has been fsync'd.
 */
final class Durability {
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---"));

    private final boolean fsync;

    Durability(boolean fsync) {
        this.fsync = fsync;
    }

    boolean enabled() {
        return fsync;
    }

    /** Forces a directory's entries to disk (no-op when fsync is off). */
    void syncDirectory(Path directory) throws IOException {
        if (!fsync) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Creates {@code directory} and its missing ancestors (mode 0750), syncing each parent that
     * gained an entry. Safe against concurrent creators of the same directories.
     */
    void createDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(directory, DIRECTORY_MODE);
        } catch (FileAlreadyExistsException concurrentOrNotADirectory) {
            if (!Files.isDirectory(directory)) {
                throw concurrentOrNotADirectory;
            }
            return;
        }
        if (parent != null) {
            syncDirectory(parent);
        }
    }
}
