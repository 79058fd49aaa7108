package io.drover.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem in a config file, located for the user.
 *
 * @param path dotted key path such as {@code jobs.nightly.part-size}; empty for the file as a whole
 */
public record ConfigProblemReport(Path file, int line, int column, String path, String message) {
    public ConfigProblemReport {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    static ConfigProblemReport at(Path file, ConfigLocation location, String path, String message) {
        return new ConfigProblemReport(file, location.line(), location.column(), path, message);
    }

    /** {@code drover.yaml:12:5: jobs.nightly.part-size: message}, the form compilers use. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
