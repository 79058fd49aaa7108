package io.drover.connector.ssh;

import java.io.IOException;
import java.util.Objects;

/** Connecting or logging in to an SSH server failed; the message names the server and never a secret. */
final class SshConnectException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Which part of getting a session failed, so that a plan can tell the operator which precondition does not hold. */
    enum Reason {
        /** No SSH server answered in time, or the connection broke before the login. */
        UNREACHABLE,
        /** The server's host key is unknown or changed. */
        HOST_KEY_REFUSED,
        /** The server refused the credential. */
        LOGIN_REFUSED,
        /** The configured credential cannot be used at all (e.g. a private key JSch cannot read). */
        UNUSABLE_CREDENTIAL
    }

    private final Reason reason;

    SshConnectException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    Reason reason() {
        return reason;
    }
}
