package io.drover.runbook.engine;

import io.drover.core.app.DroverRuntime;
import io.drover.core.app.RestoreService;
import io.drover.core.catalog.CopyRecord;
import io.drover.core.catalog.RecoveryPointQuery;
import io.drover.core.catalog.RecoveryPointRecord;
import io.drover.core.config.JobConfig;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationState;
import io.drover.core.repository.Manifest;
import io.drover.core.restore.RestoreOptions;
import io.drover.core.restore.RestoreResult;
import io.drover.core.spi.LoadableSource;
import io.drover.core.spi.Source;
import io.drover.core.spi.action.ActionFailedException;
import io.drover.core.spi.action.BackupSelector;
import io.drover.core.spi.action.DatabaseLoadPlan;
import io.drover.core.spi.action.LoadedBackup;
import io.drover.core.spi.action.RestorableBackup;
import io.drover.core.spi.action.RestoredBackup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The backups of drover.yaml's jobs for runbook actions: finds the newest usable copy in the catalog
 * and restores it with core's {@link RestoreService}, as {@code drover restore} does.
 */
public final class RuntimeBackups {
    /** The default of {@code drover restore --max-size}: a guard against a corrupt index, not a quota. */
    private static final long MAX_RESTORE_BYTES = 16L << 40;
    /** Backups of one job read from the catalog per query; the search goes on until one qualifies. */
    private static final int PAGE = 50;

    private final DroverRuntime runtime;
    private final String actor;

    /** @param actor who restores, for the audit log (the runbook's operator) */
    public RuntimeBackups(DroverRuntime runtime, String actor) {
        this.runtime = runtime;
        this.actor = actor;
    }

    /** See {@link io.drover.core.spi.action.ActionServices#newestBackup}. */
    public Optional<RestorableBackup> newest(BackupSelector selector) {
        JobConfig job = runtime.config().jobs().get(selector.job());
        if (job == null) {
            throw new IllegalArgumentException("no job '" + selector.job() + "' under jobs:; defined: "
                    + String.join(", ", new java.util.TreeSet<>(runtime.config().jobs().keySet())));
        }
        selector.target().ifPresent(target -> {
            if (!runtime.config().targets().containsKey(target)) {
                throw new IllegalArgumentException("no target '" + target + "' under targets:; job " + selector.job()
                        + " writes to " + String.join(", ", job.targets()));
            }
        });
        VerificationState required = selector.verifiedOnly() ? VerificationState.VERIFIED_QUICK : VerificationState.UNVERIFIED;
        List<String> unreachable = new ArrayList<>();
        int limit = PAGE;
        while (true) {
            RecoveryPointQuery query = new RecoveryPointQuery(Optional.of(selector.job()), Optional.empty(), selector.target(),
                    limit);
            List<RecoveryPointRecord> points = runtime.catalog().listRecoveryPoints(query);
            for (RecoveryPointRecord point : points.subList(Math.max(0, limit - PAGE), points.size())) {
                for (CopyRecord copy : usableCopies(point.id(), job, selector.target(), required)) {
                    Optional<RestorableBackup> readable = describe(point, copy, unreachable);
                    if (readable.isPresent()) {
                        return readable;
                    }
                }
            }
            if (points.size() < limit) {
                if (!unreachable.isEmpty()) {
                    throw new ActionFailedException("no usable backup of job " + selector.job() + " could be read",
                            unreachable, null);
                }
                return Optional.empty();
            }
            limit += PAGE;
        }
    }

    /** Copies that satisfy {@code required} on configured targets, the job's own targets first, in their order. */
    private List<CopyRecord> usableCopies(BackupId id, JobConfig job, Optional<String> target, VerificationState required) {
        List<String> order = new ArrayList<>(job.targets());
        runtime.config().targets().keySet().stream().filter(t -> !order.contains(t)).forEach(order::add);
        return runtime.catalog().copies(id).stream()
                .filter(c -> target.map(c.target()::equals).orElse(true))
                .filter(c -> order.contains(c.target()))
                .filter(c -> c.verificationState().satisfies(required))
                .sorted(Comparator.comparingInt(c -> order.indexOf(c.target())))
                .toList();
    }

    /** The copy as a restorable backup, if its target answers; otherwise notes why in {@code unreachable}. */
    private Optional<RestorableBackup> describe(RecoveryPointRecord point, CopyRecord copy, List<String> unreachable) {
        Manifest manifest;
        try {
            Optional<Manifest> found = runtime.repository(copy.target()).findManifest(point.id());
            if (found.isEmpty()) {
                unreachable.add(copy.target() + ": backup " + point.id() + " is in the catalog but not in the repository");
                return Optional.empty();
            }
            manifest = found.get();
        } catch (DroverException e) {
            unreachable.add(copy.target() + ": " + e.getMessage());
            return Optional.empty();
        }
        Optional<String> keyProblem = "none".equals(manifest.encryption()) || runtime.decryption().hasIdentity()
                ? Optional.empty()
                : Optional.of("backup " + point.id() + " is encrypted (" + manifest.encryption() + ") and no private key is"
                        + " configured: set encryption.identity in drover.yaml");
        return Optional.of(new RestorableBackup(point.id().value(), point.job(), copy.target(), point.capturedAt(),
                copy.verificationState().name(), point.fileCount(), point.plainBytes(), keyProblem));
    }

    /** See {@link io.drover.core.spi.action.ActionServices#restoreBackup}. */
    public RestoredBackup restore(RestorableBackup backup, Path directory, boolean force) {
        RestoreOptions options = new RestoreOptions(directory, Optional.empty(), force, MAX_RESTORE_BYTES,
                RestoreOptions.DEFAULT_MAX_RATIO, true);
        RestoreResult result;
        try {
            result = new RestoreService(runtime).restore(new BackupId(backup.backupId()), Optional.of(backup.target()),
                    options, bytes -> { }, actor);
        } catch (DroverException e) {
            throw failed(e);
        }
        if (!result.clean()) {
            List<String> details = new ArrayList<>();
            result.refused().forEach(r -> details.add("refused: " + r));
            result.problems().forEach(p -> details.add("problem: " + p));
            throw new ActionFailedException("restore of " + backup.backupId() + " into " + directory + " is incomplete: "
                    + result.refused().size() + " entries refused, " + result.problems().size() + " integrity problems",
                    details, null);
        }
        return new RestoredBackup(backup, directory, result.files(), result.directories(), result.symlinks(), result.bytes());
    }

    /**
     * See {@link io.drover.core.spi.action.ActionServices#planDatabaseLoad}. Asks the same questions
     * as {@link RestoreService#loadIntoDatabase} before it loads, so that a plan that passes is not
     * refused by the load for a reason the plan could have named.
     */
    public DatabaseLoadPlan planDatabaseLoad(RestorableBackup backup, Optional<String> into) {
        Manifest manifest;
        try {
            manifest = runtime.repository(backup.target()).manifest(new BackupId(backup.backupId()));
        } catch (DroverException e) {
            String source = into.orElse("?");
            return new DatabaseLoadPlan(source, source, Optional.of("cannot read the manifest of backup " + backup.backupId()
                    + " on " + backup.target() + ": " + e.getMessage()));
        }
        String sourceName = into.orElse(manifest.sourceName());
        var definition = runtime.config().sources().get(sourceName);
        if (definition == null) {
            return new DatabaseLoadPlan(sourceName, sourceName, Optional.of("no source '" + sourceName + "' under sources:;"
                    + " defined: " + String.join(", ", new java.util.TreeSet<>(runtime.config().sources().keySet()))));
        }
        if (!definition.type().equals(manifest.sourceType())) {
            return new DatabaseLoadPlan(sourceName, sourceName, Optional.of("backup " + backup.backupId() + " is a "
                    + manifest.sourceType() + " backup of source '" + manifest.sourceName() + "' and source '" + sourceName
                    + "' is " + definition.type() + "; into must name a " + manifest.sourceType() + " source"));
        }
        try (Source source = runtime.source(sourceName)) {
            String server = source.describe();
            if (source instanceof LoadableSource loadable && loadable.canLoad(manifest.position())) {
                return new DatabaseLoadPlan(sourceName, server, Optional.empty());
            }
            String why = source instanceof LoadableSource
                    ? " is a kind of " + manifest.sourceType() + " backup that cannot be loaded into a database (e.g. a"
                    + " physical base backup, restored as a data directory)"
                    : " is a " + manifest.sourceType() + " backup of files, not of a database";
            return new DatabaseLoadPlan(sourceName, server, Optional.of("backup " + backup.backupId() + " of job "
                    + backup.job() + why + "; restore it with to: DIR instead of database:"));
        } catch (IOException | DroverException e) {
            return new DatabaseLoadPlan(sourceName, sourceName, Optional.of("cannot open source '" + sourceName + "': "
                    + e.getMessage()));
        }
    }

    /** See {@link io.drover.core.spi.action.ActionServices#loadBackup}. */
    public LoadedBackup load(RestorableBackup backup, String database, Optional<String> into, boolean replace) {
        // The source is resolved here as loadIntoDatabase resolves it, only to report where the database went.
        String source = into.orElseGet(() -> runtime.repository(backup.target()).manifest(new BackupId(backup.backupId()))
                .sourceName());
        try {
            String message = new RestoreService(runtime).loadIntoDatabase(new BackupId(backup.backupId()),
                    Optional.of(backup.target()), database, into, replace, actor);
            return new LoadedBackup(backup, database, source, message);
        } catch (DroverException e) {
            throw failed(e);
        }
    }

    private static ActionFailedException failed(DroverException e) {
        List<String> details = new ArrayList<>(e.details());
        if (e.hint() != null && !e.hint().isEmpty()) {
            details.add("hint: " + e.hint());
        }
        return new ActionFailedException(e.getMessage(), details, e);
    }
}
