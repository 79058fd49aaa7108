package io.drover.core.app;

import io.drover.core.catalog.RecoveryPointQuery;
import io.drover.core.catalog.RecoveryPointRecord;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.Repository;
import io.drover.core.restore.RestoreOptions;
import io.drover.core.restore.RestoreResult;
import io.drover.core.restore.Restorer;
import io.drover.core.spi.PhysicalRestorable;
import io.drover.core.spi.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Point-in-time restores: a physical base backup plus the archived WAL of a WAL job, handed to the
 * connector that wrote them ({@link PhysicalRestorable}), which prepares a data directory that
 * recovers to the target time when the database server is started on it.
 *
 * <p>The restorable window runs from the base backup's {@code capturedAt} (its files are consistent
 * only from the end of the backup) to the {@code capturedAt} of the WAL job's newest recovery point
 * (everything committed before it is archived). The WAL comes from every recovery point of the WAL
 * job captured after the base backup started, and from the newest one before (clocks may differ a
 * little; an extra earlier point costs a few segments and is never wrong), restored oldest first so
 * that a later copy of a {@code .partial} segment replaces an earlier one.
 */
public final class PointInTimeRestores {
    private static final int MAX_WAL_POINTS = 1_000_000;

    private final DroverRuntime runtime;

    public PointInTimeRestores(DroverRuntime runtime) {
        this.runtime = runtime;
    }

    /** What was restored, for the user. */
    public record Outcome(BackupId base, List<BackupId> walPoints, Instant windowStart, Instant windowEnd,
                         Optional<Instant> targetTime, Path dataDirectory, String message) {
    }

    public Outcome restore(BackupId baseId, Optional<String> target, String walJob, Path dataDirectory,
                           Optional<Instant> targetTime, String actor) {
        RestoreService locator = new RestoreService(runtime);
        String targetName = target.orElseGet(() -> locator.locate(baseId));
        Repository repository = runtime.repository(targetName);
        Manifest base = repository.manifest(baseId);
        if (!base.position().containsKey("start-lsn")) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "backup " + baseId + " of job " + base.job()
                    + " is not a physical base backup (its position has no start-lsn); --wal-job needs one",
                    "name a backup of a job whose source has mode: physical", List.of(), null);
        }
        if (!runtime.config().jobs().containsKey(walJob)) {
            throw new DroverException(DroverErrors.JOB_NOT_FOUND, "no job '" + walJob + "' in " + runtime.config().file(),
                    "jobs defined: " + String.join(", ", runtime.config().jobs().keySet()), List.of(), null);
        }
        requireEmpty(dataDirectory);

        List<RecoveryPointRecord> points = new ArrayList<>(runtime.catalog().listRecoveryPoints(
                new RecoveryPointQuery(Optional.of(walJob), Optional.empty(), Optional.empty(), MAX_WAL_POINTS)));
        points.sort(Comparator.comparing(RecoveryPointRecord::capturedAt).thenComparing(p -> p.id().value()));
        List<RecoveryPointRecord> after = points.stream().filter(p -> !p.capturedAt().isBefore(base.startedAt())).toList();
        List<RecoveryPointRecord> used = new ArrayList<>();
        points.stream().filter(p -> p.capturedAt().isBefore(base.startedAt())).reduce((a, b) -> b).ifPresent(used::add);
        used.addAll(after);
        Instant windowStart = base.capturedAt();
        Instant windowEnd = after.isEmpty() ? windowStart : after.getLast().capturedAt();
        if (targetTime.isPresent()) {
            Instant t = targetTime.get();
            if (after.isEmpty() || t.isBefore(windowStart) || t.isAfter(windowEnd)) {
                throw new DroverException(DroverErrors.CONFIG_INVALID, "--target-time " + t + " is outside the restorable"
                        + " window of base backup " + baseId + " with the WAL of job " + walJob + ": "
                        + (after.isEmpty() ? "there is no WAL recovery point of " + walJob + " after the base backup, so"
                        + " only its end (" + windowStart + ") can be restored (leave out --target-time)"
                        : "from " + windowStart + " (the end of the base backup) to " + windowEnd
                        + " (the newest WAL recovery point, " + after.getLast().id() + ")"),
                        t.isAfter(windowEnd) ? "run the WAL job ('drover backup run " + walJob + "') to archive up to now,"
                                + " or choose an earlier time" : "choose a later time, or an older base backup",
                        List.of(), null);
            }
        }

        Source source = sourceOf(base);
        Path work = workDirectory();
        try (source) {
            PhysicalRestorable restorable = (PhysicalRestorable) source;
            Path baseFiles = work.resolve("base");
            check(restore(repository, baseId, baseFiles, false), baseId);
            Path walRoot = work.resolve("wal-root");
            for (RecoveryPointRecord point : used) {
                Repository holder = runtime.repository(locator.locate(point.id()));
                check(restore(holder, point.id(), walRoot, true), point.id());
            }
            String message = restorable.restoreDataDirectory(baseFiles, walRoot.resolve("wal"), dataDirectory, targetTime);
            runtime.catalog().audit(actor, "restore", baseId.value(), "point-in-time into " + dataDirectory.toAbsolutePath()
                    + " with " + used.size() + " WAL recovery points of " + walJob + ", target "
                    + targetTime.map(Instant::toString).orElse("end of archived WAL"), runtime.clock().instant());
            return new Outcome(baseId, used.stream().map(RecoveryPointRecord::id).toList(), windowStart, windowEnd,
                    targetTime, dataDirectory.toAbsolutePath(), message);
        } catch (IOException e) {
            throw new DroverException(DroverErrors.SOURCE_FAILED, "point-in-time restore of " + baseId + " into "
                    + dataDirectory + " failed: " + e.getMessage(), e);
        } finally {
            DatabaseRestores.deleteRecursively(work);
        }
    }

    private Source sourceOf(Manifest base) {
        var definition = runtime.config().sources().get(base.sourceName());
        if (definition == null || !definition.type().equals(base.sourceType())) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "backup " + base.id() + " was written by source '"
                    + base.sourceName() + "' (" + base.sourceType() + "), which the config no longer defines; the"
                    + " connector that wrote it prepares the data directory",
                    "add a " + base.sourceType() + " source named " + base.sourceName() + " to the config", List.of(), null);
        }
        Source source = runtime.source(base.sourceName());
        if (!(source instanceof PhysicalRestorable)) {
            try {
                source.close();
            } catch (IOException ignored) {
                // only asked about its type
            }
            throw new DroverException(DroverErrors.CONFIG_INVALID, "source '" + base.sourceName() + "' ("
                    + base.sourceType() + ") cannot restore physical backups to a point in time");
        }
        return source;
    }

    private static void requireEmpty(Path dataDirectory) {
        if (!Files.exists(dataDirectory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        boolean empty;
        try (Stream<Path> children = Files.list(dataDirectory)) {
            empty = children.findAny().isEmpty();
        } catch (IOException e) {
            throw new DroverException(DroverErrors.IO_FAILED, "cannot read " + dataDirectory + ": " + e.getMessage(), e);
        }
        if (!empty) {
            throw new DroverException(DroverErrors.RESTORE_TARGET_NOT_EMPTY, dataDirectory.toAbsolutePath()
                    + " is not empty; a data directory is restored only into a new or empty directory",
                    "name a new directory with --to", List.of(), null);
        }
    }

    private RestoreResult restore(Repository repository, BackupId id, Path into, boolean replace) {
        return new Restorer(repository, runtime.decryption(), bytes -> { }).restore(id, new RestoreOptions(into,
                Optional.empty(), replace, Long.MAX_VALUE, RestoreOptions.DEFAULT_MAX_RATIO, false));
    }

    private static void check(RestoreResult restored, BackupId id) {
        if (!restored.clean()) {
            List<String> problems = new ArrayList<>(restored.problems());
            restored.refused().forEach(r -> problems.add("refused: " + r));
            throw new DroverException(DroverErrors.VERIFICATION_FAILED, "backup " + id + " did not restore cleanly, so no"
                    + " data directory was prepared", "verify it with 'drover verify " + id + " --level deep'", problems, null);
        }
    }

    private Path workDirectory() {
        try {
            Path tmp = Files.createDirectories(runtime.stateDir().resolve("tmp"));
            return Files.createTempDirectory(tmp, "pitr-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new DroverException(DroverErrors.IO_FAILED, "cannot create a work directory under "
                    + runtime.stateDir().resolve("tmp") + ": " + e.getMessage(), e);
        }
    }
}
