package io.drover.connector.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One logged-in SSH session with its SFTP channel, and the one thread that talks on the channel.
 *
 * <p>Why a thread of its own: JSch hands the server's replies to the channel through a
 * {@link java.io.PipedInputStream}, which refuses data ("Read end dead", the channel then closes)
 * once the last thread that read from it has ended. Callers do end: core writes each part from a
 * write-behind thread that ends before another thread commits, and a pooled connection passes
 * from thread to thread. So every channel call, and every read and write of the streams JSch
 * returns, runs on this connection's I/O thread ({@link #call}, {@link #submit}), which lives
 * exactly as long as the channel. Callers hand over their own buffers: {@link #call} waits, so
 * nothing is copied; {@link #submit} lets an upload pipeline its writes from a bounded buffer of
 * its own. Used by one caller at a time.
 */
final class SftpConnection implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** One step on the channel; runs on the I/O thread. */
    interface Call<T> {
        T run(ChannelSftp sftp) throws IOException;
    }

    private final Session session;
    private final Thread ioThread;
    /** Calls waiting for the I/O thread; guarded by itself, {@code null} once closed. */
    private Queue<FutureTask<?>> tasks = new ArrayDeque<>();
    private volatile ChannelSftp sftp;

    private SftpConnection(Session session) {
        this.session = session;
        this.ioThread = Thread.ofPlatform().daemon().name("drover-sftp-io-" + THREADS.incrementAndGet())
                .unstarted(this::serve);
    }

    /**
     * Opens the SFTP channel of a connected session on a new I/O thread (the channel's first
     * replies are read there too). Closes the session if the channel cannot be opened.
     */
    static SftpConnection open(Session session, int timeoutMillis) throws JSchException, IOException {
        SftpConnection connection = new SftpConnection(session);
        connection.ioThread.start();
        try {
            connection.call(ignored -> {
                try {
                    ChannelSftp channel = (ChannelSftp) session.openChannel("sftp");
                    channel.connect(timeoutMillis);
                    connection.sftp = channel;
                    return null;
                } catch (JSchException e) {
                    throw new ChannelFailure(e);
                }
            });
        } catch (ChannelFailure e) {
            connection.close();
            throw e.cause;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** Carries a JSchException out of the I/O thread. */
    private static final class ChannelFailure extends IOException {
        private final JSchException cause;

        ChannelFailure(JSchException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    /**
     * The channel, for code that already runs on the I/O thread (inside {@link #call}). Anywhere
     * else it is a bug: the call would make its thread the pipe's reader.
     */
    ChannelSftp sftp() {
        if (Thread.currentThread() != ioThread) {
            throw new IllegalStateException("SFTP channel used outside its I/O thread (" + Thread.currentThread().getName() + ")");
        }
        return sftp;
    }

    /**
     * Runs {@code call} on the I/O thread and waits for it; at once if already there. Its exceptions
     * are rethrown as they are. An interrupt closes the connection (the call in progress then fails
     * fast) and ends in an {@link InterruptedIOException}, with the interrupt flag kept.
     */
    <T> T call(Call<T> call) throws IOException {
        if (Thread.currentThread() == ioThread) {
            return call.run(sftp);
        }
        return await(submit(call));
    }

    /**
     * Queues {@code call} for the I/O thread and returns at once; calls run in the order they were
     * queued. For pipelining: the caller must keep what the call reads unchanged until it ran.
     */
    <T> Future<T> submit(Call<T> call) throws IOException {
        FutureTask<T> task = new FutureTask<>(() -> call.run(sftp));
        synchronized (this) {
            if (tasks == null) {
                throw new IOException("the SFTP connection is closed");
            }
            tasks.add(task);
            notifyAll();
        }
        return task;
    }

    /** Waits for a {@link #submit submitted} call; its exceptions and interrupts as with {@link #call}. */
    <T> T await(Future<T> task) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            close();
            awaitUninterruptibly(task);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while talking to the SFTP server; the connection is closed");
        } catch (CancellationException e) {
            throw new IOException("the SFTP connection is closed");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    private static void awaitUninterruptibly(Future<?> task) {
        boolean interrupted = false;
        while (!task.isDone()) {
            try {
                task.get();
            } catch (InterruptedException again) {
                interrupted = true;
            } catch (ExecutionException | CancellationException done) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve() {
        while (true) {
            FutureTask<?> task;
            synchronized (this) {
                while (tasks != null && tasks.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException ignored) {
                        // Only close() ends this thread: the channel needs its reader.
                    }
                }
                if (tasks == null) {
                    return;
                }
                task = tasks.poll();
            }
            task.run();
        }
    }

    /** Whether the session and channel still look usable (a dead peer may be noticed only on use). */
    boolean isAlive() {
        ChannelSftp channel = sftp;
        return session.isConnected() && channel != null && channel.isConnected() && !channel.isClosed();
    }

    /**
     * Whether the channel is dead or the server ended it: data read meanwhile may be cut off or
     * garbage. Looks at flags only, so any thread may ask.
     */
    boolean isBroken() {
        return !isAlive() || sftp.isEOF();
    }

    /** Disconnects (from any thread; a call in progress then fails) and ends the I/O thread. */
    @Override
    public void close() {
        Queue<FutureTask<?>> pending;
        synchronized (this) {
            pending = tasks;
            tasks = null;
            notifyAll();
        }
        if (pending != null) {
            pending.forEach(task -> task.cancel(false));
        }
        ChannelSftp channel = sftp;
        if (channel != null) {
            channel.disconnect();
        }
        session.disconnect();
    }
}
