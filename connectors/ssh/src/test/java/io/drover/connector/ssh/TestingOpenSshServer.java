package io.drover.connector.ssh;

import static org.awaitility.Awaitility.await;

import io.drover.core.model.Secret;
import io.drover.core.testing.TestServices;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's real OpenSSH server ({@code /usr/sbin/sshd}) started on a free loopback port with its
 * own config, host key and authorized key, logging in as the user running the tests. Skips the
 * test when sshd is not installed, or fails it when skipping is disallowed.
 */
public final class TestingOpenSshServer implements AutoCloseable {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path dir;
    private final int port;
    private final Process process;

    private TestingOpenSshServer(Path dir) throws Exception {
        this.dir = dir;
        keygen(dir.resolve("host_key"));
        keygen(dir.resolve("client_key"));
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        this.port = freePort();
        Path config = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "PidFile none",
                "Subsystem sftp internal-sftp",
                "LogLevel ERROR",
                ""));
        if (isRoot()) {
            Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        }
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    public static TestingOpenSshServer start(Path dir) throws Exception {
        TestServices.requireService("OpenSSH server " + SSHD, Files.isExecutable(SSHD), "apt-get install openssh-server");
        return new TestingOpenSshServer(dir);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void keygen(Path file) throws Exception {
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "drover-test", "-f", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(keygen.getInputStream().readAllBytes());
        if (keygen.waitFor() != 0) {
            throw new IOException("ssh-keygen failed: " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** A fresh directory for objects, as an absolute path on the server. */
    public String path(String name) {
        return dir.resolve(name).toString();
    }

    public Path hostPublicKey() {
        return dir.resolve("host_key.pub");
    }

    /** A known_hosts file that lists the server's host key. */
    public Path knownHosts() throws IOException {
        return knownHosts(port);
    }

    /** A known_hosts file that lists the server's host key for {@code port}, e.g. a proxy's in front of it. */
    public Path knownHosts(int port) throws IOException {
        String[] key = Files.readString(hostPublicKey()).strip().split(" ");
        String name = port == this.port ? "known_hosts" : "known_hosts-" + port;
        return Files.writeString(dir.resolve(name), "[127.0.0.1]:" + port + " " + key[0] + " " + key[1] + "\n");
    }

    /** The client's private key file (unencrypted), authorized for the user running the tests. */
    public Path clientKey() {
        return dir.resolve("client_key");
    }

    /** The login name: the user running the tests. */
    public String user() {
        return System.getProperty("user.name");
    }

    public SftpTargetConfig config(String path, Path knownHosts) throws IOException {
        return config(path, knownHosts, port);
    }

    /** A config that connects to {@code port} on 127.0.0.1, e.g. a proxy's in front of this server. */
    SftpTargetConfig config(String path, Path knownHosts, int port) throws IOException {
        Secret key = Secret.of(Files.readString(dir.resolve("client_key")), "${file:" + dir.resolve("client_key") + "}");
        return new SftpTargetConfig("127.0.0.1", port, System.getProperty("user.name"), path, Optional.of(key),
                Optional.empty(), Optional.of(knownHosts), false, Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
