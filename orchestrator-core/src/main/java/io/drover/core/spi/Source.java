package io.drover.core.spi;

import java.io.IOException;
import java.util.Set;

/**
 * Something drover backs up: a file tree, a command's output, a database. A source walks its
 * content once per backup and hands every entry to an {@link EntrySink}; core decides what to
 * read (file-level incrementals), packs, compresses, encrypts, hashes and stores it.
 */
public interface Source extends AutoCloseable {

    Set<SourceCapability> capabilities();

    /** What is read, for messages; never contains credentials. */
    String describe();

    /**
     * Produces one consistent snapshot of the source. Entries come in a stable order, parents
     * before children. Problems with single entries that do not spoil the backup (a file vanished,
     * a file changed while read) are reported with {@link EntrySink#warn}; failures that do
     * (command exit code, unreadable root) are thrown.
     *
     * @return where the source stood: consistent time and source-specific position
     */
    SourceSnapshot read(SourceReadContext context, EntrySink sink) throws IOException;

    /**
     * Called once the backup that {@link #read} produced {@code snapshot} for is committed on every
     * target of the job; never after a failed backup. Lets a source release what it kept for that
     * backup, e.g. the spooled WAL segments it handed over, which are now safe in the repositories.
     * A failure here does not undo the backup: core reports it as a warning of the run, and the
     * source must cope with finding the same things again in its next {@link #read} (handing them
     * over twice is harmless; losing them is not). The default does nothing.
     */
    default void committed(SourceSnapshot snapshot) throws IOException {
    }

    @Override
    default void close() throws IOException {
    }
}
