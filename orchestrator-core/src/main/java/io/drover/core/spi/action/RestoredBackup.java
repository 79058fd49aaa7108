package io.drover.core.spi.action;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link ActionServices#restoreBackup} wrote: every entry of the backup, checked against its hashes.
 *
 * @param directory the directory it was restored into
 */
public record RestoredBackup(RestorableBackup backup, Path directory, long files, long directories, long symlinks,
                             long bytes) {
    public RestoredBackup {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(directory, "directory");
    }
}
