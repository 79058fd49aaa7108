package io.drover.cli;

import io.drover.core.app.BackupService;
import io.drover.core.app.DroverRuntime;
import io.drover.core.app.InitService;
import io.drover.core.app.RestoreService;
import io.drover.core.app.TreeDiff;
import io.drover.core.app.VerifyService;
import io.drover.core.config.ConfigLoader;
import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.crypto.AgeKeys;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.DataSize;
import io.drover.core.model.VerificationLevel;
import io.drover.core.repository.BackupProgress;
import io.drover.core.restore.RestoreOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code drover quickstart}: a complete tour on the embedded defaults. Creates a workspace with
 * sample data, a key and a local repository; backs up, verifies, restores and compares.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Try drover end to end in a scratch workspace: sample data, an age key, a local repository;",
            "backup -> verify -> restore -> compare, then an incremental. Prints the commands to try next."})
final class QuickstartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "Workspace directory (default: a new one under the temp directory).")
    Path dir;

    /**
     * Set by the launcher's training run of the start-up cache, followed by the arguments of the
     * command that started the training: the storage connectors of that command's config run their
     * workloads before the tour. Only those: an AOT cache loads everything it holds at every start,
     * and the S3 SDK's classes made every local command about 50 ms slower.
     */
    @Option(names = "--exercise-connectors", hidden = true)
    boolean exerciseConnectors;

    @picocli.CommandLine.Parameters(hidden = true)
    List<String> trainingArgs = List.of();

    @Override
    public Integer call() throws IOException {
        if (!trainingArgs.isEmpty() && !exerciseConnectors) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "quickstart takes no arguments: " + trainingArgs);
        }
        Path workspace = dir != null ? Files.createDirectories(dir).toAbsolutePath()
                : Files.createTempDirectory("drover-quickstart-").toAbsolutePath();
        if (Files.exists(workspace.resolve("drover.yaml"))) {
            throw new DroverException(DroverErrors.RESTORE_TARGET_NOT_EMPTY, workspace + " already holds a quickstart",
                    "choose another --dir or leave it out", List.of(), null);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path data = workspace.resolve("data");
        Path config = workspace.resolve("drover.yaml");
        step(out, "1/7", "sample data in " + data);
        writeSampleData(data);
        step(out, "2/7", "age key pair in " + workspace.resolve("key.txt") + " (a real deployment keeps it offline)");
        AgeKeys.GeneratedKey key = AgeKeys.generate();
        Path keyFile = workspace.resolve("key.txt");
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, key.identityFile(Instant.now()));
        Files.writeString(config, configText(workspace, key.recipient()));
        step(out, "3/7", "config " + config + " (embedded catalog under " + workspace.resolve("state") + ")");

        var registry = ConnectorRegistry.discover();
        if (exerciseConnectors) {
            exercise(registry, targetTypesOf(registry, trainingArgs), spec.commandLine().getErr());
        }
        var loaded = new ConfigLoader(registry, System::getenv).load(config);
        String actor = System.getProperty("user.name", "unknown");
        try (DroverRuntime runtime = new DroverRuntime(loaded, registry, Clock.systemUTC(), System::getenv)) {
            var init = new InitService(runtime).initialize(List.of("local"), actor);
            step(out, "4/7", "repository created in " + init.get(0).description());

            var full = new BackupService(runtime).run("sample-files", BackupProgress.NONE, actor).manifest();
            step(out, "5/7", "full backup " + full.id() + ": " + full.stats().files() + " files, "
                    + DataSize.format(full.stats().plainBytes()) + " -> " + DataSize.format(full.stats().storedBytes())
                    + " stored (zstd + age)");
            VerifyService verify = new VerifyService(runtime);
            for (VerificationLevel level : VerificationLevel.values()) {
                var report = verify.verify("local", full.id(), level);
                out.printf("        verify %-7s %s%n", level.id(), report.passed() ? "passed" : "FAILED " + report.findings());
                if (!report.passed()) {
                    return io.drover.core.error.ErrorType.INTEGRITY.exitCode();
                }
            }
            Path restored = workspace.resolve("restored-full");
            boolean fullOk = restoreAndCompare(runtime, full.id(), restored, data, out, actor);

            Files.writeString(data.resolve("etc/app.conf"), "# changed after the first backup\nlisten = 0.0.0.0:9090\n");
            Files.writeString(data.resolve("notes/new-file.txt"), "added after the first backup\n");
            Files.delete(data.resolve("notes/todo.txt"));
            var incremental = new BackupService(runtime).run("sample-files", BackupProgress.NONE, actor).manifest();
            step(out, "6/7", "changed 1 file, added 1, deleted 1; incremental backup " + incremental.id() + ": "
                    + incremental.stats().newFiles() + " new, " + incremental.stats().changedFiles() + " changed, "
                    + incremental.stats().unchangedFiles() + " unchanged, " + incremental.stats().removedFiles() + " removed");
            boolean incrementalOk = restoreAndCompare(runtime, incremental.id(), workspace.resolve("restored-incremental"),
                    data, out, actor);

            step(out, "7/7", fullOk && incrementalOk ? "restored data is identical to the original (contents, modes, mtimes, symlinks)"
                    : "RESTORED DATA DIFFERS FROM THE ORIGINAL");
            out.println();
            String drover = launcher();
            out.println("Try next (the workspace is kept):");
            out.println("  cd " + workspace);
            out.println("  " + drover + " --config drover.yaml backup list");
            out.println("  " + drover + " --config drover.yaml backup show latest --files");
            out.println("  " + drover + " --config drover.yaml verify --all --level deep");
            out.println("  " + drover + " --config drover.yaml restore latest --to /tmp/restore-test");
            out.println("  age -d -i key.txt repo/backups/" + full.id() + "/part-000001.tar.zst.age | zstd -d | tar -tv");
            out.flush();
            return fullOk && incrementalOk ? 0 : io.drover.core.error.ErrorType.INTEGRITY.exitCode();
        }
    }

    private static boolean restoreAndCompare(DroverRuntime runtime, io.drover.core.model.BackupId id, Path restored, Path original,
                                             PrintWriter out, String actor) throws IOException {
        var result = new RestoreService(runtime).restore(id, Optional.of("local"),
                new RestoreOptions(restored, Optional.empty(), false, Long.MAX_VALUE, RestoreOptions.DEFAULT_MAX_RATIO, false),
                n -> { }, actor);
        // Files are restored under their absolute path, so the data sits at restored/<workspace>/data.
        Path copy = restored.resolve(original.toString().substring(1));
        List<String> differences = TreeDiff.compare(original, copy);
        out.printf("        restore into %s: %d files; compare with %s: %s%n", restored, result.files(), original,
                differences.isEmpty() && result.clean() ? "identical" : differences.size() + " differences");
        differences.stream().limit(10).forEach(d -> out.println("          " + d));
        return differences.isEmpty() && result.clean();
    }

    /**
     * Runs every storage connector's workload for the start-up cache (see
     * {@link io.drover.core.spi.StorageTargetFactory#exerciseForStartupCache}); a failure only
     * makes the cache cover less, so it is reported and the tour goes on.
     */
    static void exercise(ConnectorRegistry registry, java.util.Set<String> types, PrintWriter err) {
        for (var factory : registry.storageTargetFactories()) {
            if (!types.contains(factory.type())) {
                continue;
            }
            try {
                factory.exerciseForStartupCache();
            } catch (Exception | LinkageError e) {
                err.println("drover: the " + factory.type() + " connector's start-up cache workload failed: " + e);
                err.flush();
            }
        }
    }

    /**
     * The storage-target types of the config that {@code args} (a drover command line) names, found
     * as the command finds it; none when it cannot be loaded.
     */
    static java.util.Set<String> targetTypesOf(ConnectorRegistry registry, List<String> args) {
        try {
            Optional<Path> named = Prewarm.optionValue(args, "-c", "--config").map(Path::of);
            Path config = ConfigLoader.locate(named, System::getenv, Path.of("").toAbsolutePath());
            var loaded = new ConfigLoader(registry, System::getenv).load(config);
            java.util.Set<String> types = new java.util.TreeSet<>();
            loaded.targets().values().forEach(target -> types.add(target.type()));
            return types;
        } catch (RuntimeException e) {
            return java.util.Set.of();
        }
    }

    /** How the user started drover (bin/drover exports its own path), so the hints can be pasted as they are. */
    private static String launcher() {
        String path = System.getenv("DROVER_LAUNCHER");
        return path == null || path.isBlank() ? "drover" : path;
    }

    private static void step(PrintWriter out, String number, String text) {
        out.printf("[%s] %s%n", number, text);
        out.flush();
    }

    private static String configText(Path workspace, String recipient) {
        return """
                # drover quickstart config: one local repository, one file source, one job, one service.
                state-dir: %1$s/state
                encryption:
                  recipients: [%2$s]
                  identity: "${file:%1$s/key.txt}"
                targets:
                  local: { type: local, path: %1$s/repo }
                sources:
                  sample: { type: files, paths: [%1$s/data], exclude: ["**/*.tmp"] }
                jobs:
                  sample-files:
                    source: sample
                    targets: [local]
                    full-every: 7
                    verify: { after-backup: quick }
                services:
                  sample-app:
                    tier: 2
                    owner: it-ops
                    rpo: 1h
                    rto: 30m
                    protected-by: [sample-files]
                """.formatted(workspace, recipient);
    }

    private static void writeSampleData(Path data) throws IOException {
        Files.createDirectories(data.resolve("etc"));
        Files.createDirectories(data.resolve("notes"));
        Files.createDirectories(data.resolve("bin"));
        Files.createDirectories(data.resolve("empty-dir"));
        Files.writeString(data.resolve("etc/app.conf"), "# sample application config\nlisten = 0.0.0.0:8080\nworkers = 4\n");
        Files.writeString(data.resolve("notes/todo.txt"), "- test a restore every week\n- keep the key offline\n");
        StringBuilder csv = new StringBuilder("id,customer,amount\n");
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            csv.append(i).append(",customer-").append(random.nextInt(500)).append(',').append(random.nextInt(100_000) / 100.0).append('\n');
        }
        Files.writeString(data.resolve("notes/orders.csv"), csv);
        byte[] noise = new byte[1 << 20];
        random.nextBytes(noise);
        Files.write(data.resolve("notes/photo.bin"), noise);
        Path script = data.resolve("bin/rotate-logs.sh");
        Files.writeString(script, "#!/bin/sh\nfind /var/log/app -name '*.log' -mtime +7 -delete\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(data.resolve("current.conf"), Path.of("etc/app.conf"));
    }
}
