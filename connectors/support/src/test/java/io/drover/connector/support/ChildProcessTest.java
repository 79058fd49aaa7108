package io.drover.connector.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path tmp;

    private static ChildProcess.Builder sh(String script, String... moreArguments) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        command.addAll(List.of(moreArguments));
        return ChildProcess.builder("test-tool", command).timeout(MINUTE);
    }

    private static String text(ChildProcess.Builder builder) throws IOException {
        return new String(builder.run(), StandardCharsets.UTF_8);
    }

    @Test
    void stdoutIsStreamedAndItsEndIsTheVerdict() throws IOException {
        try (ChildProcess child = sh("echo hello; echo world").start()) {
            try (InputStream in = child.stdout()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\nworld\n");
            }
            child.awaitSuccess();
        }
    }

    @Test
    void aFailureThrowsAtTheEndOfStdoutWithTheStderrTailButNotTheArguments() throws IOException {
        try (ChildProcess child = sh("echo partial; echo 'connection refused' >&2; exit 2", "--password=hunter2")
                .start()) {
            InputStream in = child.stdout();
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(IOException.class)
                    .hasMessage("test-tool failed with exit code 2: connection refused")
                    .hasMessageNotContaining("hunter2");
            // Idempotent: the first outcome again.
            assertThatThrownBy(child::awaitSuccess).hasMessage("test-tool failed with exit code 2: connection refused");
        }
    }

    @Test
    void aFailureWithoutStderrSaysSo() {
        assertThatThrownBy(() -> sh("exit 4").run()).hasMessage("test-tool failed with exit code 4 (no output on stderr)");
    }

    @Test
    void onlyTheLastEightKibOfStderrAreKept() {
        assertThatThrownBy(() -> sh("i=0; while [ $i -lt 3000 ]; do echo \"noise line $i\" >&2; i=$((i+1)); done; "
                + "echo 'the real reason' >&2; exit 1").run())
                .hasMessageEndingWith("the real reason")
                .hasMessageContaining(": ...")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(StderrTail.CAPACITY + 100));
    }

    @Test
    void theStderrOfASuccessfulRunIsKept() throws IOException {
        try (ChildProcess child = sh("echo 'warning: old client' >&2").discardStdout().start()) {
            child.awaitSuccess();
            assertThat(child.stderrTail()).isEqualTo("warning: old client");
        }
    }

    @Test
    void theTimeoutKillsTheProcessAndItsChildrenAndNamesTheConfiguredLimit() throws IOException {
        Path pidFile = tmp.resolve("child.pid");
        long started = System.nanoTime();

        try (ChildProcess child = sh("echo starting >&2; sleep 30 & echo $! > " + pidFile + "; wait")
                .timeout(Duration.ofMillis(500)).reportedTimeout(Duration.ofMinutes(10)).start()) {
            assertThatThrownBy(() -> child.stdout().readAllBytes())
                    .isInstanceOf(IOException.class)
                    .hasMessage("test-tool timed out after 10m and was killed with its child processes: starting");
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        long childPid = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(childPid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void awaitSuccessAlsoEnforcesTheTimeout() {
        assertThatThrownBy(() -> {
            try (ChildProcess child = sh("sleep 30").discardStdout().timeout(Duration.ofMillis(300)).start()) {
                child.awaitSuccess();
            }
        }).hasMessage("test-tool timed out after 300ms and was killed with its child processes (no output on stderr)");
    }

    @Test
    void aNonPositiveTimeoutStillStartsAndTimesOut() {
        assertThatThrownBy(() -> sh("sleep 30").timeout(Duration.ZERO).run()).hasMessageContaining("timed out after");
    }

    @Test
    void aMissingProgramIsNamedWithTheHintButNotTheArguments() {
        assertThatThrownBy(() -> ChildProcess.builder("command 'no-such-command-xyz'",
                        List.of("no-such-command-xyz", "--secret=1")).timeout(MINUTE)
                .startHint("check that it is installed and on drover's PATH").start())
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("command 'no-such-command-xyz' could not be started: ")
                .hasMessageEndingWith("; check that it is installed and on drover's PATH")
                .hasMessageNotContaining("--secret");
    }

    @Test
    void aTimeoutIsRequired() {
        assertThatThrownBy(() -> ChildProcess.builder("x", List.of("true")).start())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stdinIsEmptyUnlessAFileIsGiven() throws IOException {
        assertThat(text(sh("cat; echo end"))).isEqualTo("end\n");

        Path input = Files.writeString(tmp.resolve("dump.sql"), "select 1;\n");
        assertThat(text(sh("cat").stdin(input))).isEqualTo("select 1;\n");
    }

    @Test
    void discardedStdoutLeavesAnEmptyStream() throws IOException {
        try (ChildProcess child = sh("echo lots of output").discardStdout().start()) {
            assertThat(child.stdout().readAllBytes()).isEmpty();
            child.awaitSuccess();
        }
    }

    @Test
    void runsInTheWorkingDirectory() throws IOException {
        Path dir = tmp.toRealPath();
        assertThat(text(sh("pwd").workingDirectory(dir))).isEqualTo(dir + "\n");
        assertThat(text(sh("pwd").workingDirectory(Optional.of(dir)))).isEqualTo(dir + "\n");
    }

    @Test
    void theEnvironmentIsDroversWithAdditionsAndRemovals() throws IOException {
        Map<String, String> changes = new HashMap<>();
        changes.put("GREETING", "hi");
        changes.put("PASSWORD_COPY", "from-s3cret-env");
        changes.put("HOME", null);
        String script = "echo \"$GREETING|${HOME-unset}|${PASSWORD_COPY-unset}|${PATH:+inherited}\"";

        assertThat(text(sh(script).environment(changes))).isEqualTo("hi|unset|from-s3cret-env|inherited\n");
        assertThat(text(sh(script).environment(changes).removeEnvironment("HOME", "GREETING")))
                .isEqualTo("|unset|from-s3cret-env|inherited\n");
        // Every variable whose value holds the secret goes, whatever its name.
        assertThat(text(sh(script).environment(changes).removeEnvironmentContaining(Optional.of("s3cret"))))
                .isEqualTo("hi|unset|unset|inherited\n");
        // An empty secret removes nothing.
        assertThat(text(sh(script).environment(changes).removeEnvironmentContaining(Optional.of(""))))
                .isEqualTo("hi|unset|from-s3cret-env|inherited\n");
    }

    @Test
    void aReaderThatStopsEarlyEndsTheProcessWithoutWaitingForTheTimeout() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> {
            try (ChildProcess child = ChildProcess.builder("yes", List.of("yes")).timeout(MINUTE).start()) {
                assertThat(child.stdout().read()).isEqualTo('y');
                child.closeStdout();
                child.awaitSuccess();
            }
        }).hasMessageContaining("yes failed with exit code");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void closeKillsAProcessStillRunning() throws IOException {
        ChildProcess child = sh("sleep 30").start();
        long pid = child.pid();
        child.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void runRefusesToCollectUnboundedOutput() {
        assertThatThrownBy(() -> sh("head -c " + (ChildProcess.MAX_COLLECTED + 1) + " /dev/zero").run())
                .hasMessage("test-tool printed more than 64 MiB");
    }
}
