package io.drover.connector.filesystem;

import io.drover.core.spi.Default;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Config of a {@code local} storage target.
 *
 * @param path  the directory that holds the objects; created on first write
 * @param fsync whether commits fsync the file and its directory; turn off only for tests or
 *              throw-away copies, since a power loss may then lose committed objects
 */
public record LocalTargetConfig(Path path, @Default("true") boolean fsync) {
    public LocalTargetConfig {
        Objects.requireNonNull(path, "path");
    }
}
