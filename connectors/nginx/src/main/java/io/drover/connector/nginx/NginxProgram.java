package io.drover.connector.nginx;

import io.drover.connector.support.ChildProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nginx binary, run as a child process: {@code -t} (test the config), {@code -s reload},
 * and {@code -T}/{@code -V} to learn where the master writes its pid. Every run is given
 * {@code -c} when a config is set, so it looks at the same config as the running master.
 */
final class NginxProgram {
    private static final Pattern FILE_HEADER = Pattern.compile("^# configuration file (.+):$");
    private static final Pattern BUILD_OPTION = Pattern.compile("--(prefix|pid-path)=(\\S+)");

    private final Path binary;
    private final Optional<Path> config;
    private final Duration timeout;

    NginxProgram(Path binary, Optional<Path> config, Duration timeout) {
        this.binary = binary;
        this.config = config;
        this.timeout = timeout;
    }

    private ChildProcess.Builder command(String name, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(arguments));
        config.ifPresent(c -> {
            command.add("-c");
            command.add(c.toString());
        });
        return ChildProcess.builder(name, command).timeout(timeout)
                .startHint("install nginx or set nginx: to the path of the nginx binary");
    }

    /** {@code nginx -t}: throws with nginx's stderr tail (which names the file and line) when the config is refused. */
    void test() throws IOException {
        command("nginx -t", "-q", "-t").discardStdout().run();
    }

    /** {@code nginx -s reload}: signals the master to reload; it returns before the reload is done. */
    void reload() throws IOException {
        command("nginx -s reload", "-s", "reload").discardStdout().run();
    }

    /**
     * Where the master writes its pid: the {@code pid} directive of the config nginx reports with
     * {@code -T}, else the {@code --pid-path} it was built with; a relative path is resolved against
     * the {@code --prefix} it was built with, as nginx does.
     */
    Path pidFile() throws IOException {
        String dump = new String(command("nginx -T", "-q", "-T").run(), StandardCharsets.UTF_8);
        Optional<String> configured = pidDirective(dump);
        String version = null;
        String pid;
        if (configured.isPresent()) {
            pid = configured.get();
        } else {
            version = buildOptions();
            pid = buildOption(version, "pid-path").orElse("logs/nginx.pid");
        }
        Path path = Path.of(pid);
        if (path.isAbsolute()) {
            return path;
        }
        String prefix = buildOption(version == null ? buildOptions() : version, "prefix").orElse("/usr/local/nginx");
        return Path.of(prefix).resolve(path);
    }

    private String buildOptions() throws IOException {
        try (ChildProcess child = command("nginx -V", "-V").discardStdout().start()) {
            child.awaitSuccess();
            return child.stderrTail(); // nginx -V writes to stderr
        }
    }

    private static Optional<String> buildOption(String version, String name) {
        Matcher option = BUILD_OPTION.matcher(version);
        while (option.find()) {
            if (option.group(1).equals(name)) {
                return Optional.of(option.group(2));
            }
        }
        return Optional.empty();
    }

    /**
     * The argument of the {@code pid} directive in the output of {@code nginx -T}, which is every
     * config file, each after a {@code # configuration file PATH:} line. {@code pid} is only allowed
     * in the main context, so a {@code pid} statement outside every block of its file is it (a file
     * included inside a block holds no {@code pid} that nginx -T would have accepted).
     */
    static Optional<String> pidDirective(String dump) {
        Optional<String> pid = Optional.empty();
        StringBuilder file = new StringBuilder();
        for (String line : dump.split("\n", -1)) {
            if (FILE_HEADER.matcher(line).matches()) {
                Optional<String> inFile = pidInFile(file.toString());
                if (inFile.isPresent()) {
                    pid = inFile;
                }
                file.setLength(0);
            } else {
                file.append(line).append('\n');
            }
        }
        Optional<String> inLastFile = pidInFile(file.toString());
        return inLastFile.isPresent() ? inLastFile : pid;
    }

    /** The {@code pid} statement at the top level of one config file, tokenized as nginx does (quotes, comments, braces). */
    private static Optional<String> pidInFile(String text) {
        List<String> statement = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int depth = 0;
        Optional<String> pid = Optional.empty();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int end = text.indexOf(c, i + 1);
                end = end < 0 ? text.length() : end;
                word.append(text, i + 1, end);
                i = end;
            } else if (c == '#' && word.isEmpty()) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            } else if (Character.isWhitespace(c) || c == ';' || c == '{' || c == '}') {
                if (!word.isEmpty()) {
                    statement.add(word.toString());
                    word.setLength(0);
                }
                if (c == ';') {
                    if (depth == 0 && statement.size() == 2 && statement.getFirst().equals("pid")) {
                        pid = Optional.of(statement.get(1));
                    }
                    statement.clear();
                } else if (c == '{') {
                    depth++;
                    statement.clear();
                } else if (c == '}') {
                    depth = Math.max(0, depth - 1);
                    statement.clear();
                }
            } else {
                word.append(c);
            }
        }
        return pid;
    }
}
