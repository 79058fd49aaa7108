package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.app.TreeDiff;
import io.drover.core.repository.Json;
import io.drover.core.testing.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A large backup to both offsite target types with a small heap (issue must-show 2: "a 2 GiB
 * backup to S3 and to SFTP with a heap limit of 256 MiB; restore identical"). The real CLI jar
 * runs as a child JVM with {@code -Xmx256m}, as an operator would run it, against s3proxy with its
 * filesystem store and Debian's real OpenSSH server on loopback. One job writes both targets in one
 * pass (the config model's 3-2-1 way); then each target's copy is restored on its own
 * ({@code restore --from}) and compared file by file with the source by SHA-256, and deep-verified
 * ({@code verify --level deep --from}). Every child JVM must exit 0 without an OutOfMemoryError
 * ({@code -XX:+ExitOnOutOfMemoryError} makes one in any thread fatal instead of a caught error);
 * each one's GC log gives the heap figures printed at the end.
 *
 * <p>Size: {@code -Ddrover.it.offsite.sizeMiB=N} (or the environment variable of that name),
 * 2048 by default. Everything lives below {@code target/offsite-large-backup} (about 4.5x the size
 * at the peak: source, both repositories, one restore) and is deleted afterwards, logs included
 * unless the test failed.
 */
class OffsiteLargeBackupIT {
    private static final String SIZE_PROPERTY = "drover.it.offsite.sizeMiB";
    private static final long SEED = 0x0FF5_17E2L;
    private static final String HEAP = "256m";
    private static final long HEAP_MIB = 256;
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(20);

    private final Path root = Path.of("target", "offsite-large-backup").toAbsolutePath();
    private boolean passed;

    @BeforeEach
    void clean() throws IOException {
        deleteTree(root); // an interrupted earlier run may have left GiBs behind
        Files.createDirectories(root);
    }

    @AfterEach
    void removeData() throws IOException {
        if (passed) {
            deleteTree(root);
        } else {
            // Keep the logs of a failure, drop the GiBs of data.
            for (String big : List.of("data", "servers", "restore")) {
                deleteTree(root.resolve(big));
            }
        }
    }

    @Test
    void largeBackupToS3AndSftpWithSmallHeapRestoresIdenticallyFromEach() throws Exception {
        long sizeMiB = Long.parseLong(TestServices.setting(SIZE_PROPERTY, "2048"));
        Map<String, String> timings = new LinkedHashMap<>();

        long t0 = System.nanoTime();
        Path data = root.resolve("data");
        SampleTrees.TreeStats tree = SampleTrees.largeMixedTree(data, sizeMiB << 20, SEED);
        timings.put("generate", seconds(t0));
        assertThat(tree.bytes()).isEqualTo(sizeMiB << 20);

        Path logs = Files.createDirectories(root.resolve("logs"));
        try (OffsiteServers servers = OffsiteServers.start(root.resolve("servers"))) {
            // Parts of 128 MiB of plaintext: a 2 GiB backup spans ~16 objects per target, each a
            // multipart upload on S3 (16 MiB parts), so part and object boundaries are both crossed.
            DroverWorkspace ws = DroverWorkspace.in(root.resolve("ws")).source(data).partSize("128MiB").fullEvery(1)
                    .targets(servers.targetsYaml("it"), OffsiteServers.S3_TARGET, OffsiteServers.SFTP_TARGET).create();
            DroverRunner drover = new DroverRunner(logs, servers.environment(),
                    List.of("-Xmx" + HEAP, "-XX:-HeapDumpOnOutOfMemoryError", "-XX:+ExitOnOutOfMemoryError"));
            String config = ws.configFile().toString();
            List<DroverRunner.Run> runs = new ArrayList<>();

            runs.add(succeeded(drover.run(COMMAND_TIMEOUT, "init", "--config", config, "init")));
            DroverRunner.Run backup = succeeded(drover.run(COMMAND_TIMEOUT, "backup", "--config", config, "--output", "json",
                    "backup", "run", DroverWorkspace.JOB));
            runs.add(backup);
            timings.put("backup (both targets)", seconds(backup.elapsed()));
            JsonNode backed = Json.MAPPER.readTree(backup.out());
            String id = backed.get("id").asString();

            for (String target : List.of(OffsiteServers.S3_TARGET, OffsiteServers.SFTP_TARGET)) {
                Path restore = root.resolve("restore");
                DroverRunner.Run restored = succeeded(drover.run(COMMAND_TIMEOUT, "restore-" + target, "--config", config,
                        "restore", id, "--from", target, "--to", restore.toString()));
                runs.add(restored);
                timings.put("restore from " + target, seconds(restored.elapsed()));
                long compared = System.nanoTime();
                List<String> differences = TreeDiff.compare(data, DroverWorkspace.restoredCopy(restore, data));
                timings.put("compare " + target, seconds(compared));
                assertThat(differences).as("restore from %s differs from the source", target).isEmpty();
                deleteTree(restore);

                DroverRunner.Run verified = succeeded(drover.run(COMMAND_TIMEOUT, "verify-" + target, "--config", config,
                        "--output", "json", "verify", id, "--level", "deep", "--from", target));
                runs.add(verified);
                timings.put("deep verify " + target, seconds(verified.elapsed()));
                assertThat(findings(Json.MAPPER.readTree(verified.out()))).as("deep verification of %s\n%s", target, verified)
                        .isEmpty();
            }

            long s3Bytes = bytesBelow(root.resolve("servers/s3"));
            long sftpBytes = bytesBelow(root.resolve("servers/sftp/repos"));
            assertThat(s3Bytes).as("bytes stored by s3proxy").isGreaterThan(tree.randomBytes());
            assertThat(sftpBytes).as("bytes stored over SFTP").isGreaterThan(tree.randomBytes());

            StringBuilder report = new StringBuilder(String.format("OffsiteLargeBackupIT: %d files, %d MiB (%d MiB random);"
                    + " stored %d MiB on S3, %d MiB over SFTP; -Xmx%s%n", tree.files(), tree.bytes() >> 20, tree.randomBytes() >> 20,
                    s3Bytes >> 20, sftpBytes >> 20, HEAP));
            timings.forEach((step, secs) -> report.append(String.format("  %-24s %s s%n", step, secs)));
            for (DroverRunner.Run run : runs) {
                report.append(String.format("  heap of %-16s %s%n", run.name(), run.heap()));
                assertThat(run.heap().maxAfterGcMiB()).as("live heap of %s", run.name()).isLessThanOrEqualTo(HEAP_MIB);
            }
            System.out.print(report);
            Files.writeString(logs.resolve("report.txt"), report);
        }
        passed = true;
    }

    /** Exit 0, and no OutOfMemoryError anywhere in the output (not even one drover caught and reported). */
    private static DroverRunner.Run succeeded(DroverRunner.Run run) {
        assertThat(run.out() + run.err()).as("%s ran out of heap\n%s", run.name(), run).doesNotContain("OutOfMemoryError");
        assertThat(run.exitCode()).as("%s", run).isZero();
        return run;
    }

    /** The findings of a {@code verify --output json} document (one report or an array of them). */
    private static List<String> findings(JsonNode reports) {
        List<String> findings = new ArrayList<>();
        List<JsonNode> all = new ArrayList<>();
        if (reports.isArray()) {
            reports.forEach(all::add);
        } else {
            all.add(reports);
        }
        assertThat(all).as("verification reports").isNotEmpty();
        for (JsonNode report : all) {
            assertThat(report.has("findings")).as("a report with findings: %s", report).isTrue();
            report.get("findings").forEach(f -> findings.add(f.toString()));
        }
        return findings;
    }

    private static String seconds(long startedNanos) {
        return seconds(Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f", duration.toMillis() / 1000.0);
    }

    private static long bytesBelow(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
