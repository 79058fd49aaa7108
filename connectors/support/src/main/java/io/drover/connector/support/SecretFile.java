package io.drover.connector.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file that only drover's user can read ({@code 0600}), in a temporary directory of its own
 * that only drover's user can enter ({@code 0700}), for a secret a child process reads from a file
 * (a {@code .pgpass} file, a MariaDB option file) rather than from its command line or
 * environment. {@link #close()} deletes the file and its directory.
 *
 * <p>The file is created with its permissions, never widened and then narrowed, and it is written
 * only after that; a failed write deletes what was created. File formats belong to the callers.
 */
public final class SecretFile implements AutoCloseable {
    private final Path directory;
    private final Path file;

    private SecretFile(Path directory, Path file) {
        this.directory = directory;
        this.file = file;
    }

    /**
     * Writes {@code content} (UTF-8) to a new secret file.
     *
     * @param directoryPrefix the prefix of the temporary directory's name, e.g. {@code drover-pgpass-}
     * @param fileName        the file's name in it, e.g. {@code pgpass}
     */
    public static SecretFile write(String directoryPrefix, String fileName, CharSequence content) throws IOException {
        Path directory = Files.createTempDirectory(directoryPrefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = directory.resolve(fileName);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                delete(directory, file);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return new SecretFile(directory, file);
    }

    /** The file, for the child process's argument or environment variable. */
    public Path path() {
        return file;
    }

    /** Deletes the file and its directory; idempotent. */
    @Override
    public void close() throws IOException {
        delete(directory, file);
    }

    private static void delete(Path directory, Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(directory);
    }
}
