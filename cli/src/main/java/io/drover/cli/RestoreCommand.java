package io.drover.cli;

import io.drover.core.app.PointInTimeRestores;
import io.drover.core.app.RestoreService;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.DataSize;
import io.drover.core.restore.RestoreOptions;
import io.drover.core.restore.RestoreResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover restore ID --to DIR} or {@code drover restore ID --database NAME}. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a backup (applying its incremental chain) into a directory, or load a database backup",
            "into a named database (--database; created if missing, on the backed-up server or the one of --into).",
            "With --wal-job, a PostgreSQL base backup becomes a data directory in DIR that recovers to --target-time.",
            "Never writes outside DIR: '..', absolute paths, symlink and hardlink escapes and device nodes are refused and listed."})
final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "Backup id, or 'latest'.")
    String id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Destination destination;

    /** A directory or a database. */
    static final class Destination {
        @Option(names = "--to", required = true, paramLabel = "DIR", description = "Directory to restore into (created if missing).")
        Path to;

        @Option(names = "--database", required = true, paramLabel = "NAME",
                description = "Load a database backup into this database (created if missing).")
        String database;
    }

    @Option(names = "--into", paramLabel = "SOURCE",
            description = "With --database: load on the server of this source (same type) instead of the backed-up one.")
    String into;

    @Option(names = "--replace", description = "With --database: drop and recreate a database that already holds tables.")
    boolean replace;

    @Option(names = "--path", paramLabel = "SUBTREE", description = "Restore only this path (as listed by 'backup show --files').")
    String path;

    @Option(names = "--job", description = "With 'latest': the newest backup of this job.")
    String job;

    @Option(names = {"--from", "--target"}, paramLabel = "TARGET", description = "Restore from this target's copy (default: the first that holds the backup).")
    String target;

    @picocli.CommandLine.Mixin
    IdentityOption identity;

    @Option(names = "--wal-job", paramLabel = "JOB",
            description = {"With --to and a physical base backup (mode: physical): prepare a PostgreSQL data directory in DIR",
                "that recovers with the WAL archived by this job (mode: wal) when the server is started on it."})
    String walJob;

    @Option(names = "--target-time", paramLabel = "TIME",
            description = {"With --wal-job: recover to this time (ISO-8601 with a zone, e.g. 2026-03-01T12:30:00Z or",
                "2026-03-01T13:30:00+01:00); default: to the end of the archived WAL."})
    String targetTime;

    @Option(names = "--force", description = "Restore into a non-empty directory, replacing files with the same names.")
    boolean force;

    @Option(names = "--max-size", paramLabel = "SIZE", defaultValue = "16TiB", description = "Refuse restores larger than this (default: ${DEFAULT-VALUE}).")
    String maxSize;

    @Option(names = "--max-ratio", paramLabel = "N", defaultValue = "1000", description = "Refuse parts that expand more than N times their stored size, counted from at least 64 MiB (default: ${DEFAULT-VALUE}).")
    long maxRatio;

    @Option(names = "--no-owner", description = "Do not restore owners and groups (they are restored only when running as root).")
    boolean noOwner;

    /** An ISO-8601 instant, with Z or an offset; a time without a zone is refused rather than guessed. */
    static java.time.Instant parseTime(String text) {
        try {
            return java.time.OffsetDateTime.parse(text.strip()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "--target-time '" + text + "' is not an ISO-8601 time"
                    + " with a zone", "write e.g. 2026-03-01T12:30:00Z or 2026-03-01T13:30:00.250+01:00", List.of(), null);
        }
    }

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            identity.applyTo(ctx);
            long limit;
            try {
                limit = DataSize.parse(maxSize).bytes();
            } catch (IllegalArgumentException e) {
                throw new DroverException(DroverErrors.CONFIG_INVALID, "--max-size: " + e.getMessage());
            }
            var backupId = BackupIds.resolve(ctx, id, job);
            if (destination.database != null) {
                if (walJob != null || targetTime != null) {
                    throw new DroverException(DroverErrors.CONFIG_INVALID, "--wal-job and --target-time belong to --to DIR"
                            + " (a point-in-time restore prepares a data directory)");
                }
                if (path != null || force) {
                    throw new DroverException(DroverErrors.CONFIG_INVALID, "--path and --force belong to --to DIR;"
                            + " with --database, use --replace to overwrite a database");
                }
                String loaded = new RestoreService(ctx.runtime()).loadIntoDatabase(backupId, Optional.ofNullable(target),
                        destination.database, Optional.ofNullable(into), replace, ctx.actor());
                if (ctx.json()) {
                    ctx.printJson(java.util.Map.of("backup", backupId.value(), "database", destination.database, "loaded", loaded));
                } else {
                    ctx.out().println(loaded);
                }
                return 0;
            }
            if (into != null || replace) {
                throw new DroverException(DroverErrors.CONFIG_INVALID, "--into and --replace belong to --database NAME");
            }
            if (walJob != null) {
                if (path != null || force) {
                    throw new DroverException(DroverErrors.CONFIG_INVALID, "--path and --force do not apply to --wal-job:"
                            + " a data directory is restored whole, into a new or empty directory");
                }
                var outcome = new PointInTimeRestores(ctx.runtime()).restore(backupId, Optional.ofNullable(target), walJob,
                        destination.to, Optional.ofNullable(targetTime).map(RestoreCommand::parseTime), ctx.actor());
                if (ctx.json()) {
                    java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
                    json.put("backup", outcome.base().value());
                    json.put("walRecoveryPoints", outcome.walPoints().stream().map(b -> b.value()).toList());
                    json.put("windowStart", outcome.windowStart().toString());
                    json.put("windowEnd", outcome.windowEnd().toString());
                    json.put("targetTime", outcome.targetTime().map(Object::toString).orElse(null));
                    json.put("dataDirectory", outcome.dataDirectory().toString());
                    json.put("message", outcome.message());
                    ctx.printJson(json);
                } else {
                    ctx.out().printf("restorable window: %s to %s (%d WAL recovery points used)%n%s%n", outcome.windowStart(),
                            outcome.windowEnd(), outcome.walPoints().size(), outcome.message());
                }
                return 0;
            }
            if (targetTime != null) {
                throw new DroverException(DroverErrors.CONFIG_INVALID, "--target-time needs --wal-job JOB (the job that"
                        + " archives the WAL to roll the base backup forward with)");
            }
            Path to = destination.to;
            RestoreOptions options = new RestoreOptions(to, Optional.ofNullable(path), force, limit, maxRatio, !noOwner);
            RestoreResult result;
            try (Progress progress = Progress.start(ctx, "restore " + backupId, -1)) {
                result = new RestoreService(ctx.runtime()).restore(backupId, Optional.ofNullable(target), options,
                        progress::bytesRead, ctx.actor());
            }
            if (ctx.json()) {
                ctx.printJson(result);
            } else {
                ctx.out().printf("restored %s into %s: %d files, %d dirs, %d symlinks, %s%n", backupId, to.toAbsolutePath(),
                        result.files(), result.directories(), result.symlinks(), DataSize.format(result.bytes()));
            }
            if (result.clean()) {
                return 0;
            }
            List<String> details = new ArrayList<>();
            result.refused().forEach(r -> details.add("refused: " + r));
            result.problems().forEach(p -> details.add("problem: " + p));
            throw new DroverException(result.refused().isEmpty() ? DroverErrors.VERIFICATION_FAILED : DroverErrors.RESTORE_UNSAFE_ENTRIES,
                    "restore of " + backupId + " is incomplete: " + result.refused().size() + " entries refused, "
                            + result.problems().size() + " integrity problems; nothing was written outside " + to.toAbsolutePath(),
                    "run 'drover verify " + backupId + " --level deep' and restore from another copy if one exists", details, null);
        }
    }
}
