package io.drover.core.repository;

/** Callbacks for progress display; called from the backup thread, must be cheap. */
public interface BackupProgress {
    BackupProgress NONE = new BackupProgress() {
    };

    /** {@code bytes} more were read from the source. */
    default void bytesRead(long bytes) {
    }

    /** One more entry was handled ({@code path}); {@code skipped} when taken unchanged from the parent. */
    default void entryDone(String path, boolean skipped) {
    }
}
