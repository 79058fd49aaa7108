package io.drover.connector.ssh;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Connection faults under the {@code sftp-files} source, against Debian's real OpenSSH server. */
class OpenSshFilesSourceFaultTest extends SftpFilesSourceFaults {
    @TempDir
    static Path serverDir;

    private static TestingOpenSshServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestingOpenSshServer.start(serverDir);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    int serverPort() {
        return server.port();
    }

    @Override
    String serverPath(String name) {
        return server.path(name);
    }

    @Override
    Path localPath(String serverPath) {
        return Path.of(serverPath); // sshd runs on this machine as the test's user
    }

    @Override
    SftpTargetConfig login(int port) throws IOException {
        return server.config("/", server.knownHosts(port), port);
    }
}
