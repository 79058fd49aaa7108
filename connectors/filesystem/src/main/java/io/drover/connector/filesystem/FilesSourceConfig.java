package io.drover.connector.filesystem;

import io.drover.core.spi.Default;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Config of a {@code files} source.
 *
 * @param paths          absolute roots to back up
 * @param include        globs ({@code glob:} syntax, matched against the absolute path); if any are
 *                       given, only files matching one of them are backed up
 * @param exclude        globs of files to leave out and of directories to prune whole
 * @param oneFileSystem  stay on each root's file system (mount points are kept, their content not)
 */
public record FilesSourceConfig(List<Path> paths, @Default("[]") List<String> include,
                                @Default("[]") List<String> exclude, @Default("false") boolean oneFileSystem) {
    public FilesSourceConfig {
        paths = List.copyOf(Objects.requireNonNull(paths, "paths"));
        include = List.copyOf(Objects.requireNonNull(include, "include"));
        exclude = List.copyOf(Objects.requireNonNull(exclude, "exclude"));
    }
}
