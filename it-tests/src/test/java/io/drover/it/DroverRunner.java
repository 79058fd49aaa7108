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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real CLI jar ({@code cli/target/drover.jar}) run as a child process, as an operator runs
 * it: its own JVM with its own heap limit and environment, output in log files.
 */
public final class DroverRunner {
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment;
    private final Path logs;

    /**
     * @param logs        directory for every run's {@code NAME.out}, {@code NAME.err} and {@code NAME.gc.log}
     * @param environment added to the child's environment (e.g. credentials the config references)
     * @param jvmOptions  e.g. {@code -Xmx256m}
     */
    public DroverRunner(Path logs, Map<String, String> environment, List<String> jvmOptions) {
        this.logs = logs;
        this.environment = Map.copyOf(environment);
        this.jvmOptions.addAll(jvmOptions);
    }

    /** How a finished run ended, with its output and the heap its GC log shows. */
    public record Run(String name, int exitCode, Duration elapsed, String out, String err, HeapUse heap) {
        @Override
        public String toString() {
            return name + ": exit " + exitCode + " after " + elapsed.toMillis() + " ms\n--- stdout ---\n" + out
                    + "\n--- stderr ---\n" + err;
        }
    }

    /**
     * Heap figures from a {@code -Xlog:gc} log, in MiB: the live data after a collection is what
     * drover really holds; before a collection is how far the heap filled.
     */
    public record HeapUse(int collections, double maxBeforeGcMiB, double maxAfterGcMiB, double maxCommittedMiB) {
        static HeapUse parse(Path gcLog) throws IOException {
            int count = 0;
            double before = 0;
            double after = 0;
            double committed = 0;
            if (Files.exists(gcLog)) {
                for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
                    Matcher m = GC_LINE.matcher(line);
                    if (m.find()) {
                        count++;
                        before = Math.max(before, mib(m.group(1), m.group(2)));
                        after = Math.max(after, mib(m.group(3), m.group(4)));
                        committed = Math.max(committed, mib(m.group(5), m.group(6)));
                    }
                }
            }
            return new HeapUse(count, before, after, committed);
        }

        private static double mib(String value, String unit) {
            long n = Long.parseLong(value);
            return switch (unit) {
                case "K" -> n / 1024.0;
                case "M" -> n;
                default -> n * 1024.0;
            };
        }

        @Override
        public String toString() {
            return String.format("%d GCs, heap max %.0f MiB before GC, %.0f MiB after GC, %.0f MiB committed",
                    collections, maxBeforeGcMiB, maxAfterGcMiB, maxCommittedMiB);
        }
    }

    /** Starts {@code drover ARGS...}; {@link #await} collects the result. */
    public Process start(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmOptions);
        command.add("-Xlog:gc:file=" + gcLog(name));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-jar");
        command.add(droverJar().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(logs.resolve(name + ".out").toFile())
                .redirectError(logs.resolve(name + ".err").toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /** Runs {@code drover ARGS...} to its end (at most {@code timeout}). */
    public Run run(Duration timeout, String name, String... args) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process process = start(name, args);
        return await(process, name, timeout, started);
    }

    private Run await(Process process, String name, Duration timeout, long started) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(1, TimeUnit.MINUTES);
            throw new AssertionError("drover " + name + " did not finish within " + timeout + "\n" + log(name));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return new Run(name, process.exitValue(), elapsed, read(logs.resolve(name + ".out")), read(logs.resolve(name + ".err")),
                HeapUse.parse(gcLog(name)));
    }

    private Path gcLog(String name) {
        return logs.resolve(name + ".gc.log");
    }

    /** A finished or killed run's output, for assertion messages. */
    public String log(String name) throws IOException {
        return "--- stdout ---\n" + read(logs.resolve(name + ".out")) + "\n--- stderr ---\n" + read(logs.resolve(name + ".err"));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    /** The java that runs this test: the child gets the same JDK. */
    private static String java() {
        return ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("path of the running java unknown"));
    }

    /** The shaded CLI jar of this checkout. */
    public static Path droverJar() {
        for (Path candidate : List.of(Path.of("../cli/target/drover.jar"), Path.of("cli/target/drover.jar"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new AssertionError("cli/target/drover.jar not found from " + Path.of("").toAbsolutePath()
                + ": build it first (mvn install -DskipTests)");
    }
}
