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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one object into a hidden temporary file next to its final name on the server;
 * {@link #commit()} publishes it without overwriting and checks the size the server reports.
 * Holds its connection until it ends; every call on it runs on the connection's I/O thread, so
 * writing from one thread and committing from another (as core's write-behind does) is fine.
 *
 * <p>Writes are pipelined: the caller's bytes are copied into a <em>segment</em> and sent, in
 * batches of {@link #SEND_UNIT}, by the I/O thread while the caller goes on (the caller used to wait for every send, and core's seal
 * thread, which also encrypts and hashes, was the bottleneck of SFTP backups). A full segment is
 * followed by a wait for the server's acknowledgements, also on the I/O thread; the caller waits
 * only when it has filled a second segment before the first was acknowledged.
 *
 * <p>Survives dropped connections: everything written since the last <em>checkpoint</em> (the
 * point up to which the server acknowledged every write) is kept in those two segments, at most
 * {@link SftpStorageTarget.Resilience#checkpointBytes()} together. When the connection breaks,
 * the output logs in again, cuts the temporary file back to the checkpoint (so a torn tail never
 * survives) and writes the kept bytes again. After too many failed attempts without progress it
 * gives up with a message that says what to check.
 */
final class SftpObjectOutput extends ObjectOutput {
    private static final Logger LOG = LoggerFactory.getLogger(SftpObjectOutput.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Keeps temporary names within the usual 255-byte limit however long the key segment is. */
    private static final int MAX_NAME_IN_TEMP = 200;
    /** The first size of a segment's buffer; it grows to the segment size only for objects that need it. */
    private static final int INITIAL_BUFFER = 64 * 1024;
    /**
     * Bytes handed to JSch at once. JSch turns every write into SFTP write requests of at most
     * one channel packet (32 KiB on OpenSSH) and the server answers each: callers write a few KiB
     * at a time, so sending each write made requests (and server system calls) four times as many.
     */
    static final int SEND_UNIT = 256 * 1024;

    private enum State { OPEN, COMMITTED, ABORTED }

    private final SftpStorageTarget target;
    private final SftpStorageTarget.Resilience resilience;
    private final String key;
    private final String file;
    private final String temp;
    private SftpConnection connection;
    private Sender sender;
    /** Bytes of the object the server acknowledged; the temporary file holds at least these. */
    private long checkpoint;
    /** Half the checkpoint size: two segments hold what a replay may need. */
    private final int segmentBytes;
    /** The bytes written since {@link #checkpoint}, oldest first, at most two segments; kept for a replay. */
    private final ArrayDeque<Segment> unacknowledged = new ArrayDeque<>(2);
    /** A segment buffer to reuse, so that an output allocates its buffers once. */
    private byte[] spare;
    /** Failed attempts since the last progress; bounded by the retry policy. */
    private int failures;
    /** Set when the output gave up: later writes fail at once with the same message. */
    private IOException broken;
    private State state = State.OPEN;

    SftpObjectOutput(SftpStorageTarget target, SftpConnection connection, String key, String file, String temp,
                     OutputStream stream) {
        this.target = target;
        this.resilience = target.resilience();
        this.segmentBytes = Math.max(1, resilience.checkpointBytes() / 2);
        this.connection = connection;
        this.key = key;
        this.file = file;
        this.temp = temp;
        this.sender = new Sender(connection, stream);
    }

    /** Bytes written since the checkpoint, in the order written; {@link #acknowledged} is set once it is sealed. */
    private static final class Segment {
        byte[] data;
        int length;
        /** Bytes of {@link #data} already handed to the I/O thread; the rest waits for {@link #SEND_UNIT} or a flush. */
        int sent;
        /** The wait for the server's acknowledgements up to this segment's end, once the segment is full. */
        Future<Void> acknowledged;

        Segment(byte[] data) {
            this.data = data;
        }
    }

    /**
     * JSch's stream of one upload handle and the calls queued for it on the I/O thread. Once a
     * call failed, the calls after it fail with the same exception instead of writing past a gap.
     */
    private static final class Sender {
        final SftpConnection connection;
        final OutputStream jsch;
        private volatile IOException failure;

        Sender(SftpConnection connection, OutputStream jsch) {
            this.connection = connection;
            this.jsch = jsch;
        }

        Future<Void> submit(SftpConnection.Call<Void> call) throws IOException {
            return connection.submit(sftp -> {
                IOException failed = failure;
                if (failed != null) {
                    throw failed;
                }
                try {
                    return call.run(sftp);
                } catch (IOException e) {
                    failure = e;
                    throw e;
                } catch (RuntimeException e) {
                    failure = new IOException(String.valueOf(e.getMessage()), e);
                    throw e;
                }
            });
        }

        /** Runs {@code call} after everything queued, and waits for it. */
        void run(SftpConnection.Call<Void> call) throws IOException {
            connection.await(submit(call));
        }

        void close() throws IOException {
            run(sftp -> {
                jsch.close();
                return null;
            });
        }
    }

    static String tempName(String finalName) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        String shortName = finalName.length() > MAX_NAME_IN_TEMP ? finalName.substring(0, MAX_NAME_IN_TEMP) : finalName;
        return SftpStorageTarget.TEMP_PREFIX + HexFormat.of().formatHex(random) + "-" + shortName;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        requireOpen();
        Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            Segment segment = openSegment();
            int n = Math.min(length, segmentBytes - segment.length);
            // Kept before it is sent: if the send fails, the replay includes these bytes.
            keep(segment, bytes, offset, n);
            offset += n;
            length -= n;
            if (segment.length == segmentBytes) {
                sendPending(segment);
                seal(segment);
            } else if (segment.length - segment.sent >= SEND_UNIT) {
                sendPending(segment);
            }
        }
    }

    /** The segment to append to: the newest, unless it is sealed; then a new one, after the oldest was acknowledged. */
    private Segment openSegment() throws IOException {
        Segment newest = unacknowledged.peekLast();
        if (newest != null && newest.acknowledged == null) {
            return newest;
        }
        if (unacknowledged.size() == 2) {
            Segment oldest = unacknowledged.peekFirst();
            try {
                sender.connection.await(oldest.acknowledged);
                unacknowledged.removeFirst();
                checkpoint += oldest.length;
                failures = 0; // progress: the attempt budget is for failures in a row
                recycle(oldest);
            } catch (IOException e) {
                recover(e, "write"); // acknowledges everything
            }
        }
        byte[] buffer = spare != null ? spare : new byte[Math.min(INITIAL_BUFFER, segmentBytes)];
        spare = null;
        Segment segment = new Segment(buffer);
        unacknowledged.addLast(segment);
        return segment;
    }

    /** Hands the kept bytes of {@code segment} not yet sent to the I/O thread. */
    private void sendPending(Segment segment) throws IOException {
        int from = segment.sent;
        if (from < segment.length) {
            segment.sent = segment.length;
            send(segment.data, from, segment.length - from);
        }
    }

    /** Sends what the newest segment holds unsent: before a wait for acknowledgements, which covers only bytes sent. */
    private void sendPending() throws IOException {
        Segment newest = unacknowledged.peekLast();
        if (newest != null) {
            sendPending(newest);
        }
    }

    private void send(byte[] data, int offset, int length) throws IOException {
        Sender current = sender;
        try {
            current.submit(sftp -> {
                current.jsch.write(data, offset, length);
                return null;
            });
        } catch (IOException e) {
            recover(e, "write"); // the connection was closed: the kept bytes go again on a new one
        }
    }

    /** Queues the wait for the acknowledgements up to the end of {@code segment}; JSch's flush does that wait. */
    private void seal(Segment segment) throws IOException {
        Sender current = sender;
        try {
            segment.acknowledged = current.submit(sftp -> {
                current.jsch.flush();
                return null;
            });
        } catch (IOException e) {
            recover(e, "flush");
        }
    }

    /** Waits until the server acknowledged everything written so far; the memory kept for a replay is freed. */
    @Override
    public synchronized void flush() throws IOException {
        requireOpen();
        checkpoint();
    }

    @Override
    public synchronized ObjectInfo commit() throws IOException {
        requireOpen();
        try {
            closeStream();
            ObjectInfo info = finish();
            state = State.COMMITTED;
            spare = null;
            target.release(connection);
            return info;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    @Override
    public synchronized void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        unacknowledged.clear();
        spare = null;
        try {
            sender.close();
        } catch (IOException | RuntimeException ignored) {
            // The data is being discarded.
        }
        if (connection.isAlive()) {
            try {
                connection.call(sftp -> removeQuietly(sftp, temp));
            } catch (IOException | RuntimeException ignored) {
                // Left to the sweeper (removeAbandonedWrites).
            }
        }
        target.release(connection);
    }

    private void keep(Segment segment, byte[] bytes, int offset, int length) {
        if (segment.length + length > segment.data.length) {
            // Grown, never changed in place: sends still queued read the old array.
            int size = Math.max(segment.length + length, Math.min(segmentBytes, segment.data.length * 2));
            segment.data = Arrays.copyOf(segment.data, size);
        }
        System.arraycopy(bytes, offset, segment.data, segment.length, length);
        segment.length += length;
    }

    private void recycle(Segment segment) {
        if (segment.data.length == segmentBytes) {
            spare = segment.data; // every send of it ran: the acknowledgement came after them
        }
    }

    /** Waits until the server acknowledged everything written so far; JSch's flush waits for every write sent. */
    private void checkpoint() throws IOException {
        if (unacknowledged.isEmpty()) {
            return;
        }
        sendPending();
        if (unacknowledged.isEmpty()) {
            return; // the send failed and the recovery wrote and acknowledged everything
        }
        Sender current = sender;
        try {
            current.run(sftp -> {
                current.jsch.flush();
                return null;
            });
        } catch (IOException e) {
            recover(e, "flush"); // acknowledged on the new connection
        }
        advance();
    }

    /** Everything written is acknowledged: the checkpoint moves to its end and the segments are free. */
    private void advance() {
        if (!unacknowledged.isEmpty()) {
            for (Segment segment : unacknowledged) {
                checkpoint += segment.length;
            }
            recycle(unacknowledged.getLast());
            unacknowledged.clear();
            failures = 0; // progress: the attempt budget is for failures in a row
        }
    }

    /** Ends the upload; closing the handle waits until the server acknowledged every write. */
    private void closeStream() throws IOException {
        sendPending();
        while (true) {
            try {
                sender.close();
                break;
            } catch (IOException e) {
                recover(e, "commit"); // then close the new handle; every byte is acknowledged by then
            }
        }
        advance();
    }

    /**
     * Gets the object onto the server after {@code cause} broke the stream: on a new connection,
     * cuts the temporary file back to the checkpoint and writes the kept bytes again, so that the
     * server acknowledged all {@link #written()} bytes when this returns.
     */
    private void recover(IOException cause, String during) throws IOException {
        if (isServerAnswer(cause)) {
            throw new IOException("cannot write '" + key + "' to " + target.describe() + ": the server refused it ("
                    + cause.getMessage() + "); check free space and permissions on the server", cause);
        }
        retryOnNewConnection(cause, during, sftp -> {
            resume(sftp);
            return null;
        });
    }

    private void resume(ChannelSftp sftp) throws IOException {
        Optional<SftpATTRS> stored = target.lstat(sftp, temp);
        if (stored.isEmpty()) {
            throw tempGone();
        }
        if (stored.get().getSize() < checkpoint) {
            throw cannotResume("after the connection broke, the server holds " + stored.get().getSize()
                    + " bytes of its temporary file " + temp + " but had acknowledged " + checkpoint);
        }
        OutputStream resumed;
        try {
            // Bytes past the checkpoint may be torn or have gaps (writes are pipelined): cut them off.
            SftpATTRS size = new SftpATTRS();
            size.setSIZE(checkpoint);
            sftp.setStat(temp, size);
            // RESUME opens without truncating and writes from the file's current size, the checkpoint.
            resumed = sftp.put(temp, null, ChannelSftp.RESUME, 0);
        } catch (SftpException e) {
            throw target.failure("cannot reopen the temporary file of '" + key + "'", e);
        }
        for (Segment segment : unacknowledged) {
            resumed.write(segment.data, 0, segment.length);
        }
        resumed.flush();
        sender = new Sender(connection, resumed);
        // The file must now end exactly where the object does; anything else means the writes did
        // not land where they should (a write of the old connection still arriving, say): try again.
        long size = target.lstat(sftp, temp).map(SftpATTRS::getSize).orElse(-1L);
        if (size != written()) {
            throw new IOException("the temporary file has " + size + " bytes after resuming, expected " + written());
        }
        advance();
    }

    /** Publishes the uploaded temporary file under the final name and checks its size. */
    private ObjectInfo finish() throws IOException {
        try {
            return connection.call(sftp -> finishOn(sftp, false));
        } catch (ObjectAlreadyExistsException | ResumeImpossible e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (connection.isAlive()) {
                throw e; // an answer of the server, not a lost connection
            }
            IOException cause = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            return retryOnNewConnection(cause, "commit", sftp -> finishOn(sftp, true));
        }
    }

    /**
     * Looks before it links, because after a dropped connection the object may already be
     * published: the link was made but its answer lost. {@code afterDrop} says that an earlier
     * attempt may also have removed the temporary file already.
     */
    private ObjectInfo finishOn(ChannelSftp sftp, boolean afterDrop) throws IOException {
        Optional<SftpATTRS> existing = target.lstat(sftp, file);
        if (existing.isPresent() && !existing.get().isDir()) {
            if (!isOurs(sftp, existing.get(), afterDrop)) {
                throw new ObjectAlreadyExistsException(key);
            }
            removeQuietly(sftp, temp);
        } else {
            publish(sftp);
        }
        return checkSize(sftp);
    }

    /**
     * Whether the file under the final name is this output's temporary file, linked. Two names are
     * one file only if a change to one shows in the other, so this gives the temporary file a new
     * modification time and looks whether the final name has it too. SFTP shows no inode numbers.
     */
    private boolean isOurs(ChannelSftp sftp, SftpATTRS existing, boolean afterDrop) throws IOException {
        if (target.lstat(sftp, temp).isEmpty()) {
            // The temporary file is removed only after the link was made, so after a drop this
            // is our object; without one, another writer's.
            return afterDrop;
        }
        int marker = existing.getMTime() - 1 - RANDOM.nextInt(1 << 20);
        try {
            sftp.setMtime(temp, marker);
        } catch (SftpException e) {
            throw target.failure("cannot check whether '" + key + "' was published", e);
        }
        Optional<SftpATTRS> again = target.lstat(sftp, file);
        return again.isPresent() && again.get().getMTime() == marker;
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
                // The object is published; a leftover temporary file is removed by the sweeper.
                removeQuietly(sftp, temp);
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
            if (target.lstat(sftp, temp).isEmpty()) {
                throw tempGone();
            }
            throw target.failure("cannot commit '" + key + "'", e);
        }
    }

    private ObjectInfo checkSize(ChannelSftp sftp) throws IOException {
        Optional<SftpATTRS> stored = target.lstat(sftp, file);
        if (stored.isEmpty() || !stored.get().isReg()) {
            throw new IOException("object '" + key + "' is missing on " + target.describe() + " right after commit");
        }
        long size = stored.get().getSize();
        if (size != written()) {
            // The name is ours (publishing never replaces), so withdraw what would not verify.
            removeQuietly(sftp, file);
            throw new ResumeImpossible("object '" + key + "' on " + target.describe() + " has " + size
                    + " bytes after commit, but " + written() + " were written");
        }
        return new ObjectInfo(key, size);
    }

    /** What a step does on a new connection. */
    private interface Step<T> {
        T run(ChannelSftp sftp) throws IOException;
    }

    /**
     * Runs {@code step} on a new connection after {@code cause} broke the current one, with the
     * target's retry policy: backoff between attempts, and a bounded number of attempts without
     * progress. When they run out, fails with what happened and what to check; the temporary
     * file is removed if the server can be reached, else left to the sweeper.
     */
    private <T> T retryOnNewConnection(IOException cause, String during, Step<T> step) throws IOException {
        IOException last = cause;
        connection.close();
        while (true) {
            failures++;
            int next = failures + 1;
            if (next > resilience.policy().attempts() || Thread.currentThread().isInterrupted()) {
                throw giveUp(last, during);
            }
            Duration delay = resilience.policy().delayBefore(next, () -> ThreadLocalRandom.current().nextDouble());
            LOG.warn("{}: connection lost during {} of '{}' after {} bytes ({}); reconnecting, attempt {} of {} in {} ms",
                    target.describe(), during, key, written(), last.getMessage(), next, resilience.policy().attempts(),
                    delay.toMillis());
            resilience.sleeper().sleep(delay);
            try {
                connection = target.connectNew();
                return connection.call(step::run);
            } catch (ObjectAlreadyExistsException | ResumeImpossible e) {
                throw e; // answers, not faults: another attempt would get the same
            } catch (IOException | RuntimeException e) {
                last = e instanceof IOException io ? io : new IOException(String.valueOf(e.getMessage()), e);
                connection.close();
            }
        }
    }

    private IOException giveUp(IOException last, String during) {
        IOException failure = new IOException("cannot write '" + key + "' to " + target.describe() + ": the connection broke during "
                + during + " after " + written() + " bytes (" + checkpoint + " acknowledged by the server) and "
                + resilience.policy().attempts() + " attempts in a row did not get it back; last error: " + last.getMessage()
                + ". Check the network path to the server and that its SSH service is running; the object is not stored",
                last);
        removeTempOnNewConnection();
        broken = failure;
        return failure;
    }

    private ResumeImpossible tempGone() {
        return cannotResume("its temporary file " + temp + " is gone from the server (removed by hand or by a prune "
                + "that took it for abandoned)");
    }

    private ResumeImpossible cannotResume(String why) {
        return new ResumeImpossible("cannot write '" + key + "' to " + target.describe() + ": " + why
                + "; the object is not stored, write it again");
    }

    private void removeTempOnNewConnection() {
        try (SftpConnection fresh = target.connectNew()) {
            fresh.call(sftp -> removeQuietly(sftp, temp));
        } catch (IOException | RuntimeException unreachable) {
            // The sweeper (removeAbandonedWrites) removes it later.
        }
    }

    private long written() {
        long written = checkpoint;
        for (Segment segment : unacknowledged) {
            written += segment.length;
        }
        return written;
    }

    /**
     * Whether the write failed because the server refused it (a full disk, a quota) while the
     * connection is fine: JSch reports such statuses as an {@link SftpException} cause, and a new
     * connection would only meet the same answer.
     */
    private boolean isServerAnswer(IOException e) {
        return connection.isAlive() && e.getCause() instanceof SftpException status && status.getCause() == null
                && status.id != ChannelSftp.SSH_FX_NO_CONNECTION && status.id != ChannelSftp.SSH_FX_CONNECTION_LOST;
    }

    /** Returns nothing, but is shaped to be a {@link SftpConnection.Call}. */
    private static Void removeQuietly(ChannelSftp sftp, String path) {
        try {
            sftp.rm(path);
        } catch (SftpException ignored) {
            // Best effort: the caller reports the real failure.
        }
        return null;
    }

    private void requireOpen() throws IOException {
        if (broken != null) {
            throw new IOException(broken.getMessage(), broken);
        }
        if (state != State.OPEN) {
            throw new IOException("output for '" + key + "' was already " + state.name().toLowerCase(Locale.ROOT));
        }
    }

    /** The upload cannot go on whatever the connection does: the server lost or changed what it had. */
    private static final class ResumeImpossible extends IOException {
        ResumeImpossible(String message) {
            super(message);
        }
    }
}
