package io.drover.connector.mariadb;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A started client program ({@code mariadb-dump}, {@code mariadb}) whose stdout is read by the
 * caller or discarded, whose stdin is a file or empty, whose stderr tail is kept for error
 * messages, and which is killed with its descendants when it outlives its timeout.
 *
 * <p>Messages name only the program, never its arguments. The child's environment is drover's,
 * minus every variable that holds the password (and {@code MYSQL_PWD}), so a password that drover
 * itself got from {@code ${env:...}} does not travel on.
 */
final class RunningCommand implements AutoCloseable {
    private static final Duration STDERR_DRAIN = Duration.ofSeconds(5);

    private final String program;
    private final Process process;
    private final Duration timeout;
    private final long deadlineNanos;
    private final StderrTail stderr = new StderrTail();
    private final Thread stderrReader;
    private final Thread watchdog;
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final InputStream stdout;
    private boolean finished;
    private IOException failure;

    private RunningCommand(String program, Process process, Duration timeout) {
        this.program = program;
        this.process = process;
        this.timeout = timeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.stdout = new CheckedAtEnd(process.getInputStream());
        this.stderrReader = Thread.ofVirtual().name("stderr-" + program).start(this::drainStderr);
        this.watchdog = Thread.ofVirtual().name("watchdog-" + program).start(this::killAtDeadline);
    }

    /**
     * Starts {@code command}; {@code program} is its name for messages.
     *
     * @param stdin       a file to read as stdin, or empty for an empty stdin
     * @param keepStdout  whether the caller reads stdout; otherwise it is discarded
     * @param secret      a value no environment variable of the child may contain
     */
    static RunningCommand start(String program, List<String> command, Optional<Path> stdin, boolean keepStdout,
                                Optional<String> secret, Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.remove("MYSQL_PWD");
        environment.remove("MARIADB_PWD");
        secret.filter(s -> !s.isEmpty()).ifPresent(s -> environment.values().removeIf(v -> v.contains(s)));
        stdin.ifPresent(file -> builder.redirectInput(file.toFile()));
        if (!keepStdout) {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("'" + program + "' could not be started: " + e.getMessage()
                    + "; install it or set client-bin to the directory that holds it", e);
        }
        if (stdin.isEmpty()) {
            process.getOutputStream().close();
        }
        return new RunningCommand(program, process, timeout);
    }

    InputStream stdout() {
        return stdout;
    }

    /** Waits for the exit within the timeout; throws with the stderr tail on failure. Idempotent. */
    synchronized void awaitSuccess() throws IOException {
        if (!finished) {
            failure = waitForExit();
            finished = true;
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The stderr tail so far (e.g. warnings of a successful run). */
    String stderrTail() {
        return stderr.toString();
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
                return new IOException(program + " timed out after " + HumanDuration.format(timeout)
                        + " and was killed" + stderrSuffix());
            }
            int exitCode = process.exitValue();
            if (exitCode != 0) {
                return new IOException(program + " failed with exit code " + exitCode + stderrSuffix());
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree();
            throw new InterruptedIOException("interrupted while waiting for " + program);
        }
    }

    private String stderrSuffix() {
        String tail = stderr.toString();
        return tail.isEmpty() ? " (no output on stderr)" : ": " + tail;
    }

    void closeStdout() {
        try {
            stdout.close();
        } catch (IOException ignored) {
            // closing a pipe we read from loses nothing we still need
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

    /** Turns the end of stdout into the program's verdict, so a failed dump never looks complete. */
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
