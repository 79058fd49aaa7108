package io.drover.connector.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.Secret;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.StorageTarget;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftpStorageTargetFactoryTest {
    private static final Secret KEY = Secret.of("-----BEGIN OPENSSH PRIVATE KEY-----\nsecret-key-text", "${file:/etc/drover/ssh_key}");
    private static final Secret PASSWORD = Secret.of("hunter2-secret", "${env:SFTP_PASSWORD}");

    private final SftpStorageTargetFactory factory = new SftpStorageTargetFactory();

    private static SftpTargetConfig config(String host, int port, String path, Optional<Secret> key, Optional<Secret> password,
                                           Optional<Path> knownHosts, boolean trustOnFirstUse) {
        return new SftpTargetConfig(host, port, "drover", path, key, password, knownHosts, trustOnFirstUse, Duration.ofSeconds(30));
    }

    @Test
    void servesTypeSftp() {
        assertThat(factory.type()).isEqualTo("sftp");
        assertThat(factory.configType()).isEqualTo(SftpTargetConfig.class);
    }

    @Test
    void aCompleteConfigHasNoProblems() {
        assertThat(factory.validate(config("vault.example.net", 22, "/srv/drover", Optional.of(KEY), Optional.empty(),
                Optional.of(Path.of("/etc/drover/known_hosts")), false))).isEmpty();
        assertThat(factory.validate(config("vault.example.net", 2222, "/srv/drover", Optional.empty(), Optional.of(PASSWORD),
                Optional.empty(), true))).isEmpty();
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(factory.validate(config(" ", 70000, "srv/drover", Optional.empty(), Optional.empty(), Optional.empty(), false)))
                .extracting(ConfigProblem::field)
                .containsExactlyInAnyOrder("host", "port", "path", "", "known-hosts");
    }

    @Test
    void keyAndPasswordTogetherIsAProblem() {
        assertThat(factory.validate(config("h", 22, "/p", Optional.of(KEY), Optional.of(PASSWORD),
                Optional.of(Path.of("/k")), false)))
                .singleElement()
                .extracting(ConfigProblem::message).asString()
                .contains("only one of private-key and password");
    }

    @Test
    void missingKnownHostsSaysWhyItMattersAndHowToFixIt() {
        assertThat(factory.validate(config("vault.example.net", 2222, "/p", Optional.of(KEY), Optional.empty(),
                Optional.empty(), false)))
                .singleElement()
                .extracting(ConfigProblem::message).asString()
                .contains("impostor", "ssh-keyscan -p 2222 vault.example.net", "trust-on-first-use");
    }

    @Test
    void portZeroAndNegativeTimeoutAreProblems() {
        SftpTargetConfig config = new SftpTargetConfig("h", 0, "drover", "/p", Optional.of(KEY), Optional.empty(),
                Optional.of(Path.of("/k")), false, Duration.ofSeconds(-1));

        assertThat(factory.validate(config)).extracting(ConfigProblem::field).containsExactlyInAnyOrder("port", "connect-timeout");
    }

    @Test
    void secretsAreNeverPrinted(@TempDir Path state) throws Exception {
        SftpTargetConfig config = config("vault.example.net", 22, "/srv/drover", Optional.empty(), Optional.of(PASSWORD),
                Optional.empty(), true);

        assertThat(config.toString()).doesNotContain("hunter2");
        SftpTargetConfig withKey = config("vault.example.net", 22, "/srv/drover", Optional.of(KEY), Optional.empty(),
                Optional.empty(), true);
        assertThat(withKey.toString()).doesNotContain("secret-key-text");
        try (StorageTarget target = factory.create(config, new ConnectorContext("vault", state, Clock.systemUTC()))) {
            assertThat(target.describe()).isEqualTo("sftp://drover@vault.example.net:22/srv/drover");
            assertThat(target.toString()).doesNotContain("hunter2");
        }
    }
}
