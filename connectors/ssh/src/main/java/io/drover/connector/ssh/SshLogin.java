package io.drover.connector.ssh;

import io.drover.core.model.Secret;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach and log in to one SSH server: the part of the config the {@code sftp} target, the
 * {@code sftp-files} source and the {@code ssh} action share, with its checks.
 */
record SshLogin(String host, int port, String user, Optional<Secret> privateKey, Optional<Secret> password,
                Optional<Path> knownHosts, boolean trustOnFirstUse, Duration connectTimeout) {
    SshLogin {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** {@code sftp://user@host:port}, for messages; never a secret. */
    String address() {
        return address("sftp");
    }

    /** {@code SCHEME://user@host:port}, for messages; never a secret. */
    String address(String scheme) {
        return scheme + "://" + user + "@" + host + ":" + port;
    }

    /** The configured known_hosts file, or one in the connector's state directory (for trust on first use). */
    Path knownHostsFile(ConnectorContext context, String type) {
        return knownHosts.orElseGet(() ->
                context.stateDir().resolve("connectors").resolve(type).resolve(context.name()).resolve("known_hosts"));
    }

    /** Adds the problems of the login settings to {@code problems}. */
    void validate(List<ConfigProblem> problems) {
        if (host.isBlank()) {
            problems.add(new ConfigProblem("host", "must not be empty; name the SSH server, e.g. vault.example.net"));
        }
        if (port < 1 || port > 65535) {
            problems.add(new ConfigProblem("port", port + " is no TCP port; use 1..65535 (SSH is usually 22)"));
        }
        if (user.isBlank()) {
            problems.add(new ConfigProblem("user", "must not be empty; name the account drover logs in as"));
        }
        if (privateKey.isPresent() == password.isPresent()) {
            problems.add(new ConfigProblem("", privateKey.isPresent()
                    ? "set only one of private-key and password, not both"
                    : "set one of private-key (e.g. ${file:/etc/drover/ssh_key}) or password (e.g. ${env:SFTP_PASSWORD})"));
        }
        if (knownHosts.isEmpty() && !trustOnFirstUse) {
            problems.add(new ConfigProblem("known-hosts", "is required: without the server's host key drover cannot tell "
                    + "the server from an impostor; create it with "
                    + "'ssh-keyscan -p " + port + " " + host + " > known_hosts' and check the fingerprint, "
                    + "or set trust-on-first-use: true to record the key on the first connection"));
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            problems.add(new ConfigProblem("connect-timeout", "must be positive, e.g. 30s"));
        }
    }
}
