package io.drover.connector.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.Secret;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.action.ActionFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The checks of an ssh step's {@code with:} that need no server, and how the action is found. */
class SshActionFactoryTest {
    private static final Secret KEY = Secret.of("-----BEGIN OPENSSH PRIVATE KEY-----\nsecret-key-text", "${file:/etc/drover/ssh_key}");
    private static final Secret PASSWORD = Secret.of("hunter2-secret", "${env:SSH_PASSWORD}");

    private final SshAction.Factory factory = new SshAction.Factory();

    private static SshAction.Config config(String host, int port, String user, Optional<List<String>> command,
                                           Optional<String> script) {
        return new SshAction.Config(host, port, user, Optional.of(KEY), Optional.empty(), Optional.empty(), false,
                Duration.ofSeconds(30), command, script, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static SshAction.Config valid() {
        return config("app1.example.net", 22, "deploy", Optional.of(List.of("systemctl", "stop", "orders-app")), Optional.empty());
    }

    @Test
    @SuppressWarnings("rawtypes") // the factories are generic in their config type
    void isFoundByServiceLoaderAsSsh() {
        assertThat(ServiceLoader.load(ActionFactory.class).stream().map(p -> p.get().type())).contains("ssh");
        assertThat(factory.configType()).isEqualTo(SshAction.Config.class);
    }

    @Test
    void aCompleteConfigHasNoProblemsAndKnownHostsDefaultsToTheUsersFile() {
        assertThat(factory.validate(valid())).isEmpty();
        assertThat(valid().knownHostsFile()).isEqualTo(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
    }

    @Test
    void neitherCommandNorScriptIsAProblem() {
        assertThat(factory.validate(config("h", 22, "u", Optional.empty(), Optional.empty())))
                .singleElement().extracting(ConfigProblem::message).asString()
                .contains("needs 'command' (an argv list) or 'script'");
    }

    @Test
    void bothCommandAndScriptIsAProblem() {
        assertThat(factory.validate(config("h", 22, "u", Optional.of(List.of("true")), Optional.of("true"))))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("script");
                    assertThat(p.message()).isEqualTo("give either 'command' or 'script', not both");
                });
    }

    @Test
    void anEmptyCommandOrBlankScriptIsAProblem() {
        assertThat(factory.validate(config("h", 22, "u", Optional.of(List.of()), Optional.empty())))
                .extracting(ConfigProblem::field).containsExactly("command");
        assertThat(factory.validate(config("h", 22, "u", Optional.empty(), Optional.of("  "))))
                .extracting(ConfigProblem::field).containsExactly("script");
    }

    @Test
    void blankHostAndUserAndABadPortAreReportedTogether() {
        assertThat(factory.validate(config(" ", 70000, "", Optional.of(List.of("true")), Optional.empty())))
                .extracting(ConfigProblem::field).containsExactlyInAnyOrder("host", "port", "user");
        assertThat(factory.validate(config("h", 0, "u", Optional.of(List.of("true")), Optional.empty())))
                .singleElement().extracting(ConfigProblem::message).asString().contains("0 is no TCP port");
    }

    @Test
    void checkAndUndoTakeArgvOrScriptButNotBoth() {
        SshAction.Config config = new SshAction.Config("h", 22, "u", Optional.of(KEY), Optional.empty(), Optional.empty(),
                false, Duration.ofSeconds(30), Optional.of(List.of("true")), Optional.empty(), Optional.of(List.of("true")),
                Optional.of("true"), Optional.of(List.of()), Optional.empty(), Optional.empty());

        assertThat(factory.validate(config)).extracting(ConfigProblem::field).containsExactlyInAnyOrder("check-script", "undo");
    }

    @Test
    void keyAndPasswordTogetherOrNeitherAndANonPositiveTimeoutAreProblems() {
        SshAction.Config both = new SshAction.Config("h", 22, "u", Optional.of(KEY), Optional.of(PASSWORD), Optional.empty(),
                false, Duration.ofSeconds(30), Optional.of(List.of("true")), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(Duration.ZERO));
        SshAction.Config neither = new SshAction.Config("h", 22, "u", Optional.empty(), Optional.empty(), Optional.empty(),
                false, Duration.ofSeconds(30), Optional.of(List.of("true")), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(factory.validate(both)).extracting(ConfigProblem::message)
                .containsExactlyInAnyOrder("set only one of private-key and password, not both", "must be positive, e.g. 2m");
        assertThat(factory.validate(neither)).singleElement().extracting(ConfigProblem::message).asString()
                .contains("set one of private-key");
    }

    @Test
    void secretsAreNeverPrinted() {
        SshAction.Config config = new SshAction.Config("h", 22, "u", Optional.of(KEY), Optional.of(PASSWORD), Optional.empty(),
                false, Duration.ofSeconds(30), Optional.of(List.of("true")), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(config.toString()).doesNotContain("secret-key-text").doesNotContain("hunter2");
        assertThat(factory.validate(config).toString()).doesNotContain("secret-key-text").doesNotContain("hunter2");
    }

    @Test
    void argvIsQuotedForThePosixShellAndPlainWordsStayReadable() {
        assertThat(PosixShellQuoting.commandLine(List.of("systemctl", "stop", "orders-app.service"))).isEqualTo(
                "systemctl stop orders-app.service");
        assertThat(PosixShellQuoting.commandLine(List.of("printf", "%s\\n", "a b", "it's", "$HOME", "")))
                .isEqualTo("printf '%s\\n' 'a b' 'it'\\''s' '$HOME' ''");
    }
}
