package io.drover.connector.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import io.drover.core.model.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An in-process SFTP server (Apache MINA SSHD) on 127.0.0.1 with a random port, serving a
 * directory, with public-key and password login for one user.
 */
final class TestingSftpServer implements AutoCloseable {
    static final String USER = "drover";
    static final String PASSWORD = "correct-horse-battery";

    private final Path dir;
    private final Path root;
    private final KeyPair hostKey;
    private final String clientPrivateKey;
    private final String clientPublicKey;
    private final SshServer server;
    private final AtomicLong writeRequests = new AtomicLong();
    private final AtomicLong logins = new AtomicLong();

    private TestingSftpServer(Path dir) throws IOException, GeneralSecurityException, JSchException {
        this.dir = dir;
        this.root = Files.createDirectories(dir.resolve("root"));
        this.hostKey = ecKeyPair();
        com.jcraft.jsch.KeyPair client = com.jcraft.jsch.KeyPair.genKeyPair(new JSch(), com.jcraft.jsch.KeyPair.ECDSA, 256);
        ByteArrayOutputStream privateKey = new ByteArrayOutputStream();
        client.writePrivateKey(privateKey);
        this.clientPrivateKey = privateKey.toString(StandardCharsets.US_ASCII);
        this.clientPublicKey = "ecdsa-sha2-nistp256 " + Base64.getEncoder().encodeToString(client.getPublicKeyBlob());

        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        server.setPublickeyAuthenticator((user, key, session) ->
                USER.equals(user) && clientPublicKey.equals(PublicKeyEntry.toString(key)));
        server.setKeyboardInteractiveAuthenticator(null);
        SftpSubsystemFactory.Builder sftp = new SftpSubsystemFactory.Builder();
        sftp.addSftpEventListener(new SftpEventListener() {
            @Override
            public void writing(ServerSession session, String remoteHandle, FileHandle localHandle, long offset,
                                byte[] data, int dataOffset, int dataLength) {
                writeRequests.incrementAndGet();
            }
        });
        server.setSubsystemFactories(List.of(sftp.build()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                logins.incrementAndGet();
            }
        });
        server.start();
    }

    static TestingSftpServer start(Path dir) throws Exception {
        return new TestingSftpServer(dir);
    }

    static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** The host key's fingerprint as OpenSSH prints it ({@code SHA256:...}). */
    String hostKeyFingerprint() {
        return org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(hostKey.getPublic());
    }

    int port() {
        return server.getPort();
    }

    /** The directory the server shows as {@code /}. */
    Path root() {
        return root;
    }

    /** A known_hosts line for this server's host key. */
    String knownHostsLine() {
        return knownHostsLine(hostKey);
    }

    String knownHostsLine(KeyPair key) {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key.getPublic());
    }

    /** Writes a known_hosts file that lists this server's host key for {@code port}, e.g. a proxy's in front of it. */
    Path knownHosts(int port) throws IOException {
        return Files.writeString(dir.resolve("known_hosts-" + port),
                "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
    }

    /** Writes a known_hosts file that lists this server's host key. */
    Path knownHosts() throws IOException {
        return Files.writeString(dir.resolve("known_hosts"), knownHostsLine() + "\n");
    }

    Secret privateKey() {
        return Secret.of(clientPrivateKey, "${file:/etc/drover/ssh_key}");
    }

    Secret password() {
        return Secret.of(PASSWORD, "${env:SFTP_PASSWORD}");
    }

    /** A config that logs in with the private key and checks the host key against {@code knownHosts}. */
    SftpTargetConfig keyConfig(String path, Path knownHosts) {
        return keyConfig(path, knownHosts, port());
    }

    /** A config that connects to {@code port} on 127.0.0.1, e.g. a proxy's in front of this server. */
    SftpTargetConfig keyConfig(String path, Path knownHosts, int port) {
        return new SftpTargetConfig("127.0.0.1", port, USER, path, Optional.of(privateKey()), Optional.empty(),
                Optional.of(knownHosts), false, Duration.ofSeconds(10));
    }

    SftpTargetConfig passwordConfig(String path, Secret password, Path knownHosts) {
        return new SftpTargetConfig("127.0.0.1", port(), USER, path, Optional.empty(), Optional.of(password),
                Optional.of(knownHosts), false, Duration.ofSeconds(10));
    }

    /** Closes every session the server has open, as a network drop or server restart would. */
    void dropConnections() {
        for (Session session : List.copyOf(server.getActiveSessions())) {
            session.close(true);
        }
    }

    /** SSH connections the server accepted so far. */
    long logins() {
        return logins.get();
    }

    /** SFTP write requests the server received so far, from every client. */
    long writeRequests() {
        return writeRequests.get();
    }

    int activeSessions() {
        return server.getActiveSessions().size();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
