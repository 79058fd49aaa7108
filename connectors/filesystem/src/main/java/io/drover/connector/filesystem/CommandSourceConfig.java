package io.drover.connector.filesystem;

import io.drover.core.spi.Default;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Config of a {@code command} source.
 *
 * @param command          the program and its arguments, run directly without a shell (write
 *                         {@code [sh, -c, "..."]} to get one)
 * @param filename         the relative path under which the command's stdout is stored
 * @param timeout          how long the command may run before it and its children are killed
 * @param workingDirectory where the command runs; drover's own working directory if absent
 * @param environment      variables added to drover's environment for the command
 * @param mode             permission bits recorded for the file, in octal
 */
public record CommandSourceConfig(List<String> command, String filename, @Default("10m") Duration timeout,
                                  Optional<Path> workingDirectory, @Default("{}") Map<String, String> environment,
                                  @Default("0640") String mode) {
    public CommandSourceConfig {
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        Objects.requireNonNull(mode, "mode");
    }

    /** The program's name, the only part of the command line safe to show: arguments may hold secrets. */
    String program() {
        return command.isEmpty() ? "" : command.getFirst();
    }
}
