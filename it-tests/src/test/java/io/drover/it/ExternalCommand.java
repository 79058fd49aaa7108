package io.drover.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real tool (diff, tar, age, zstd, cp) and captures its exit code and combined output. */
public final class ExternalCommand {
    private ExternalCommand() {
    }

    /** Result of a tool run; {@code output} holds stdout and stderr interleaved. */
    public record Result(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + ":\n" + output;
        }
    }

    public static Result run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("drover-it-cmd-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** {@code bash -c script} with {@code set -euo pipefail}. */
    public static Result bash(String script) throws IOException, InterruptedException {
        return run(List.of("bash", "-c", "set -euo pipefail\n" + script));
    }

    /** Whether {@code tool} is an executable on the PATH. */
    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Single-quotes {@code text} for a bash script. */
    public static String quote(Object text) {
        return "'" + text.toString().replace("'", "'\\''") + "'";
    }
}
