package io.drover.connector.filesystem;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.spi.ConfigProblem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilesSourceFactoryTest {
    private final FilesSourceFactory factory = new FilesSourceFactory();

    @Test
    void servesTypeFiles() {
        assertThat(factory.type()).isEqualTo("files");
        assertThat(factory.configType()).isEqualTo(FilesSourceConfig.class);
    }

    @Test
    void validConfigHasNoProblems() {
        assertThat(factory.validate(new FilesSourceConfig(List.of(Path.of("/etc/app")), List.of("**/*.conf"),
                List.of("**/*.tmp"), false))).isEmpty();
    }

    @Test
    void reportsEveryProblemAtOnce() {
        List<ConfigProblem> problems = factory.validate(new FilesSourceConfig(
                List.of(Path.of("relative/dir"), Path.of("/ok")), List.of("{unclosed"), List.of("[bad"), false));

        assertThat(problems).extracting(ConfigProblem::field).containsExactly("paths", "include", "exclude");
        assertThat(problems.get(0).message()).contains("relative/dir").contains("absolute");
    }

    @Test
    void noPathsIsAProblem() {
        assertThat(factory.validate(new FilesSourceConfig(List.of(), List.of(), List.of(), false)))
                .extracting(ConfigProblem::field).containsExactly("paths");
    }
}
