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
import io.drover.core.spi.action.ActionFailedException;
import io.drover.core.spi.action.BackupSelector;
import io.drover.core.spi.action.RestorableBackup;
import io.drover.core.spi.action.RestoredBackup;
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
            List<String> details = new ArrayList<>(e.details());
            if (e.hint() != null && !e.hint().isEmpty()) {
                details.add("hint: " + e.hint());
            }
            throw new ActionFailedException(e.getMessage(), details, e);
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
}
