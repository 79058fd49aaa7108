package io.drover.connector.ssh;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Connection faults between JSch and Debian's real OpenSSH server, which production sees. */
class OpenSshConnectionFaultTest extends SftpConnectionFaults {
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
    SftpTargetConfig config(String path, int port) throws IOException {
        return server.config(path, server.knownHosts(port), port);
    }
}
