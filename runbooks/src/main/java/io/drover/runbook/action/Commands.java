package io.drover.runbook.action;

import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFailedException;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.CommandOutput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs local commands for actions: argv, no shell, bounded by the step's deadline, output kept short. */
final class Commands {
    private Commands() {
    }

    /** What a finished command printed and returned. */
    record Result(int exitCode, CommandOutput output) {
        List<String> stderrTail() {
            return output.stderrTail();
        }

        /** {@code exit-code}, {@code stdout} and every {@code ::output} line. */
        ActionOutputs outputs() {
            return output.outputs(exitCode);
        }
    }

    /**
     * Runs {@code argv} until it exits or the context's deadline passes (then it and its children
     * are killed and the action fails). Standard input is empty.
     */
    static Result run(List<String> argv, Map<String, String> env, Optional<Path> dir, ActionContext context,
                      boolean logOutput) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        dir.ifPresent(d -> builder.directory(d.toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ActionFailedException("cannot start " + argv.getFirst() + ": " + e.getMessage());
        }
        CommandOutput output = new CommandOutput();
        Thread out = Thread.ofVirtual().start(() -> read(process.getInputStream(), line -> {
            output.stdoutLine(line);
            if (logOutput) {
                context.log().accept("| " + line);
            }
        }));
        Thread err = Thread.ofVirtual().start(() -> read(process.getErrorStream(), line -> {
            output.stderrLine(line);
            if (logOutput) {
                context.log().accept("! " + line);
            }
        }));
        try {
            long millis = Math.max(1, context.remaining().toMillis());
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new ActionFailedException(argv.getFirst() + " did not finish before the step's timeout; killed it",
                        output.stderrTail(), null);
            }
            out.join(2000);
            err.join(2000);
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        return new Result(process.exitValue(), output);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void read(InputStream in, Consumer<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.accept(line);
            }
        } catch (IOException e) {
            // The process was killed; what was read is kept.
        }
    }

    /** Where {@code program} would be found: itself if it names a path, else the first match on PATH. */
    static Optional<Path> resolveExecutable(String program, Map<String, String> env) {
        if (program.contains("/")) {
            Path path = Path.of(program);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String searchPath = env.getOrDefault("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        for (String dir : searchPath.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
