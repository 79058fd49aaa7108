package io.drover.connector.filesystem;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Creates {@code files} sources: file trees read from the local file system. */
public final class FilesSourceFactory implements SourceFactory<FilesSourceConfig> {

    @Override
    public String type() {
        return "files";
    }

    @Override
    public Class<FilesSourceConfig> configType() {
        return FilesSourceConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(FilesSourceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.paths().isEmpty()) {
            problems.add(new ConfigProblem("paths", "list at least one directory or file to back up, e.g. [/etc/app]"));
        }
        for (Path path : config.paths()) {
            if (!path.isAbsolute()) {
                problems.add(new ConfigProblem("paths", "'" + path + "' is not an absolute path; write the full path, e.g. /etc/app"));
            }
        }
        checkGlobs("include", config.include(), problems);
        checkGlobs("exclude", config.exclude(), problems);
        return problems;
    }

    private static void checkGlobs(String field, List<String> globs, List<ConfigProblem> problems) {
        for (String glob : globs) {
            try {
                PathFilter.compile(glob);
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(field, "'" + glob + "' is not a valid glob: " + e.getMessage()));
            }
        }
    }

    @Override
    public Source create(FilesSourceConfig config, ConnectorContext context) {
        return new FilesSource(config);
    }
}
