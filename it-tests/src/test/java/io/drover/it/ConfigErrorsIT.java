package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broken {@code drover.yaml} is reported completely and readably: every problem at once with
 * {@code file:line:column}, exit 3, no stack trace, and never a secret's value.
 */
class ConfigErrorsIT {
    @TempDir
    Path temp;

    @Test
    void everyMistakeIsReportedWithLineAndColumnAndNoSecretLeaks() throws IOException {
        Path config = temp.resolve("drover.yaml");
        Files.writeString(config, """
                state-dir: %1$s/state
                catalog:
                  url: jdbc:postgresql://db.internal/drover
                  password: hunter2
                encryption:
                  recipients: [age1thisisnotarealkey]
                targets:
                  local: { type: local, path: %1$s/repo, fsnyc: false }
                sources:
                  files: { type: files, paths: [%1$s/data] }
                  etc: { type: files }
                jobs:
                  nightly:
                    source: files
                    targets: [local, offsite]
                    full-every: often
                """.formatted(temp));

        CliResult result = DroverWorkspace.run("--config", config.toString(), "config", "validate");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        String err = result.err();
        assertThat(err).as(result.toString())
                .containsPattern("drover\\.yaml:4:\\d+: catalog\\.password: .*\\$\\{env:NAME}")
                .containsPattern("drover\\.yaml:6:\\d+: encryption\\.recipients\\[0]: .*not an age X25519 public key")
                .containsPattern("drover\\.yaml:8:\\d+: targets\\.local\\.fsnyc: unknown key 'fsnyc'.*did you mean 'fsync'")
                .containsPattern("drover\\.yaml:11:\\d+: sources\\.etc.*paths")
                .containsPattern("drover\\.yaml:15:\\d+: jobs\\.nightly\\.targets\\[1]: unknown target 'offsite'")
                .containsPattern("drover\\.yaml:16:\\d+: jobs\\.nightly\\.full-every: .*often");
        assertThat(err).contains("has 6 problems").contains("hint:");
        assertNoStackTraceNorSecret(result);
    }

    @Test
    void aMissingConfigFileExitsThreeWithAHint() {
        Path missing = temp.resolve("nowhere/drover.yaml");

        CliResult result = DroverWorkspace.run("--config", missing.toString(), "config", "validate");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).contains(missing.toString()).contains("not found").contains("hint:").contains("--config");
        assertNoStackTraceNorSecret(result);
    }

    @Test
    void aYamlSyntaxErrorIsReportedWithLineAndColumn() throws IOException {
        Path config = temp.resolve("drover.yaml");
        Files.writeString(config, """
                encryption:
                  insecure-no-encryption: true
                targets:
                  local: { type: local, path: /tmp/x
                jobs: {}
                """);

        CliResult result = DroverWorkspace.run("--config", config.toString(), "config", "validate");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).as(result.toString()).containsPattern("drover\\.yaml:[45]:\\d+: YAML syntax error");
        assertNoStackTraceNorSecret(result);
    }

    @Test
    void aValidConfigValidates() throws IOException {
        DroverWorkspace workspace = DroverWorkspace.in(temp.resolve("ws")).create();

        CliResult result = workspace.ok("config", "validate");

        assertThat(result.out()).contains("is valid: 1 targets, 1 sources, 1 jobs, 1 services");
    }

    private static void assertNoStackTraceNorSecret(CliResult result) {
        assertThat(result.all()).as(result.toString())
                .doesNotContain("\tat ")
                .doesNotContain("Exception")
                .doesNotContain("hunter2");
    }
}
