package io.drover.connector.ssh;

import static io.drover.core.spi.StorageTargets.put;
import static io.drover.core.spi.StorageTargets.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.core.model.Secret;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.TestBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Host keys, logins and dropped connections against an in-process SFTP server. */
class SftpConnectionTest {
    @TempDir
    Path dir;

    private TestingSftpServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = TestingSftpServer.start(dir.resolve("server"));
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    private String serverFingerprint() {
        return server.hostKeyFingerprint();
    }

    @Test
    void theServerOffersHardLinksSoCommitsNeverOverwrite() throws Exception {
        SshConnector connector = new SshConnector(server.keyConfig("/repo", server.knownHosts()), server.knownHosts());
        try (SftpConnection connection = connector.connectSftp()) {
            String hardlink = connection.call(sftp -> sftp.getExtension(SftpStorageTarget.HARDLINK));
            assertThat(hardlink).isNotNull();
        }
    }

    @Test
    void passwordLoginWorks() throws Exception {
        Path knownHosts = server.knownHosts();
        try (StorageTarget target = new SftpStorageTarget(server.passwordConfig("/repo", server.password(), knownHosts), knownHosts)) {
            put(target, "k", new byte[] {1});
            assertThat(read(target, "k")).containsExactly(1);
        }
    }

    @Test
    void wrongPasswordFailsWithAClearMessageWithoutTheSecret() throws Exception {
        Path knownHosts = server.knownHosts();
        Secret wrong = Secret.of("not-the-right-one", "${env:SFTP_PASSWORD}");
        try (StorageTarget target = new SftpStorageTarget(server.passwordConfig("/repo", wrong, knownHosts), knownHosts)) {
            assertThatThrownBy(() -> target.list(""))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot log in to sftp://drover@127.0.0.1:" + server.port())
                    .hasMessageContaining("${env:SFTP_PASSWORD}")
                    .hasMessageNotContaining("not-the-right-one")
                    .hasMessageNotContaining(TestingSftpServer.PASSWORD);
        }
    }

    @Test
    void unknownHostKeyIsRefusedNamingHostFingerprintAndHowToAddIt() throws Exception {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        try (StorageTarget target = new SftpStorageTarget(server.keyConfig("/repo", knownHosts), knownHosts)) {
            assertThatThrownBy(() -> target.stat("k"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("[127.0.0.1]:" + server.port())
                    .hasMessageContaining("unknown")
                    .hasMessageContaining(serverFingerprint())
                    .hasMessageContaining("ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + knownHosts)
                    .hasMessageNotContaining("PRIVATE KEY");
        }
        assertThat(Files.readString(knownHosts)).isEmpty();
        assertThat(server.root().resolve("repo")).doesNotExist();
    }

    @Test
    void connectionsPreparedAheadServeTheNextOperationsWithoutFurtherLogins() throws Exception {
        Path knownHosts = server.knownHosts();
        try (StorageTarget target = new SftpStorageTarget(server.keyConfig("/repo", knownHosts), knownHosts)) {
            target.prepareConcurrentUse(2);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (server.logins() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.logins()).as("logins started by the hint alone").isEqualTo(2);

            target.prepareConcurrentUse(2); // both are in the pool already: nothing more
            try (io.drover.core.spi.ObjectOutput part = target.create("part"); io.drover.core.spi.ObjectOutput index = target.create("index")) {
                part.write(new byte[] {1, 2});
                index.write(new byte[] {3});
                part.commit();
                index.commit();
            }
            assertThat(read(target, "part")).containsExactly(1, 2);
            assertThat(server.logins()).isEqualTo(2);
        }
    }

    @Test
    void aLoginAheadThatFailsLeavesTheErrorToTheOperation() throws Exception {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        try (StorageTarget target = new SftpStorageTarget(server.keyConfig("/repo", knownHosts), knownHosts)) {
            target.prepareConcurrentUse(2);
            assertThatThrownBy(() -> target.stat("k"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("unknown")
                    .hasMessageContaining(serverFingerprint());
            // The operation took the failure of the logins it waited for instead of a third try
            // (an unreachable server would otherwise cost its timeout twice).
            assertThat(server.logins()).isEqualTo(2);
        }
    }

    @Test
    void missingKnownHostsFileMeansEveryKeyIsUnknown() throws Exception {
        Path knownHosts = dir.resolve("absent/known_hosts");
        try (StorageTarget target = new SftpStorageTarget(server.keyConfig("/repo", knownHosts), knownHosts)) {
            assertThatThrownBy(() -> target.stat("k")).hasMessageContaining("unknown").hasMessageContaining(serverFingerprint());
        }
        assertThat(knownHosts).doesNotExist();
    }

    @Test
    void trustOnFirstUseRecordsTheKeyAndLaterConnectionsCheckIt() throws Exception {
        Path state = dir.resolve("state");
        SftpTargetConfig tofu = new SftpTargetConfig("127.0.0.1", server.port(), TestingSftpServer.USER, "/repo",
                Optional.of(server.privateKey()), Optional.empty(), Optional.empty(), true, Duration.ofSeconds(10));
        try (StorageTarget target = new SftpStorageTargetFactory().create(tofu, new ConnectorContext("vault", state, Clock.systemUTC()))) {
            put(target, "k", new byte[] {1});
        }
        Path recorded = state.resolve("connectors/sftp/vault/known_hosts");
        assertThat(Files.readString(recorded).strip()).isEqualTo(server.knownHostsLine());

        try (StorageTarget strict = new SftpStorageTarget(server.keyConfig("/repo", recorded), recorded)) {
            assertThat(strict.list("")).containsExactly(new ObjectInfo("k", 1));
        }
    }

    @Test
    void changedHostKeyIsRefusedEvenWithTrustOnFirstUse() throws Exception {
        KeyPair other = TestingSftpServer.ecKeyPair();
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine(other) + "\n");
        SftpTargetConfig tofu = new SftpTargetConfig("127.0.0.1", server.port(), TestingSftpServer.USER, "/repo",
                Optional.of(server.privateKey()), Optional.empty(), Optional.of(knownHosts), true, Duration.ofSeconds(10));
        try (StorageTarget target = new SftpStorageTarget(tofu, knownHosts)) {
            assertThatThrownBy(() -> target.stat("k"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("[127.0.0.1]:" + server.port())
                    .hasMessageContaining("CHANGED")
                    .hasMessageContaining(serverFingerprint())
                    .hasMessageContaining("ssh-keygen -R");
        }
        assertThat(Files.readString(knownHosts).strip()).isEqualTo(server.knownHostsLine(other));
    }

    @Test
    void connectionsDroppedBetweenOperationsAreReplacedOnTheNextOperation() throws Exception {
        Path knownHosts = server.knownHosts();
        try (StorageTarget target = new SftpStorageTarget(server.keyConfig("/repo", knownHosts), knownHosts)) {
            put(target, "a", new byte[] {1});
            assertThat(server.activeSessions()).isEqualTo(1);

            server.dropConnections();

            assertThat(target.stat("a")).contains(new ObjectInfo("a", 1));
            server.dropConnections();
            put(target, "b", new byte[] {2, 2});
            server.dropConnections();
            assertThat(target.list("")).extracting(ObjectInfo::key).containsExactly("a", "b");
            server.dropConnections();
            assertThat(read(target, "b")).containsExactly(2, 2);
            server.dropConnections();
            target.delete("a");
            assertThat(target.list("")).extracting(ObjectInfo::key).containsExactly("b");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeSessions() == 0);
    }

    @Test
    void aDroppedConnectionNoticedOnlyByTheOperationIsRetriedOnce() throws Exception {
        Path knownHosts = server.knownHosts();
        try (SftpStorageTarget target = new SftpStorageTarget(server.keyConfig("/repo", knownHosts), knownHosts)) {
            put(target, "a", new byte[] {1});
            // Drop and immediately use: the pooled connection may still look alive, so the operation
            // itself must notice the failure and retry on a new connection.
            for (int i = 0; i < 5; i++) {
                server.dropConnections();
                assertThat(target.stat("a")).contains(new ObjectInfo("a", 1));
            }
        }
    }

    @Test
    @Timeout(30)
    void aConnectionDroppedDuringAnUploadIsResumedOnANewConnection() throws Exception {
        Path knownHosts = server.knownHosts();
        byte[] first = TestBytes.of(64 * 1024, 1);
        byte[] second = TestBytes.of(1024 * 1024, 2);
        try (StorageTarget target = new SftpStorageTarget(server.keyConfig("/repo", knownHosts), knownHosts)) {
            ObjectInfo info;
            try (ObjectOutput out = target.create("part")) {
                out.write(first);

                server.dropConnections();

                out.write(second);
                info = out.commit();
            }
            byte[] content = new byte[first.length + second.length];
            System.arraycopy(first, 0, content, 0, first.length);
            System.arraycopy(second, 0, content, first.length, second.length);
            assertThat(info).isEqualTo(new ObjectInfo("part", content.length));
            assertThat(read(target, "part")).isEqualTo(content);
            try (Stream<Path> files = Files.list(server.root().resolve("repo"))) {
                assertThat(files.map(f -> f.getFileName().toString())).containsExactly("part"); // no temporary file left
            }
        }
    }

    @Test
    void aKeyAddedToKnownHostsAfterARefusalIsUsedByTheSameTarget() throws Exception {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        try (StorageTarget target = new SftpStorageTarget(server.keyConfig("/repo", knownHosts), knownHosts)) {
            assertThatThrownBy(() -> target.list("")).hasMessageContaining("unknown");

            Files.writeString(knownHosts, "# added by the operator\n" + server.knownHostsLine() + "\n");

            assertThat(target.list("")).isEmpty();
        }
    }
}
