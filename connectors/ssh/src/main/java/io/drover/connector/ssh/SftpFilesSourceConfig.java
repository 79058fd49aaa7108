package io.drover.connector.ssh;

import io.drover.core.model.Secret;
import io.drover.core.spi.Default;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Config of an {@code sftp-files} source: file trees on a remote host, read over SFTP.
 *
 * @param host            the SSH server
 * @param port            its SSH port
 * @param user            the login name
 * @param paths           absolute roots on the server to back up, e.g. {@code /etc}
 * @param include         globs ({@code glob:} syntax, matched against the absolute remote path); if
 *                        any are given, only files matching one of them are backed up
 * @param exclude         globs of files to leave out and of directories to prune whole
 * @param privateKey      the private key text, usually {@code ${file:/etc/drover/ssh_key}}
 * @param password        the password, when the server takes no key
 * @param knownHosts      the known_hosts file the server's host key must be in
 * @param trustOnFirstUse accept an unknown host key once and record it in the known_hosts file
 * @param connectTimeout  how long connecting and logging in may take
 */
public record SftpFilesSourceConfig(String host, @Default("22") int port, String user, List<String> paths,
                                    @Default("[]") List<String> include, @Default("[]") List<String> exclude,
                                    Optional<Secret> privateKey, Optional<Secret> password, Optional<Path> knownHosts,
                                    @Default("false") boolean trustOnFirstUse, @Default("30s") Duration connectTimeout) {
    public SftpFilesSourceConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        paths = List.copyOf(Objects.requireNonNull(paths, "paths"));
        include = List.copyOf(Objects.requireNonNull(include, "include"));
        exclude = List.copyOf(Objects.requireNonNull(exclude, "exclude"));
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** The server and how to log in to it. */
    SshLogin login() {
        return new SshLogin(host, port, user, privateKey, password, knownHosts, trustOnFirstUse, connectTimeout);
    }

    /** {@code sftp://user@host:port /etc, /srv/app}, for messages; never a secret. */
    String describe() {
        return login().address() + " " + String.join(", ", paths);
    }
}
