package io.drover.connector.ssh;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Connection faults under the {@code sftp-files} source, against the in-process Apache MINA SSHD server. */
class MinaSftpFilesSourceFaultTest extends SftpFilesSourceFaults {
    @TempDir
    static Path serverDir;

    private static TestingSftpServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestingSftpServer.start(serverDir);
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    @Override
    int serverPort() {
        return server.port();
    }

    @Override
    String serverPath(String name) {
        return "/srv/" + name;
    }

    @Override
    Path localPath(String serverPath) {
        return server.root().resolve(serverPath.substring(1));
    }

    @Override
    SftpTargetConfig login(int port) throws IOException {
        return server.keyConfig("/", server.knownHosts(port), port);
    }
}
