package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.connector.ConnectorRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's training run of the start-up cache ({@code quickstart --exercise-connectors --
 * ARGS}): it exercises the storage connectors of the config that the triggering command line
 * names, and only those (an AOT cache loads all it holds at every start).
 */
class QuickstartTrainingTest {
    @TempDir
    Path dir;

    @Test
    void theConnectorsOfTheNamedConfigAreExercised() throws Exception {
        Path config = Files.writeString(dir.resolve("drover.yaml"), """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  here: { type: local, path: %1$s/repo }
                  offsite: { type: s3, bucket: backups, endpoint: "http://127.0.0.1:9", path-style: true }
                sources:
                  data: { type: files, paths: [%1$s] }
                jobs:
                  data: { source: data, targets: [here, offsite] }
                """.formatted(dir));
        ConnectorRegistry registry = ConnectorRegistry.discover();

        assertThat(QuickstartCommand.targetTypesOf(registry, List.of("-c", config.toString(), "backup", "run", "data")))
                .containsExactly("local", "s3");
        assertThat(QuickstartCommand.targetTypesOf(registry, List.of("backup", "run", "data", "--config=" + config)))
                .containsExactly("local", "s3");
        assertThat(QuickstartCommand.targetTypesOf(registry, List.of("-c", dir.resolve("missing.yaml").toString(), "status")))
                .as("a config that does not load: nothing to exercise").isEmpty();
    }

    @Test
    void theTrainingRunCompletesTheTourAndReportsNothing() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path config = dir.resolve("absent.yaml");
        int code = DroverCli.run(new String[] {"quickstart", "--exercise-connectors", "--dir", dir.resolve("qs").toString(),
                "--", "-c", config.toString(), "--version"}, new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void argumentsWithoutTheTrainingFlagAreRefused() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DroverCli.run(new String[] {"quickstart", "--dir", dir.resolve("qs").toString(), "extra"},
                new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("quickstart takes no arguments");
    }
}
