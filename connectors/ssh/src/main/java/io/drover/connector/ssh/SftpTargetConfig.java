package io.drover.connector.ssh;

import io.drover.core.model.Secret;
import io.drover.core.spi.Default;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Config of an {@code sftp} storage target.
 *
 * @param host            the SFTP server
 * @param port            its SSH port
 * @param user            the login name
 * @param path            the absolute directory on the server that holds the objects
 * @param privateKey      the private key text, usually {@code ${file:/etc/drover/ssh_key}}
 * @param password        the password, when the server takes no key
 * @param knownHosts      the known_hosts file the server's host key must be in
 * @param trustOnFirstUse accept an unknown host key once and record it in the known_hosts file
 * @param connectTimeout  how long connecting and logging in may take
 */
public record SftpTargetConfig(String host, @Default("22") int port, String user, String path,
                               Optional<Secret> privateKey, Optional<Secret> password, Optional<Path> knownHosts,
                               @Default("false") boolean trustOnFirstUse, @Default("30s") Duration connectTimeout) {
    public SftpTargetConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** The target's address for messages: {@code sftp://user@host:port/path}, never a secret. */
    String describe() {
        return login().address() + path;
    }

    /** The server and how to log in to it. */
    SshLogin login() {
        return new SshLogin(host, port, user, privateKey, password, knownHosts, trustOnFirstUse, connectTimeout);
    }
}
