package io.drover.connector.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UIKeyboardInteractive;
import com.jcraft.jsch.UserInfo;
import io.drover.core.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Optional;

/**
 * Opens logged-in SSH sessions to one server, checking its host key first: SFTP connections for the
 * {@code sftp} target and source, sessions for the {@code ssh} action's commands.
 */
final class SshConnector {
    private static final int SERVER_ALIVE_INTERVAL_MILLIS = 15_000;
    private static final int SERVER_ALIVE_COUNT_MAX = 4;

    private final SshLogin config;
    private final Path knownHosts;
    private final String address;
    private JSch jsch;
    /** When the known_hosts file was last read, to re-read it only after it changed. */
    private FileTime knownHostsRead;

    SshConnector(SftpTargetConfig config, Path knownHosts) {
        this(config.login(), config.describe(), knownHosts);
    }

    /**
     * @param login      the server and credentials
     * @param address    how messages name what is reached (e.g. {@code sftp://user@host:port/path}); no secret
     * @param knownHosts the known_hosts file the server's host key must be in
     */
    SshConnector(SshLogin login, String address, Path knownHosts) {
        this.config = login;
        this.knownHosts = knownHosts;
        this.address = address;
    }

    /** Connects, logs in and opens the SFTP channel; failures as with {@link #openSession()}. */
    SftpConnection connectSftp() throws IOException {
        Session session = openSession();
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
        try {
            return SftpConnection.open(session, timeout);
        } catch (JSchException | IOException | RuntimeException e) {
            session.disconnect();
            throw new IOException("cannot open the SFTP channel on " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * Connects and logs in; the caller disconnects the session. With trust on first use an unknown
     * host key is recorded. Failures are {@link SshConnectException}s that name the server, never a secret.
     */
    Session openSession() throws IOException {
        return logIn(HostKeyCheck.WhenUnknown.fromConfig(config.trustOnFirstUse())).session();
    }

    /**
     * Connects and logs in without changing anything, then disconnects: what a plan may do. With
     * trust on first use an unknown host key is accepted for this once but not recorded.
     *
     * @return the host key accepted without recording it, described for the operator, if any
     * @throws SshConnectException when the server cannot be reached, its host key is refused or the login fails
     */
    Optional<String> probe() throws IOException {
        LoggedIn loggedIn = logIn(config.trustOnFirstUse() ? HostKeyCheck.WhenUnknown.ACCEPT_UNRECORDED
                : HostKeyCheck.WhenUnknown.REFUSE);
        loggedIn.session().disconnect();
        return loggedIn.unrecordedHostKey();
    }

    private record LoggedIn(Session session, Optional<String> unrecordedHostKey) {
    }

    private LoggedIn logIn(HostKeyCheck.WhenUnknown whenUnknown) throws IOException {
        JSch client = client();
        HostKeyCheck hostKeys = new HostKeyCheck(client, knownHosts, whenUnknown, config.host(), config.port());
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
        Session session = null;
        try {
            session = client.getSession(config.user(), config.host(), config.port());
            session.setHostKeyRepository(hostKeys);
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications",
                    config.password().isPresent() ? "password,keyboard-interactive" : "publickey");
            if (config.password().isPresent()) {
                session.setPassword(config.password().get().reveal());
                session.setUserInfo(new PasswordPrompts(config.password().get()));
            }
            session.setServerAliveInterval(SERVER_ALIVE_INTERVAL_MILLIS);
            session.setServerAliveCountMax(SERVER_ALIVE_COUNT_MAX);
            session.connect(timeout);
            return new LoggedIn(session, hostKeys.acceptedUnrecorded());
        } catch (JSchException e) {
            if (session != null) {
                session.disconnect();
            }
            String refusal = hostKeys.refusal();
            if (refusal != null) {
                throw new SshConnectException(SshConnectException.Reason.HOST_KEY_REFUSED,
                        "refusing to connect to " + address + ": " + refusal, null);
            }
            throw explain(e);
        } catch (RuntimeException e) {
            if (session != null) {
                session.disconnect();
            }
            throw new SshConnectException(SshConnectException.Reason.UNREACHABLE,
                    "cannot connect to " + address + ": " + e.getMessage(), e);
        }
    }

    private SshConnectException explain(JSchException e) {
        String message = String.valueOf(e.getMessage());
        if (message.toLowerCase(Locale.ROOT).contains("auth fail") || message.contains("Auth cancel")) {
            // JSch's own message is not passed on: say only where the credential came from.
            String credential = config.password()
                    .map(p -> "password from " + p.reference())
                    .orElseGet(() -> "private key from " + config.privateKey().map(Secret::reference).orElse("?"));
            return new SshConnectException(SshConnectException.Reason.LOGIN_REFUSED, "cannot log in to " + address
                    + " as '" + config.user() + "' with the " + credential
                    + ": the server refused it; check the user name and that the credential is authorized on the server",
                    null);
        }
        Throwable cause = e.getCause();
        String reason = cause == null ? message
                : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new SshConnectException(SshConnectException.Reason.UNREACHABLE, "cannot connect to " + address + ": "
                + reason + " (after up to " + io.drover.core.model.DurationText.format(config.connectTimeout())
                + "); check that the host is reachable and an SSH server listens on port " + config.port(), e);
    }

    /** The JSch instance, made on first use so that a bad key is reported on use, not at creation. */
    private synchronized JSch client() throws IOException {
        if (jsch == null) {
            JSch created = new JSch();
            if (config.privateKey().isPresent()) {
                byte[] key = config.privateKey().get().reveal().getBytes(StandardCharsets.UTF_8);
                try {
                    created.addIdentity(config.user() + "@" + config.host(), key, null, null);
                } catch (JSchException e) {
                    // JSch's message may quote parts of the key: say only where it came from.
                    throw new SshConnectException(SshConnectException.Reason.UNUSABLE_CREDENTIAL, "cannot use the private key from " + config.privateKey().get().reference()
                            + " for " + address + ": not an unencrypted private key JSch can read (OpenSSH, PEM or PKCS#8)", null);
                }
            }
            jsch = created;
        }
        // Re-read after a change so that a key the operator just added is seen without a restart.
        try {
            if (Files.exists(knownHosts)) {
                FileTime modified = Files.getLastModifiedTime(knownHosts);
                if (!modified.equals(knownHostsRead)) {
                    synchronized (jsch) {
                        jsch.setKnownHosts(knownHosts.toString());
                    }
                    knownHostsRead = modified;
                }
            }
        } catch (JSchException e) {
            throw new IOException("cannot read known_hosts file " + knownHosts + ": " + e.getMessage(), e);
        }
        return jsch;
    }

    /** Answers keyboard-interactive password prompts, for servers that ask for the password that way. */
    private record PasswordPrompts(Secret password) implements UserInfo, UIKeyboardInteractive {
        @Override
        public String getPassphrase() {
            return null;
        }

        @Override
        public String getPassword() {
            return password.reveal();
        }

        @Override
        public boolean promptPassword(String message) {
            return true;
        }

        @Override
        public boolean promptPassphrase(String message) {
            return false;
        }

        @Override
        public boolean promptYesNo(String message) {
            return false;
        }

        @Override
        public void showMessage(String message) {
        }

        @Override
        public String[] promptKeyboardInteractive(String destination, String name, String instruction, String[] prompt,
                                                  boolean[] echo) {
            String[] answers = new String[prompt.length];
            for (int i = 0; i < prompt.length; i++) {
                if (echo[i]) {
                    return null; // not a password prompt: give up rather than guess
                }
                answers[i] = password.reveal();
            }
            return answers;
        }

        @Override
        public String toString() {
            return "PasswordPrompts[" + Secret.REDACTED + "]";
        }
    }
}
