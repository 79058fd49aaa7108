package io.drover.connector.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import io.drover.core.spi.ObjectAlreadyExistsException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Streams one object into a hidden temporary file next to its final name on the server;
 * {@link #commit()} publishes it without overwriting and checks the size the server reports.
 * Holds its connection until it ends.
 */
final class SftpObjectOutput extends ObjectOutput {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Keeps temporary names within the usual 255-byte limit however long the key segment is. */
    private static final int MAX_NAME_IN_TEMP = 200;

    private enum State { OPEN, COMMITTED, ABORTED }

    private final SftpStorageTarget target;
    private final SftpConnection connection;
    private final String key;
    private final String file;
    private final String temp;
    private final OutputStream stream;
    private long written;
    private State state = State.OPEN;

    SftpObjectOutput(SftpStorageTarget target, SftpConnection connection, String key, String file, String temp,
                     OutputStream stream) {
        this.target = target;
        this.connection = connection;
        this.key = key;
        this.file = file;
        this.temp = temp;
        this.stream = stream;
    }

    static String tempName(String finalName) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        String shortName = finalName.length() > MAX_NAME_IN_TEMP ? finalName.substring(0, MAX_NAME_IN_TEMP) : finalName;
        return SftpStorageTarget.TEMP_PREFIX + HexFormat.of().formatHex(random) + "-" + shortName;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        requireOpen();
        stream.write(b);
        written++;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        requireOpen();
        Objects.checkFromIndexSize(offset, length, bytes.length);
        stream.write(bytes, offset, length);
        written += length;
    }

    @Override
    public synchronized ObjectInfo commit() throws IOException {
        requireOpen();
        try {
            stream.close(); // waits until the server acknowledged every write
            publish(connection.sftp());
            Optional<SftpATTRS> stored = target.lstat(connection.sftp(), file);
            if (stored.isEmpty() || !stored.get().isReg()) {
                throw new IOException("object '" + key + "' is missing on " + target.describe() + " right after commit");
            }
            long size = stored.get().getSize();
            if (size != written) {
                // The name is ours (publishing never replaces), so withdraw what would not verify.
                removeQuietly(connection.sftp(), file);
                throw new IOException("object '" + key + "' on " + target.describe() + " has " + size
                        + " bytes after commit, but " + written + " were written");
            }
            state = State.COMMITTED;
            target.release(connection);
            return new ObjectInfo(key, size);
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    /**
     * Gives the temporary file its final name without ever replacing an object. Prefers
     * hardlink@openssh.com (link(2) fails if the name exists, atomically), as OpenSSH's own rename
     * does; JSch's {@code rename} uses posix-rename@openssh.com whenever the server offers it, and
     * that overwrites, so plain rename is used only on servers without that extension.
     */
    private void publish(ChannelSftp sftp) throws IOException {
        try {
            if (sftp.getExtension(SftpStorageTarget.HARDLINK) != null) {
                sftp.hardlink(temp, file);
                removeTemp(sftp);
            } else if (sftp.getExtension(SftpStorageTarget.POSIX_RENAME) == null) {
                sftp.rename(temp, file);
            } else {
                throw new IOException("cannot commit '" + key + "' on " + target.describe() + ": the server offers "
                        + SftpStorageTarget.POSIX_RENAME + " (which overwrites) but not " + SftpStorageTarget.HARDLINK
                        + ", so it cannot publish an object without risking to replace another");
            }
        } catch (SftpException e) {
            Optional<SftpATTRS> existing = target.lstat(sftp, file);
            if (existing.isPresent()) {
                if (existing.get().isDir()) {
                    throw new IOException("cannot commit '" + key + "' on " + target.describe()
                            + ": it is a directory of other objects", e);
                }
                throw new ObjectAlreadyExistsException(key);
            }
            throw target.failure("cannot commit '" + key + "'", e);
        }
    }

    private void removeTemp(ChannelSftp sftp) {
        // The sweeper removes leftover .tmp-* files; the object itself is published.
        removeQuietly(sftp, temp);
    }

    private static void removeQuietly(ChannelSftp sftp, String path) {
        try {
            sftp.rm(path);
        } catch (SftpException ignored) {
            // Best effort: the caller reports the real failure.
        }
    }

    @Override
    public synchronized void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        try {
            stream.close();
        } catch (IOException | RuntimeException ignored) {
            // The data is being discarded.
        }
        if (connection.isAlive()) {
            removeTemp(connection.sftp());
        }
        target.release(connection);
    }

    private void requireOpen() throws IOException {
        if (state != State.OPEN) {
            throw new IOException("output for '" + key + "' was already " + state.name().toLowerCase(Locale.ROOT));
        }
    }
}
