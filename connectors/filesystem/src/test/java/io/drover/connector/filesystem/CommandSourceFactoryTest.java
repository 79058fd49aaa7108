package io.drover.connector.filesystem;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.spi.ConfigProblem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandSourceFactoryTest {
    private final CommandSourceFactory factory = new CommandSourceFactory();

    private static CommandSourceConfig config(List<String> command, String filename, Duration timeout,
                                              Optional<Path> dir, String mode) {
        return new CommandSourceConfig(command, filename, timeout, dir, Map.of(), mode);
    }

    @Test
    void servesTypeCommand() {
        assertThat(factory.type()).isEqualTo("command");
        assertThat(factory.configType()).isEqualTo(CommandSourceConfig.class);
    }

    @Test
    void validConfigHasNoProblems() {
        assertThat(factory.validate(config(List.of("pg_dumpall", "--globals-only"), "db/globals.sql",
                Duration.ofMinutes(10), Optional.of(Path.of("/srv")), "0640"))).isEmpty();
    }

    @Test
    void reportsEveryProblemAtOnce() {
        List<ConfigProblem> problems = factory.validate(config(List.of(), "../escape", Duration.ZERO,
                Optional.of(Path.of("relative")), "rw-r-----"));

        assertThat(problems).extracting(ConfigProblem::field)
                .containsExactly("command", "filename", "timeout", "working-directory", "mode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "../x", "a/../b", "a//b", "./a", "dir/"})
    void badFilenamesAreRefused(String filename) {
        assertThat(CommandSourceFactory.filenameProblem(filename)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"globals.sql", "exports/app/config.json", "..hidden"})
    void relativeFilenamesAreFine(String filename) {
        assertThat(CommandSourceFactory.filenameProblem(filename)).isNull();
    }
}
