package io.drover.core.spi;

import java.io.IOException;

/** Receives a source's entries. Implemented by core; calls must come from one thread. */
public interface EntrySink {

    /** A directory (also an empty one). */
    void directory(EntryMeta meta) throws IOException;

    /** A symbolic link; never followed. */
    void symlink(EntryMeta meta) throws IOException;

    /**
     * A regular file. Core reads {@code content} at most once, before this method returns, or not
     * at all when the file is unchanged since the parent backup.
     */
    void file(EntryMeta meta, FileContent content) throws IOException;

    /** A problem with one entry that does not fail the backup; recorded in the manifest. */
    void warn(String path, String message);
}
