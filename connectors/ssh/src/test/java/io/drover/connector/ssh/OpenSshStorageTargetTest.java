package io.drover.connector.ssh;

import static io.drover.core.spi.StorageTargets.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage-target contract against Debian's real OpenSSH server, whose rename and hard-link
 * semantics are what production sees. Skipped without {@code /usr/sbin/sshd}, unless
 * {@code -Ddrover.test.disallowSkip=true}.
 */
class OpenSshStorageTargetTest extends StorageTargetContract {
    private static final AtomicInteger REPOS = new AtomicInteger();

    @TempDir
    static Path serverDir;

    private static TestingOpenSshServer server;
    private static Path knownHosts;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestingOpenSshServer.start(serverDir);
        knownHosts = server.knownHosts();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected StorageTarget newTarget() throws IOException {
        return new SftpStorageTarget(server.config(server.path("repo-" + REPOS.incrementAndGet()), knownHosts), knownHosts);
    }

    @Test
    void theKeyscanCommandInTheRefusalMakesTheNextConnectionWork() throws Exception {
        Path empty = Files.writeString(serverDir.resolve("empty_known_hosts"), "");
        try (StorageTarget strict = new SftpStorageTarget(server.config(server.path("scan"), empty), empty)) {
            assertThatThrownBy(() -> strict.list("")).hasMessageContaining("ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + empty);

            Process keyscan = new ProcessBuilder("sh", "-c", "ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + empty)
                    .redirectErrorStream(true).start();
            keyscan.getInputStream().readAllBytes();
            assertThat(keyscan.waitFor()).isZero();

            put(strict, "k", new byte[] {1, 2});
            assertThat(strict.list("")).containsExactly(new ObjectInfo("k", 2));
        }
    }
}
