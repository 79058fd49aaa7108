package io.drover.core.app;

import io.drover.core.DroverVersion;
import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.RunStatus;
import io.drover.core.config.JobConfig;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.repository.BackupProgress;
import io.drover.core.repository.BackupRequest;
import io.drover.core.repository.BackupWriter;
import io.drover.core.repository.IndexEntry;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.ObjectReader;
import io.drover.core.repository.StreamedIndex;
import io.drover.core.repository.ParentBackup;
import io.drover.core.repository.Repository;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.verify.VerificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs a backup job end to end: lock, choose full or incremental, write, commit, catalog, verify. */
public final class BackupService {
    /** Objects a backup uses at once on each target (a part and the index): a remote target may open both connections ahead. */
    public static final int CONCURRENT_STREAMS = 2;

    private final DroverRuntime runtime;

    public BackupService(DroverRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * What a backup run produced.
     *
     * @param notes        decisions worth telling the operator (e.g. why this is a full backup)
     * @param verification reports of the after-backup check, one per target
     */
    public record Outcome(Manifest manifest, List<String> warnings, List<String> notes, List<VerificationReport> verification) {
    }

    @SuppressWarnings("try") // the lock is held for the try block's duration, not used in it
    public Outcome run(String jobName, BackupProgress progress, String actor) {
        JobConfig job = runtime.config().jobs().get(jobName);
        if (job == null) {
            throw new DroverException(DroverErrors.JOB_NOT_FOUND, "no job '" + jobName + "' in " + runtime.config().file(),
                    "jobs defined: " + String.join(", ", runtime.config().jobs().keySet()), List.of(), null);
        }
        Catalog catalog = runtime.catalog();
        try (JobLock lock = JobLock.acquire(runtime.stateDir(), jobName)) {
            Instant startedAt = runtime.clock().instant();
            long runId = catalog.startRun(jobName, startedAt, actor);
            try {
                Outcome outcome = backup(jobName, job, startedAt, progress);
                catalog.finishRun(runId, RunStatus.SUCCEEDED, Optional.of(outcome.manifest().id()),
                        outcome.warnings().isEmpty() ? Optional.empty() : Optional.of(warningSummary(outcome.warnings())),
                        runtime.clock().instant());
                catalog.audit(actor, "backup", outcome.manifest().id().value(), "job " + jobName, runtime.clock().instant());
                runtime.rpoMonitor().afterJob(jobName);
                return outcome;
            } catch (RuntimeException e) {
                catalog.finishRun(runId, RunStatus.FAILED, Optional.empty(), Optional.of(String.valueOf(e.getMessage())),
                        runtime.clock().instant());
                runtime.rpoMonitor().jobFailed(jobName, "backup", runId, String.valueOf(e.getMessage()));
                throw e;
            }
        }
    }

    /** The run's message in the catalog: how many warnings, and the first few in full. */
    private static String warningSummary(List<String> warnings) {
        int shown = Math.min(warnings.size(), 20);
        return warnings.size() + " warnings: " + String.join("; ", warnings.subList(0, shown))
                + (shown < warnings.size() ? "; ..." : "");
    }

    private Outcome backup(String jobName, JobConfig job, Instant startedAt, BackupProgress progress) {
        job.targets().forEach(name -> runtime.target(name).prepareConcurrentUse(CONCURRENT_STREAMS));
        List<Repository> repositories = runtime.repositories(job.targets());
        List<String> notes = new ArrayList<>();
        BackupId id = BackupId.generate(startedAt);
        try (Source source = runtime.source(job.source())) {
            Optional<ParentBackup> parent = source.capabilities().contains(SourceCapability.FILE_LEVEL_INCREMENTAL)
                    ? chooseParent(jobName, job, repositories, notes)
                    : Optional.empty();
            int workers = job.compression().workers() > 0 ? job.compression().workers() : Runtime.getRuntime().availableProcessors();
            var sourceDefinition = runtime.config().sources().get(job.source());
            BackupRequest request = new BackupRequest(id, jobName, runtime.config().servicesProtectedBy(jobName), job.source(),
                    sourceDefinition.type(), startedAt, runtime.encryption(), runtime.config().encryption().recipients(),
                    job.compression().level(), workers, job.partSize().bytes(), parent, Optional.of(runtime.indexCacheDir()),
                    DroverVersion.get());
            BackupWriter.Result result = new BackupWriter(request, repositories, progress).run(source, runtime.clock());
            List<String> warnings = new ArrayList<>(result.warnings());
            // Committed on every target (the writer throws otherwise): the source may let go of what it kept.
            try {
                source.committed(new SourceSnapshot(result.manifest().capturedAt(), result.manifest().position()));
            } catch (IOException | RuntimeException e) {
                warnings.add("source '" + job.source() + "' could not release what it kept for this backup (it will be"
                        + " handed over again next time): " + e.getMessage());
            }
            recordCommitted(result.manifest(), repositories);
            List<VerificationReport> reports = new ArrayList<>();
            var afterBackup = job.verify().flatMap(v -> v.afterBackup());
            if (afterBackup.isPresent()) {
                VerifyService verify = new VerifyService(runtime);
                for (Repository repository : repositories) {
                    reports.add(verify.verify(repository.name(), id, afterBackup.get()));
                }
            }
            return new Outcome(result.manifest(), List.copyOf(warnings), notes, reports);
        } catch (IOException e) {
            throw new DroverException(DroverErrors.SOURCE_FAILED, "closing source '" + job.source() + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * The backup is committed in the repositories (the source of truth) before the catalog hears of
     * it; if the catalog write fails, say exactly that, so nobody runs the backup again in a panic.
     */
    private void recordCommitted(Manifest manifest, List<Repository> repositories) {
        try {
            CatalogSync.record(runtime.catalog(), manifest, repositories, runtime.clock().instant());
        } catch (DroverException e) {
            throw new DroverException(DroverErrors.CATALOG_FAILED, "backup " + manifest.id() + " is committed in "
                    + String.join(", ", repositories.stream().map(Repository::name).toList())
                    + ", but recording it in the catalog failed: " + e.getMessage(),
                    "the backup is safe; run 'drover catalog rebuild' to bring the catalog up to date", List.of(), e);
        }
    }

    /**
     * The parent for an incremental: the job's newest backup present on every target, unless the
     * chain is due for a full backup or the parent's index cannot be read without the private key.
     */
    private Optional<ParentBackup> chooseParent(String jobName, JobConfig job, List<Repository> repositories, List<String> notes) {
        Catalog catalog = runtime.catalog();
        Optional<BackupId> latest = Optional.empty();
        for (Repository repository : repositories) {
            Optional<BackupId> onTarget = catalog.latestRecoveryPoint(jobName, repository.name());
            if (onTarget.isEmpty() || (latest.isPresent() && !latest.equals(onTarget))) {
                notes.add("full backup: no earlier backup of '" + jobName + "' is on every target");
                return Optional.empty();
            }
            latest = onTarget;
        }
        if (latest.isEmpty()) {
            notes.add("full backup: first backup of '" + jobName + "'");
            return Optional.empty();
        }
        Repository first = repositories.get(0);
        Optional<Manifest> manifest = first.findManifest(latest.get());
        if (manifest.isEmpty()) {
            notes.add("full backup: the catalog names " + latest.get() + " but target '" + first.name()
                    + "' does not hold it (run 'drover catalog rebuild')");
            return Optional.empty();
        }
        if (manifest.get().chainPosition() + 1 >= job.fullEvery()) {
            notes.add("full backup: every " + job.fullEvery() + " backups start a new chain (full-every)");
            return Optional.empty();
        }
        Path cached = runtime.indexCacheDir().resolve(latest.get().value() + ".jsonl.zst");
        Map<String, IndexEntry> index;
        try {
            boolean readable = runtime.decryption().hasIdentity() || manifest.get().encryption().equals("none");
            if (Files.exists(cached)) {
                Manifest parent = manifest.get();
                index = StreamedIndex.read(cached, "the index of backup " + latest.get(), () -> readable
                        ? Optional.of(ObjectReader.readIndex(first, parent, runtime.decryption()))
                        : Optional.empty());
            } else if (readable) {
                index = ObjectReader.readIndex(first, manifest.get(), runtime.decryption());
            } else {
                notes.add("full backup: the index of " + latest.get() + " is not cached on this machine and no identity is"
                        + " configured to read it from the repository");
                return Optional.empty();
            }
        } catch (DroverException e) {
            notes.add("full backup: cannot read the index of " + latest.get() + ": " + e.getMessage());
            return Optional.empty();
        }
        notes.add("incremental on " + latest.get());
        return Optional.of(new ParentBackup(manifest.get(), index));
    }
}
