package io.drover.connector.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.Session;

/** One logged-in SSH session with its SFTP channel; used by one thread at a time. */
final class SftpConnection implements AutoCloseable {
    private final Session session;
    private final ChannelSftp sftp;

    SftpConnection(Session session, ChannelSftp sftp) {
        this.session = session;
        this.sftp = sftp;
    }

    ChannelSftp sftp() {
        return sftp;
    }

    /** Whether the session and channel still look usable (a dead peer may be noticed only on use). */
    boolean isAlive() {
        return session.isConnected() && sftp.isConnected() && !sftp.isClosed();
    }

    @Override
    public void close() {
        sftp.disconnect();
        session.disconnect();
    }
}
