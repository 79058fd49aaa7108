package io.drover.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Lazily opened content of a file entry. */
public interface FileContent {

    /**
     * Opens the content; core closes the stream. If this throws (the file vanished or became
     * unreadable since it was listed), core records a warning and leaves the file out.
     */
    InputStream open() throws IOException;

    /**
     * Called after the content was read to the end: describes how the file changed while it was
     * read (e.g. "size changed from 10 to 12 bytes"), or empty when it did not. The default
     * reports no change, for content that cannot change (a command's output).
     */
    default Optional<String> changedWhileReading() throws IOException {
        return Optional.empty();
    }
}
