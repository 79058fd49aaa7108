package io.drover.connector.postgres;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A started client tool ({@code pg_dump}, {@code pg_restore}, ...) whose stdout is read by the
 * caller, whose stderr tail is kept for error messages, and which is killed with all its
 * descendants when it outlives its timeout.
 *
 * <p>Messages name only the tool: arguments are not shown (they hold no password, but may hold
 * host and user names that belong in the source's own messages instead).
 */
final class ChildProcess implements AutoCloseable {
    private static final Duration STDERR_DRAIN = Duration.ofSeconds(5);
    /** Output kept by {@link #run}: the tools whose output is collected print little. */
    private static final int MAX_COLLECTED = 64 * 1024 * 1024;

    private final String tool;
    private final Process process;
    private final Duration timeout;
    private final Duration reportedTimeout;
    private final long deadlineNanos;
    private final StderrTail stderr = new StderrTail();
    private final Thread stderrReader;
    private final Thread watchdog;
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final InputStream stdout;
    private boolean finished;
    private IOException failure;

    private ChildProcess(String tool, Process process, Duration timeout, Duration reportedTimeout) {
        this.tool = tool;
        this.process = process;
        this.timeout = timeout;
        this.reportedTimeout = reportedTimeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.stdout = new CheckedAtEnd(process.getInputStream());
        this.stderrReader = Thread.ofVirtual().name("pg-stderr-" + tool).start(this::drainStderr);
        this.watchdog = Thread.ofVirtual().name("pg-watchdog-" + tool).start(this::killAtDeadline);
    }

    /**
     * Starts {@code command}. {@code environment} entries with a {@code null} value are removed from
     * the inherited environment.
     */
    static ChildProcess start(String tool, List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException {
        return start(tool, command, environment, timeout, timeout);
    }

    /**
     * Starts {@code command}, to be killed after {@code timeout}: what is left of
     * {@code reportedTimeout}, the configured limit that messages name.
     */
    static ChildProcess start(String tool, List<String> command, Map<String, String> environment, Duration timeout,
                              Duration reportedTimeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        environment.forEach((key, value) -> {
            if (value == null) {
                env.remove(key);
            } else {
                env.put(key, value);
            }
        });
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(tool + " could not be started: " + e.getMessage()
                    + "; install the PostgreSQL client tools or set client-bin", e);
        }
        process.getOutputStream().close();
        return new ChildProcess(tool, process, positive(timeout), reportedTimeout);
    }

    /** Runs {@code command} to its end and returns its stdout; a failure or timeout throws. */
    static byte[] run(String tool, List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException {
        return run(tool, command, environment, timeout, timeout);
    }

    /** {@link #run} with a configured limit for messages, as in {@link #start(String, List, Map, Duration, Duration)}. */
    static byte[] run(String tool, List<String> command, Map<String, String> environment, Duration timeout,
                      Duration reportedTimeout) throws IOException {
        try (ChildProcess child = start(tool, command, environment, timeout, reportedTimeout)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (InputStream in = child.stdout()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (out.size() + n > MAX_COLLECTED) {
                        throw new IOException(tool + " printed more than " + MAX_COLLECTED / (1024 * 1024) + " MiB");
                    }
                    out.write(buffer, 0, n);
                }
            }
            child.awaitSuccess();
            return out.toByteArray();
        }
    }

    private static Duration positive(Duration timeout) {
        return timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
    }

    /** The tool's stdout; at its end, the tool's exit is awaited and a failure thrown. */
    InputStream stdout() {
        return stdout;
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the tool to exit within its timeout; throws if it failed or timed out. Idempotent. */
    synchronized void awaitSuccess() throws IOException {
        if (!finished) {
            failure = waitForExit();
            finished = true;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private IOException waitForExit() throws IOException {
        try {
            long remaining = deadlineNanos - System.nanoTime();
            if (!process.waitFor(Math.max(0, remaining), TimeUnit.NANOSECONDS)) {
                timedOut.set(true);
                killTree();
                process.waitFor();
            }
            stderrReader.join(STDERR_DRAIN);
            if (timedOut.get()) {
                return new IOException(tool + " timed out after " + Durations.format(reportedTimeout)
                        + " and was killed with its child processes" + stderrSuffix());
            }
            int exitCode = process.exitValue();
            if (exitCode != 0) {
                return new IOException(tool + " failed with exit code " + exitCode + stderrSuffix());
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree();
            throw new InterruptedIOException("interrupted while waiting for " + tool);
        }
    }

    private String stderrSuffix() {
        String tail = stderr.toString();
        return tail.isEmpty() ? " (no output on stderr)" : ": " + tail;
    }

    /** What the tool wrote on stderr so far (its tail). */
    String stderrTail() {
        return stderr.toString();
    }

    void closeStdout() {
        try {
            stdout.close();
        } catch (IOException ignored) {
            // closing a pipe we read from cannot lose data we still need
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            killTree();
        }
        watchdog.interrupt();
        closeStdout();
    }

    private void killAtDeadline() {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                timedOut.set(true);
                killTree();
            }
        } catch (InterruptedException closed) {
            // close() stops the watchdog
        }
    }

    /** Kills the tool and its descendants (collected first: once the parent is dead they are re-parented). */
    private void killTree() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private void drainStderr() {
        try (InputStream in = process.getErrorStream()) {
            in.transferTo(stderr);
        } catch (IOException ignored) {
            // the stream closes when the process is killed; what we have is the tail
        }
    }

    /** Turns the end of stdout into the tool's verdict, so a failed dump never looks complete. */
    private final class CheckedAtEnd extends FilterInputStream {
        CheckedAtEnd(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = readOrExplain(() -> super.read());
            if (b < 0) {
                awaitSuccess();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = readOrExplain(() -> super.read(buffer, offset, length));
            if (n < 0) {
                awaitSuccess();
            }
            return n;
        }

        private int readOrExplain(IoRead read) throws IOException {
            try {
                return read.run();
            } catch (IOException e) {
                if (timedOut.get()) {
                    awaitSuccess();
                }
                throw e;
            }
        }
    }

    @FunctionalInterface
    private interface IoRead {
        int run() throws IOException;
    }
}
