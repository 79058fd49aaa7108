package io.drover.connector.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.core.model.Secret;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFailedException;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import io.drover.core.spi.action.CheckOutcome;
import io.drover.core.spi.action.Precondition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code action: ssh} against Debian's real OpenSSH server, logging in with a key as the user running the tests. */
class SshActionTest {
    @TempDir
    static Path serverDir;
    @TempDir
    Path dir;

    private static TestingOpenSshServer server;
    private static Secret key;
    /** The base64 body of the private key: must never show up anywhere. */
    private static String keyBody;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = TestingOpenSshServer.start(serverDir);
        String text = Files.readString(server.clientKey());
        key = Secret.of(text, "${file:" + server.clientKey() + "}");
        keyBody = text.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void noSecretWasLoggedOrReported() {
        assertThat(log).noneMatch(line -> line.contains(keyBody));
        assertThat(messages).noneMatch(message -> message.contains(keyBody));
    }

    /** A config builder: the OpenSSH fixture's login with the given commands. */
    private static final class With {
        Optional<List<String>> command = Optional.empty();
        Optional<String> script = Optional.empty();
        Optional<List<String>> check = Optional.empty();
        Optional<String> checkScript = Optional.empty();
        Optional<List<String>> undo = Optional.empty();
        Optional<Secret> privateKey = Optional.of(key);
        Optional<Path> knownHosts;
        boolean trustOnFirstUse;
        Optional<Duration> timeout = Optional.empty();

        With() throws Exception {
            knownHosts = Optional.of(server.knownHosts());
        }

        With command(String... argv) {
            command = Optional.of(List.of(argv));
            return this;
        }

        With script(String text) {
            script = Optional.of(text);
            return this;
        }

        SshAction.Config config() {
            return new SshAction.Config("127.0.0.1", server.port(), server.user(), privateKey, Optional.empty(), knownHosts,
                    trustOnFirstUse, Duration.ofSeconds(10), command, script, check, checkScript, undo, Optional.empty(),
                    timeout);
        }

        Action action() {
            SshAction.Factory factory = new SshAction.Factory();
            SshAction.Config config = config();
            assertThat(factory.validate(config)).isEmpty();
            return factory.create(config);
        }
    }

    private ActionContext context(Duration stepTimeout) {
        return new ActionContext(1, "remote", "test", Instant.now().plus(stepTimeout), Clock.systemUTC(), dir, log::add,
                new io.drover.core.testing.TestActionServices());
    }

    private ActionContext context() {
        return context(Duration.ofSeconds(30));
    }

    /** Runs and records the failure message, so that every test also checks it for secrets. */
    private ActionFailedException failure(ThrowingRun run) {
        try {
            run.run();
        } catch (ActionFailedException e) {
            messages.add(e.getMessage());
            messages.addAll(e.details());
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected ActionFailedException, got " + e, e);
        }
        throw new AssertionError("expected ActionFailedException, but it succeeded");
    }

    private interface ThrowingRun {
        void run() throws Exception;
    }

    @Test
    void runLogsEveryLineAndReturnsExitCodeStdoutAndOutputLines() throws Exception {
        Action action = new With().script("echo hello; echo '::output version=1.2.3'; echo careful >&2; echo world").action();

        ActionOutputs outputs = action.run(context());

        assertThat(outputs.values()).containsEntry("exit-code", "0").containsEntry("stdout", "hello\nworld")
                .containsEntry("version", "1.2.3");
        assertThat(log).contains("| hello", "| world", "! careful");
        assertThat(action.capabilities()).isEmpty();
    }

    @Test
    void argvArrivesExactlyAsWrittenWhateverItHoldsForTheShell() throws Exception {
        List<String> arguments = List.of("a b", "it's", "$HOME", "*", "`id`", "x\ny", "\"q\"", "a;b|c&d", "", "\\n", "end");
        List<String> argv = new java.util.ArrayList<>(List.of("printf", "<%s>\\n"));
        argv.addAll(arguments);
        Action action = new With().command(argv.toArray(String[]::new)).action();

        ActionOutputs outputs = action.run(context());

        StringBuilder expected = new StringBuilder();
        arguments.forEach(a -> expected.append('<').append(a).append(">\n"));
        assertThat(outputs.values().get("stdout")).isEqualTo(expected.toString().strip());
    }

    @Test
    void planShowsTheRemoteCommandLineAndThatTheHostAnswersWithAKnownKey() throws Exception {
        Path marker = dir.resolve("planned");
        Action action = new With().command("touch", marker + " it's").action();

        ActionPlan plan = action.plan(context());

        assertThat(plan.summary()).isEqualTo("run on ssh://" + server.user() + "@127.0.0.1:" + server.port() + ": touch '"
                + marker + " it'\\''s'");
        assertThat(plan.preconditions()).extracting(Precondition::name).containsExactly(
                "127.0.0.1:" + server.port() + " answers and its host key is known",
                "'" + server.user() + "' can log in to 127.0.0.1");
        assertThat(plan.failed()).isEmpty();
        assertThat(plan.preconditions().get(1).detail()).isEqualTo("with the private key from " + key.reference());
        assertThat(Files.exists(Path.of(marker + " it's"))).isFalse();
    }

    @Test
    void checkIsDoneOnlyWhenTheRemoteCheckExitsZero() throws Exception {
        Path marker = dir.resolve("marker");
        With with = new With().command("touch", marker.toString());
        with.check = Optional.of(List.of("test", "-e", marker.toString()));
        Action action = with.action();
        assertThat(action.capabilities()).containsExactly(ActionCapability.CHECK);

        CheckOutcome before = action.check(context());
        action.run(context());
        CheckOutcome after = action.check(context());

        assertThat(before.done()).isFalse();
        assertThat(before.detail()).isEqualTo("check exited 1 on 127.0.0.1");
        assertThat(after.done()).isTrue();
        assertThat(after.outputs().values()).containsEntry("exit-code", "0");
    }

    @Test
    void checkScriptRunsWithTheRemoteShell() throws Exception {
        With with = new With().command("true");
        with.checkScript = Optional.of("test \"$(echo done)\" = done && echo '::output state=stopped'");
        Action action = with.action();

        CheckOutcome outcome = action.check(context());

        assertThat(outcome.done()).isTrue();
        assertThat(outcome.outputs().values()).containsEntry("state", "stopped");
    }

    @Test
    void undoRevertsTheRemoteEffect() throws Exception {
        Path marker = dir.resolve("undone");
        With with = new With().command("touch", marker.toString());
        with.undo = Optional.of(List.of("rm", marker.toString()));
        Action action = with.action();
        assertThat(action.capabilities()).containsExactly(ActionCapability.UNDO);

        ActionOutputs outputs = action.run(context());
        assertThat(marker).exists();
        action.undo(context(), outputs);

        assertThat(marker).doesNotExist();
        ActionFailedException again = failure(() -> action.undo(context(), outputs));
        assertThat(again.getMessage()).startsWith("undo: rm exited with 1 on 127.0.0.1");
    }

    @Test
    void aNonZeroExitFailsWithTheExitCodeAndTheLastLinesOfStderr() throws Exception {
        Action action = new With().script("for i in $(seq 1 30); do echo line-$i >&2; done; exit 3").action();

        ActionFailedException failed = failure(() -> action.run(context()));

        assertThat(failed.getMessage()).isEqualTo("the script exited with 3 on 127.0.0.1; last lines of stderr below");
        assertThat(failed.details()).hasSize(20).startsWith("line-11").endsWith("line-30");
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprintAndWhatToDo() throws Exception {
        Path empty = Files.writeString(dir.resolve("known_hosts"), "");
        With with = new With().command("true");
        with.knownHosts = Optional.of(empty);
        Action action = with.action();

        ActionPlan plan = action.plan(context());
        ActionFailedException failed = failure(() -> action.run(context()));

        assertThat(plan.failed()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("127.0.0.1:" + server.port() + " answers and its host key is known");
            assertThat(p.detail()).contains("is unknown", "SHA256:", "ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + empty,
                    "trust-on-first-use");
        });
        assertThat(failed.getMessage()).startsWith("run: refusing to connect to ssh://").contains("is unknown", "ssh-keyscan");
        assertThat(empty).isEmptyFile();
    }

    @Test
    void trustOnFirstUseRecordsTheKeyOnTheFirstRunButNeverInAPlan() throws Exception {
        Path file = dir.resolve("tofu/known_hosts");
        With with = new With().command("true");
        with.knownHosts = Optional.of(file);
        with.trustOnFirstUse = true;
        Action action = with.action();

        ActionPlan plan = action.plan(context());
        assertThat(file).doesNotExist();
        action.run(context());

        assertThat(plan.failed()).isEmpty();
        assertThat(plan.preconditions().getFirst().detail()).contains("not in " + file, "records it on the first run");
        assertThat(Files.readString(file)).contains(Files.readString(server.hostPublicKey()).split(" ")[1]);
        assertThat(action.plan(context()).preconditions().getFirst().detail()).isEqualTo("host key found in " + file);
    }

    @Test
    void aKeyTheServerDoesNotAcceptFailsTheLoginNamingWhereTheKeyCameFromButNotTheKey() throws Exception {
        Path other = dir.resolve("other_key");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor()).isZero();
        String otherText = Files.readString(other);
        String otherBody = otherText.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        With with = new With().command("true");
        with.privateKey = Optional.of(Secret.of(otherText, "${file:" + other + "}"));
        Action action = with.action();

        ActionPlan plan = action.plan(context());
        ActionFailedException failed = failure(() -> action.run(context()));

        assertThat(failed.getMessage()).isEqualTo("run: cannot log in to ssh://" + server.user() + "@127.0.0.1:" + server.port()
                + " as '" + server.user() + "' with the private key from ${file:" + other + "}: the server refused it;"
                + " check the user name and that the credential is authorized on the server");
        assertThat(plan.preconditions()).extracting(Precondition::passed).containsExactly(true, false);
        assertThat(plan.failed().getFirst().detail()).contains("cannot log in", "${file:" + other + "}");
        assertThat(failed.getMessage()).doesNotContain(otherBody);
        assertThat(plan.toString()).doesNotContain(otherBody).doesNotContain(keyBody);
    }

    @Test
    void theTimeoutEndsTheStepPromptlyAndSaysTheRemoteCommandMayStillRun() throws Exception {
        With with = new With().script("sleep 10");
        with.timeout = Optional.of(Duration.ofSeconds(1));
        Action action = with.action();

        long start = System.nanoTime();
        ActionFailedException failed = failure(() -> action.run(context()));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(failed.getMessage()).isEqualTo("run: the script timed out after 1s on 127.0.0.1; sent it TERM and"
                + " disconnected, but the remote command may still be running on 127.0.0.1: check there");
        // Whether the TERM ended the command is up to sshd (OpenSSH refuses signals to root logins), so
        // the test can only hold the action to ending promptly and saying so.
        assertThat(took).as("ended long before the 10 s sleep").isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void theStepsDeadlineAppliesWithoutATimeoutOfItsOwn() throws Exception {
        Action action = new With().command("sleep", "5").action();

        ActionFailedException failed = failure(() -> action.run(context(Duration.ofSeconds(1))));

        assertThat(failed.getMessage()).startsWith("run: sleep timed out after");
    }

    @Test
    void anInterruptDisconnectsAndSaysTheCommandMayStillRun() throws Exception {
        Path started = dir.resolve("started");
        Action action = new With().script("touch '" + started + "'; sleep 5").action();
        Thread runner = Thread.ofVirtual().start(() -> {
            try {
                action.run(context());
            } catch (InterruptedException expected) {
                log.add("run threw InterruptedException");
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(started));

        runner.interrupt();
        runner.join(Duration.ofSeconds(3));

        assertThat(runner.isAlive()).isFalse();
        assertThat(log).contains("interrupted: sent the script TERM and disconnected; the remote command may still be running"
                + " on 127.0.0.1", "run threw InterruptedException");
    }

    @Test
    void anUnreachablePortFailsThePlanAndTheRunClearly() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        SshAction.Config base = new With().command("true").config();
        SshAction.Config config = new SshAction.Config(base.host(), closed, base.user(), base.privateKey(), base.password(),
                base.knownHosts(), false, Duration.ofSeconds(2), base.command(), base.script(), base.check(),
                base.checkScript(), base.undo(), base.undoScript(), base.timeout());
        Action action = new SshAction.Factory().create(config);

        ActionPlan plan = action.plan(context());
        ActionFailedException failed = failure(() -> action.run(context()));

        assertThat(plan.failed()).singleElement().extracting(Precondition::detail).asString()
                .contains("cannot connect to ssh://", "an SSH server listens on port " + closed);
        assertThat(failed.getMessage()).startsWith("run: cannot connect to ssh://");
    }
}
