package io.drover.connector.filesystem;

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
 * A started child process whose stdout is read by the caller, whose stderr tail is kept for error
 * messages, and which is killed with all its descendants when it outlives its timeout.
 *
 * <p>Messages name only the program (argv[0]): arguments may contain secrets.
 */
final class RunningCommand implements AutoCloseable {
    /** How long to wait for stderr to drain after exit; a daemon left behind may hold it open. */
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
        this.stderrReader = Thread.ofVirtual().name("command-stderr-" + program).start(this::drainStderr);
        this.watchdog = Thread.ofVirtual().name("command-watchdog-" + program).start(this::killAtDeadline);
    }

    static RunningCommand start(List<String> command, Optional<Path> workingDirectory, Map<String, String> environment,
                                Duration timeout) throws IOException {
        String program = command.getFirst();
        ProcessBuilder builder = new ProcessBuilder(command);
        workingDirectory.ifPresent(dir -> builder.directory(dir.toFile()));
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            // The JDK's message names the program and the reason (e.g. "No such file or directory"), never the arguments.
            throw new IOException("command '" + program + "' could not be started: " + e.getMessage()
                    + "; check that it is installed and on drover's PATH", e);
        }
        // The command gets an empty stdin, so one that reads it does not wait forever.
        process.getOutputStream().close();
        return new RunningCommand(program, process, timeout);
    }

    /** The command's stdout; at its end, the command's exit is awaited and a failure thrown. */
    InputStream stdout() {
        return stdout;
    }

    /**
     * Waits for the command to exit within its timeout and throws if it failed or timed out.
     * Idempotent: later calls repeat the first outcome.
     */
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
            if (timedOut.get()) {
                return new IOException("command '" + program + "' timed out after " + HumanDuration.format(timeout)
                        + " and was killed with its child processes" + stderrSuffix());
            }
            stderrReader.join(STDERR_DRAIN);
            int exitCode = process.exitValue();
            if (exitCode != 0) {
                return new IOException("command '" + program + "' exited with code " + exitCode + stderrSuffix());
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree();
            throw new InterruptedIOException("interrupted while waiting for command '" + program + "'");
        }
    }

    private String stderrSuffix() {
        String tail = stderr.toString();
        return tail.isEmpty() ? " (no output on stderr)" : ": " + tail;
    }

    /** Closes stdout, so a command that is still writing gets SIGPIPE instead of blocking forever. */
    void closeStdout() {
        try {
            stdout.close();
        } catch (IOException ignored) {
            // Closing a pipe we read from cannot lose data we still need.
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
                // Flag first, so whoever sees the stream end knows why.
                timedOut.set(true);
                killTree();
            }
        } catch (InterruptedException closed) {
            // close() stops the watchdog once the command is done with.
        }
    }

    /**
     * Kills the command and everything it started. Descendants are collected before the parent
     * dies, since afterwards they are re-parented and no longer found; a child left alive would
     * keep stdout open and the backup waiting.
     */
    private void killTree() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private void drainStderr() {
        try (InputStream in = process.getErrorStream()) {
            in.transferTo(stderr);
        } catch (IOException ignored) {
            // The stream closes when the process is killed; what we have is the tail.
        }
    }

    /** Turns the end of stdout into the command's verdict, so a failed dump never looks complete. */
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
                // A kill at the deadline can close the pipe under us; say that it was the timeout.
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
