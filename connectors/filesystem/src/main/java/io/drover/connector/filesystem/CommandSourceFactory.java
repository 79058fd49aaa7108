package io.drover.connector.filesystem;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Creates {@code command} sources: the stdout of a command, stored as one file. */
public final class CommandSourceFactory implements SourceFactory<CommandSourceConfig> {
    private static final Pattern OCTAL_MODE = Pattern.compile("0?[0-7]{3}|[0-7]{4}");

    @Override
    public String type() {
        return "command";
    }

    @Override
    public Class<CommandSourceConfig> configType() {
        return CommandSourceConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(CommandSourceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.command().isEmpty() || config.program().isBlank()) {
            problems.add(new ConfigProblem("command", "name the program to run, e.g. [pg_dumpall, --globals-only]"));
        }
        String filenameProblem = filenameProblem(config.filename());
        if (filenameProblem != null) {
            problems.add(new ConfigProblem("filename", filenameProblem));
        }
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            problems.add(new ConfigProblem("timeout", "must be positive, e.g. 10m"));
        }
        config.workingDirectory().filter(dir -> !dir.isAbsolute()).ifPresent(dir -> problems.add(new ConfigProblem(
                "working-directory", "'" + dir + "' is not an absolute path; write the full path, e.g. /srv/app")));
        if (!OCTAL_MODE.matcher(config.mode()).matches()) {
            problems.add(new ConfigProblem("mode", "'" + config.mode() + "' is not an octal file mode; write e.g. \"0640\""));
        }
        return problems;
    }

    /** Why {@code filename} cannot be an entry path, or {@code null} if it can. */
    static String filenameProblem(String filename) {
        if (filename.isEmpty()) {
            return "name the file that stores the output, e.g. globals.sql";
        }
        if (filename.startsWith("/") || filename.endsWith("/")) {
            return "'" + filename + "' must be a relative file path without leading or trailing '/', e.g. globals.sql";
        }
        for (String segment : filename.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "'" + filename + "' must not contain empty, '.' or '..' segments";
            }
        }
        return null;
    }

    @Override
    public Source create(CommandSourceConfig config, ConnectorContext context) {
        return new CommandSource(config);
    }
}
