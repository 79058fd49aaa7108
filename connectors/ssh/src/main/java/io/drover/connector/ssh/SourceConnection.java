package io.drover.connector.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpException;
import io.drover.core.storage.RetryPolicy;
import io.drover.core.storage.Sleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection of one {@code sftp-files} read. When the connection drops, the step that saw it
 * runs again on a new connection, so a walk goes on where it was instead of failing the backup;
 * file reads resume through {@link #reconnect}. Steps must be safe to run twice (they only read).
 * Gives up after the retry policy's attempts in a row without a successful step.
 */
final class SourceConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SourceConnection.class);

    /** One read-only step on the channel. */
    interface Step<T> {
        T run(ChannelSftp sftp) throws IOException, SftpException;
    }

    private final SshConnector connector;
    private final String address;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private SftpConnection connection;
    /** Failed attempts since the last step that succeeded. */
    private int failures;

    SourceConnection(SshConnector connector, String address, RetryPolicy policy, Sleeper sleeper) throws IOException {
        this.connector = connector;
        this.address = address;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.connection = connector.connectSftp(); // the first connection fails at once: the server may be wrong
    }

    /**
     * Runs {@code step} on the I/O thread of the current connection; again on a new connection
     * if the connection broke. An {@link SftpException} is the server's answer and is rethrown.
     */
    <T> T call(String what, Step<T> step) throws IOException, SftpException {
        while (true) {
            SftpConnection current = current(what);
            try {
                T result = current.call(sftp -> {
                    try {
                        return step.run(sftp);
                    } catch (SftpException e) {
                        throw new Answer(e);
                    }
                });
                failures = 0;
                return result;
            } catch (Answer e) {
                if (!current.isBroken()) {
                    throw e.answer;
                }
                lost(what, new IOException(e.answer.getMessage(), e.answer));
            } catch (IOException | RuntimeException e) {
                if (!current.isBroken()) {
                    throw e;
                }
                lost(what, e instanceof IOException io ? io : new IOException(e.getMessage(), e));
            }
        }
    }

    /** The current connection, connecting again after a drop (with backoff, bounded attempts). */
    SftpConnection current(String what) throws IOException {
        while (connection == null) {
            try {
                connection = connector.connectSftp();
            } catch (IOException e) {
                lost(what, e);
            }
        }
        return connection;
    }

    /**
     * Records that {@code cause} broke the connection during {@code what}: the next step gets a new
     * connection after a backoff. Fails when the attempts in a row are used up, or on interrupt.
     */
    void lost(String what, IOException cause) throws IOException {
        // Only a broken one: a stream that ended early on a sound connection is opened again on it.
        if (connection != null && connection.isBroken()) {
            connection.close();
            connection = null;
        }
        failures++;
        int next = failures + 1;
        if (next > policy.attempts() || Thread.currentThread().isInterrupted()) {
            throw new IOException("cannot read the source on " + address + ": the connection broke during " + what
                    + " and " + policy.attempts() + " attempts in a row did not get it back; last error: "
                    + cause.getMessage() + ". Check the network path to the server and that its SSH service is running",
                    cause);
        }
        Duration delay = policy.delayBefore(next, () -> ThreadLocalRandom.current().nextDouble());
        LOG.warn("{}: connection lost during {} ({}); reconnecting, attempt {} of {} in {} ms", address, what,
                cause.getMessage(), next, policy.attempts(), delay.toMillis());
        sleeper.sleep(delay);
    }

    /** {@code sftp://user@host:port}, for messages. */
    String address() {
        return address;
    }

    /** Progress made outside {@link #call} (bytes of a file read): the attempt budget is for failures in a row. */
    void progressed() {
        failures = 0;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    /** Carries the server's answer out of the I/O thread. */
    private static final class Answer extends IOException {
        private final SftpException answer;

        Answer(SftpException answer) {
            super(answer);
            this.answer = answer;
        }
    }
}
