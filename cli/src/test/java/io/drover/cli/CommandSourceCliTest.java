package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command source through the whole CLI: output stored and restored; failures fail the job with stderr's tail. */
class CommandSourceCliTest {
    @TempDir
    Path dir;

    private CliRun drover(String... args) {
        return CliRun.of(dir.resolve("drover.yaml"), args);
    }

    @BeforeEach
    void config() throws Exception {
        Files.writeString(dir.resolve("drover.yaml"), """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  local: { type: local, path: %1$s/repo }
                sources:
                  export: { type: command, command: [sh, -c, "printf 'hostname sw1\\ninterface eth0\\n'"], filename: sw1/running-config.txt }
                  broken: { type: command, command: [sh, -c, "echo partial; echo 'permission denied for switch' >&2; exit 3"], filename: x.txt }
                  slow: { type: command, command: [sleep, "30"], filename: y.txt, timeout: 1s }
                jobs:
                  export: { source: export, targets: [local] }
                  broken: { source: broken, targets: [local] }
                  slow: { source: slow, targets: [local] }
                """.formatted(dir));
        assertThat(drover("init").exitCode()).isZero();
    }

    @Test
    void commandOutputIsBackedUpAndRestored() throws Exception {
        CliRun backup = drover("backup", "run", "export");
        assertThat(backup.exitCode()).as(backup.err()).isZero();
        CliRun restore = drover("restore", "latest", "--to", dir.resolve("out").toString());
        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(Files.readString(dir.resolve("out/sw1/running-config.txt"))).isEqualTo("hostname sw1\ninterface eth0\n");
    }

    @Test
    void aFailingCommandFailsTheJobWithItsStderr() {
        CliRun backup = drover("backup", "run", "broken");
        assertThat(backup.exitCode()).isEqualTo(6);
        assertThat(backup.err()).contains("failed with exit code 3").contains("permission denied for switch").doesNotContain("\tat ");
        assertThat(drover("backup", "list", "--output", "json").out().strip()).isEqualTo("[ ]");
    }

    @Test
    void aHangingCommandIsKilledAtItsTimeout() {
        long start = System.nanoTime();
        CliRun backup = drover("backup", "run", "slow");
        assertThat(backup.exitCode()).isEqualTo(6);
        assertThat(backup.err()).contains("timed out");
        assertThat((System.nanoTime() - start) / 1_000_000_000).isLessThan(20);
    }
}
