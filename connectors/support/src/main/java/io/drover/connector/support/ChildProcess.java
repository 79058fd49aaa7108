package io.drover.connector.support;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A started child process (a {@code command} source's command, {@code mariadb-dump}, {@code pg_dump},
 * ...) whose stdout is read by the caller as a stream or discarded, whose stdin is a file or empty,
 * whose stderr tail is kept for error messages, and which is killed with all its descendants when
 * it outlives its timeout.
 *
 * <p>Messages use only the name the caller gives ({@code pg_dump}, {@code command 'sh'}), never
 * the arguments: they may hold passwords, and hold host and user names that belong in the caller's
 * own messages. Failures read:
 * <ul>
 *   <li>{@code <name> could not be started: <reason>[; <hint>]}</li>
 *   <li>{@code <name> failed with exit code <n>: <stderr tail>}</li>
 *   <li>{@code <name> timed out after <limit> and was killed with its child processes: <stderr tail>}</li>
 * </ul>
 * where a missing stderr tail reads {@code (no output on stderr)}.
 *
 * <p>The stream from {@link #stdout()} turns its end into the process's verdict: a process that
 * failed or timed out throws there, so output it left half-written never looks complete.
 */
public final class ChildProcess implements AutoCloseable {
    /** How long to wait for stderr to drain after exit; a daemon left behind may hold it open. */
    private static final Duration STDERR_DRAIN = Duration.ofSeconds(5);
    /** The most output {@link Builder#run()} collects: the programs whose output is collected print little. */
    static final int MAX_COLLECTED = 64 * 1024 * 1024;

    private final String name;
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

    private ChildProcess(String name, Process process, Duration timeout, Duration reportedTimeout) {
        this.name = name;
        this.process = process;
        this.timeout = timeout;
        this.reportedTimeout = reportedTimeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.stdout = new CheckedAtEnd(process.getInputStream());
        this.stderrReader = Thread.ofVirtual().name("child-stderr-" + name).start(this::drainStderr);
        this.watchdog = Thread.ofVirtual().name("child-watchdog-" + name).start(this::killAtDeadline);
    }

    /**
     * A child process to start.
     *
     * @param name    how messages name it: the program ({@code pg_dump}) or a phrase that holds only
     *                the program ({@code command 'sh'}); never the arguments
     * @param command the program and its arguments
     */
    public static Builder builder(String name, List<String> command) {
        return new Builder(name, command);
    }

    /** What to start and how; {@link #timeout(Duration)} is required. */
    public static final class Builder {
        private final String name;
        private final List<String> command;
        private final List<Consumer<Map<String, String>>> environmentChanges = new ArrayList<>();
        private Optional<Path> workingDirectory = Optional.empty();
        private Optional<Path> stdin = Optional.empty();
        private boolean discardStdout;
        private Duration timeout;
        private Duration reportedTimeout;
        private String startHint = "";

        private Builder(String name, List<String> command) {
            this.name = Objects.requireNonNull(name, "name");
            this.command = List.copyOf(command);
            if (this.command.isEmpty()) {
                throw new IllegalArgumentException("a command needs at least the program");
            }
        }

        /** Runs the process in {@code directory} instead of drover's working directory. */
        public Builder workingDirectory(Path directory) {
            this.workingDirectory = Optional.of(directory);
            return this;
        }

        /** {@link #workingDirectory(Path)} when present. */
        public Builder workingDirectory(Optional<Path> directory) {
            this.workingDirectory = directory;
            return this;
        }

        /** Reads stdin from {@code file}; without it, stdin is empty, so a process that reads it never waits. */
        public Builder stdin(Path file) {
            this.stdin = Optional.of(file);
            return this;
        }

        /** Discards stdout instead of handing it to {@link ChildProcess#stdout()}, which is then empty. */
        public Builder discardStdout() {
            this.discardStdout = true;
            return this;
        }

        /**
         * Sets variables in the environment inherited from drover; a {@code null} value removes the
         * variable. Changes apply in the order they are made.
         */
        public Builder environment(Map<String, String> changes) {
            Map<String, String> copy = new LinkedHashMap<>(changes);
            environmentChanges.add(env -> copy.forEach((key, value) -> {
                if (value == null) {
                    env.remove(key);
                } else {
                    env.put(key, value);
                }
            }));
            return this;
        }

        /** Removes {@code names} from the inherited environment (e.g. {@code PGPASSWORD}, {@code MYSQL_PWD}). */
        public Builder removeEnvironment(String... names) {
            List<String> copy = List.of(names);
            environmentChanges.add(env -> copy.forEach(env::remove));
            return this;
        }

        /**
         * Removes every inherited variable whose value contains {@code secret}, so a password drover
         * itself got from its environment does not travel on to the child. An empty secret removes nothing.
         */
        public Builder removeEnvironmentContaining(Optional<String> secret) {
            secret.filter(s -> !s.isEmpty())
                    .ifPresent(s -> environmentChanges.add(env -> env.values().removeIf(v -> v.contains(s))));
            return this;
        }

        /** Kills the process (and its descendants) once it has run this long; a non-positive timeout is 1 ms. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
            return this;
        }

        /**
         * The limit timeout messages name, when {@link #timeout(Duration)} is only what is left of it
         * (e.g. the configured timeout of a backup of which earlier steps used a part).
         */
        public Builder reportedTimeout(Duration limit) {
            this.reportedTimeout = limit;
            return this;
        }

        /**
         * Appended to the message when the program cannot be started, e.g. {@code install it or set
         * client-bin to the directory that holds it}.
         */
        public Builder startHint(String hint) {
            this.startHint = hint;
            return this;
        }

        /** Starts the process. */
        public ChildProcess start() throws IOException {
            if (timeout == null) {
                throw new IllegalStateException("a child process needs a timeout");
            }
            ProcessBuilder builder = new ProcessBuilder(command);
            workingDirectory.ifPresent(dir -> builder.directory(dir.toFile()));
            Map<String, String> env = builder.environment();
            environmentChanges.forEach(change -> change.accept(env));
            stdin.ifPresent(file -> builder.redirectInput(file.toFile()));
            if (discardStdout) {
                builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                // The JDK's message names the program and the reason (e.g. "No such file or directory"), never the arguments.
                throw new IOException(name + " could not be started: " + e.getMessage()
                        + (startHint.isEmpty() ? "" : "; " + startHint), e);
            }
            if (stdin.isEmpty()) {
                // An empty stdin, so a process that reads it does not wait forever.
                process.getOutputStream().close();
            }
            return new ChildProcess(name, process, timeout, reportedTimeout == null ? timeout : reportedTimeout);
        }

        /**
         * Runs the process to its end and returns its stdout (at most 64 MiB, for programs that
         * print little: versions, queries); a failure or timeout throws.
         */
        public byte[] run() throws IOException {
            try (ChildProcess child = start()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                try (InputStream in = child.stdout()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        if (out.size() + n > MAX_COLLECTED) {
                            throw new IOException(name + " printed more than " + MAX_COLLECTED / (1024 * 1024) + " MiB");
                        }
                        out.write(buffer, 0, n);
                    }
                }
                child.awaitSuccess();
                return out.toByteArray();
            }
        }
    }

    /**
     * The process's stdout (empty when discarded). At its end, the exit is awaited and a failure
     * thrown; a read that fails because the timeout killed the process throws the timeout.
     */
    public InputStream stdout() {
        return stdout;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Waits for the process to exit within its timeout and throws, with the stderr tail, if it
     * failed or timed out. Idempotent: later calls repeat the first outcome.
     */
    public synchronized void awaitSuccess() throws IOException {
        if (!finished) {
            failure = waitForExit();
            finished = true;
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** What the process wrote on stderr so far (its tail), e.g. the warnings of a successful run. */
    public String stderrTail() {
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
                return new IOException(name + " timed out after " + HumanDuration.format(reportedTimeout)
                        + " and was killed with its child processes" + stderrSuffix());
            }
            int exitCode = process.exitValue();
            if (exitCode != 0) {
                return new IOException(name + " failed with exit code " + exitCode + stderrSuffix());
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree();
            throw new InterruptedIOException("interrupted while waiting for " + name);
        }
    }

    private String stderrSuffix() {
        String tail = stderr.toString();
        return tail.isEmpty() ? " (no output on stderr)" : ": " + tail;
    }

    /** Closes stdout, so a process that is still writing gets SIGPIPE instead of blocking until its timeout. */
    public void closeStdout() {
        try {
            stdout.close();
        } catch (IOException ignored) {
            // Closing a pipe we read from cannot lose data we still need.
        }
    }

    /** Kills the process tree if it is still running, and stops watching it. */
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
            // close() stops the watchdog once the process is done with.
        }
    }

    /**
     * Kills the process and everything it started. Descendants are collected before the parent
     * dies, since afterwards they are re-parented and no longer found; a child left alive would
     * keep stdout open and the caller waiting.
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

    /** Turns the end of stdout into the process's verdict, so a failed dump never looks complete. */
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
