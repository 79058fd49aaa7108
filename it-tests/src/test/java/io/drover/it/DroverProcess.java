package io.drover.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running drover CLI process ({@code -Xmx256m}), e.g. the daemon, that the test signals
 * (SIGTERM, SIGKILL) and watches while it runs; {@link DroverRunner} runs commands to completion.
 */
public final class DroverProcess implements AutoCloseable {
    /** Exit code of a JVM killed with SIGKILL, and after SIGTERM once its shutdown hooks ran. */
    public static final int SIGKILL_EXIT = 128 + 9;
    public static final int SIGTERM_EXIT = 128 + 15;

    private final Process process;
    private final Path out;
    private final Path err;

    private DroverProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code drover --config CONFIG ARGS...}; logs go to {@code logs/NAME.out|.err}. */
    public static DroverProcess start(Path config, Path logs, String name, Map<String, String> env, String... args)
            throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new AssertionError("path of the running java unknown"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", DroverRunner.droverJar().toString(), "--config",
                config.toString()));
        command.addAll(List.of(args));
        Files.createDirectories(logs);
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        return new DroverProcess(process, out, err);
    }


    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM: the daemon's graceful shutdown. */
    public void sigterm() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook runs, nothing is cleaned up. */
    public void sigkill() {
        process.destroyForcibly();
    }

    /** Waits for the exit; fails the test if it takes longer than {@code limit}. */
    public int waitFor(Duration limit) throws InterruptedException, IOException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("drover did not exit within " + limit + "\n" + log());
        }
        return process.exitValue();
    }

    public String stdout() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    public String log() throws IOException {
        return "--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + stderr();
    }

    /** Waits until stdout contains {@code text} (the daemon prints its address once it listens). */
    public void awaitStdout(String text, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!stdout().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("drover exited (code " + process.exitValue() + ") before printing '" + text + "'\n"
                        + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("drover did not print '" + text + "' within " + limit + "\n" + log());
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
