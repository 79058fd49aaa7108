package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config and catalog prepared while picocli builds the command line: used when the command
 * line names the same config file, closed (never used) when it names another, and a broken config
 * is reported as if the command had loaded it itself.
 */
class PrewarmCliTest {
    @TempDir
    Path dir;

    @BeforeEach
    void config() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/a.txt"), "hello");
        Files.writeString(dir.resolve("drover.yaml"), config("state"));
        Files.writeString(dir.resolve("other.yaml"), config("other-state"));
        assertThat(CliRun.of(dir.resolve("drover.yaml"), "init").exitCode()).isZero();
    }

    private String config(String stateDir) {
        return """
                state-dir: %1$s/%2$s
                encryption: { insecure-no-encryption: true }
                targets:
                  local: { type: local, path: %1$s/repo, fsync: false }
                sources:
                  data: { type: files, paths: [%1$s/data] }
                jobs:
                  data: { source: data, targets: [local] }
                """.formatted(dir, stateDir);
    }

    private static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DroverCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    @Test
    void theCommandUsesWhatWasPreparedForItsConfig() {
        Prewarm prewarm = Prewarm.start(List.of("backup", "run", "data"), dir.resolve("drover.yaml"), System::getenv).orElseThrow();
        Prewarm.Prepared prepared = prewarm.take(dir.resolve("drover.yaml")).orElseThrow();
        try {
            assertThat(prepared.config().jobs()).containsOnlyKeys("data");
            assertThat(prepared.runtime().catalog().latestRecoveryPoint("data", "local")).isEmpty();
        } finally {
            prepared.runtime().close();
        }
        assertThat(prewarm.take(dir.resolve("drover.yaml"))).as("taken once").isEmpty();
        assertThat(Prewarm.start(List.of("config", "check"), dir.resolve("drover.yaml"), System::getenv))
                .as("a command that needs no catalog").isEmpty();
    }

    @Test
    void theTargetsToPrepareAreGuessedFromTheArguments() {
        Prewarm prewarm = Prewarm.start(List.of("backup", "run", "data"), dir.resolve("drover.yaml"), System::getenv).orElseThrow();
        Prewarm.Prepared prepared = prewarm.take(dir.resolve("drover.yaml")).orElseThrow();
        var config = prepared.config();
        prepared.runtime().close();

        assertThat(Prewarm.targetsOf(List.of("backup", "run", "data", "--dry-run"), config)).containsExactly("local");
        assertThat(Prewarm.targetsOf(List.of("backup", "run", "--help"), config)).isEmpty();
        assertThat(Prewarm.targetsOf(List.of("backup", "run", "nosuchjob"), config)).isEmpty();
        assertThat(Prewarm.targetsOf(List.of("backup", "list"), config)).isEmpty();
        assertThat(Prewarm.targetsOf(List.of("restore", "latest", "--job", "data", "--to", "x"), config)).containsExactly("local");
        assertThat(Prewarm.targetsOf(List.of("restore", "latest", "--job=data", "--from", "local"), config)).containsExactly("local");
        assertThat(Prewarm.targetsOf(List.of("restore", "latest", "--target=nosuchtarget"), config)).isEmpty();
        assertThat(Prewarm.targetsOf(List.of("verify", "latest"), config)).isEmpty();
    }

    @Test
    void whatWasPreparedForAnotherConfigIsClosedAndNotUsed() throws Exception {
        Prewarm prewarm = Prewarm.start(List.of("backup", "run", "data"), dir.resolve("other.yaml"), System::getenv).orElseThrow();
        assertThat(prewarm.take(dir.resolve("drover.yaml"))).isEmpty();
        // -c after the command: the early parse saw no -c, so it prepared the default; the command uses drover.yaml
        CliRun backup = run("backup", "run", "data", "-c", dir.resolve("drover.yaml").toString());
        assertThat(backup.exitCode()).as(backup.all()).isZero();
        CliRun list = run("-c", dir.resolve("drover.yaml").toString(), "backup", "list", "--output", "json");
        assertThat(list.out()).contains("\"job\" : \"data\"");
    }

    @Test
    void aBrokenConfigIsReportedAsWithoutPreparing() throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), "state-dir: x\njobs:\n  data: { source: nowhere, targetz: [local] }\n");
        CliRun backup = run("-c", dir.resolve("broken.yaml").toString(), "backup", "run", "data");
        assertThat(backup.exitCode()).isEqualTo(3);
        assertThat(backup.err()).contains("broken.yaml:3").contains("targetz").doesNotContain("Exception");
        CliRun validate = run("-c", dir.resolve("broken.yaml").toString(), "config", "validate");
        assertThat(validate.exitCode()).isEqualTo(3);
        assertThat(validate.err().lines().filter(l -> l.contains("broken.yaml:"))).containsExactlyElementsOf(
                backup.err().lines().filter(l -> l.contains("broken.yaml:")).toList());
    }
}
