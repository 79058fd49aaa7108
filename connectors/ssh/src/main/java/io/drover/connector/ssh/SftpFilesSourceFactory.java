package io.drover.connector.ssh;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceFactory;
import java.util.ArrayList;
import java.util.List;

/** Creates {@code sftp-files} sources: file trees read from a remote host over SFTP. */
public final class SftpFilesSourceFactory implements SourceFactory<SftpFilesSourceConfig> {

    @Override
    public String type() {
        return "sftp-files";
    }

    @Override
    public Class<SftpFilesSourceConfig> configType() {
        return SftpFilesSourceConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(SftpFilesSourceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        config.login().validate(problems);
        if (config.paths().isEmpty()) {
            problems.add(new ConfigProblem("paths", "list at least one remote directory or file to back up, e.g. [/etc]"));
        }
        for (String path : config.paths()) {
            if (!path.startsWith("/")) {
                problems.add(new ConfigProblem("paths", "'" + path
                        + "' is not an absolute path on the server; write the full path, e.g. /etc/app"));
            }
        }
        checkGlobs("include", config.include(), problems);
        checkGlobs("exclude", config.exclude(), problems);
        return problems;
    }

    private static void checkGlobs(String field, List<String> globs, List<ConfigProblem> problems) {
        for (String glob : globs) {
            try {
                RemotePathFilter.compile(glob);
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(field, "'" + glob + "' is not a valid glob: " + e.getMessage()));
            }
        }
    }

    @Override
    public Source create(SftpFilesSourceConfig config, ConnectorContext context) {
        return new SftpFilesSource(config, config.login().knownHostsFile(context, type()));
    }
}
