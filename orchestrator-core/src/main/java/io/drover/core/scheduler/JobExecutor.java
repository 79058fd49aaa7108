package io.drover.core.scheduler;

import io.drover.core.app.BackupService;
import io.drover.core.app.DroverRuntime;
import io.drover.core.app.PruneService;
import io.drover.core.app.VerifyService;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.repository.BackupProgress;
import io.drover.core.verify.VerificationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Does the work of one scheduled job with the daemon's runtime. Returns a one-line summary for the
 * run record; throws when the job failed (the message says why).
 */
final class JobExecutor {
    private final DroverRuntime runtime;
    private final String actor;

    JobExecutor(DroverRuntime runtime, String actor) {
        this.runtime = runtime;
        this.actor = actor;
    }

    /**
     * What a finished job did.
     *
     * @param evaluation the RPO evaluation, for RPO jobs
     */
    record Result(String summary, long bytes, Optional<io.drover.core.rpo.RpoEvaluator.Evaluation> evaluation) {
        Result(String summary, long bytes) {
            this(summary, bytes, Optional.empty());
        }
    }

    Result run(ScheduledJob job) {
        return switch (job.kind()) {
            case BACKUP -> backup(job.job().orElseThrow());
            case VERIFY_DEEP -> verify(job.job().orElseThrow(), VerificationLevel.DEEP);
            case VERIFY_RESTORE -> verify(job.job().orElseThrow(), VerificationLevel.RESTORE);
            case PRUNE -> prune();
            case RPO -> rpo();
            case REPLICATION -> replication();
        };
    }

    private Result backup(String name) {
        BackupService.Outcome outcome = new BackupService(runtime).run(name, BackupProgress.NONE, actor);
        List<String> failed = outcome.verification().stream().filter(r -> !r.passed())
                .map(r -> r.level().id() + " verification on " + r.target()).toList();
        if (!failed.isEmpty()) {
            throw new IllegalStateException("backup " + outcome.manifest().id() + " committed, but " + String.join(", ", failed)
                    + " failed");
        }
        return new Result("backup " + outcome.manifest().id() + " committed (" + outcome.manifest().kind().name()
                .toLowerCase(java.util.Locale.ROOT) + ")", outcome.manifest().stats().readBytes());
    }

    /** Verifies the job's newest recovery point on every target that holds it. */
    private Result verify(String name, VerificationLevel level) {
        var config = runtime.config().jobs().get(name);
        VerifyService verify = new VerifyService(runtime);
        List<String> passed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        long bytes = 0;
        for (String target : config.targets()) {
            Optional<BackupId> newest = runtime.catalog().latestRecoveryPoint(name, target);
            if (newest.isEmpty()) {
                continue;
            }
            VerificationReport report = verify.verify(target, newest.get(), level);
            bytes += report.checkedBytes();
            if (report.passed()) {
                passed.add(newest.get() + " on " + target);
            } else {
                // The alert and the run's message name what failed (e.g. which check), not only that something did.
                failed.add(newest.get() + " on " + target + " (" + report.findings().getFirst()
                        + (report.findings().size() > 1 ? "; " + (report.findings().size() - 1) + " more" : "") + ")");
            }
        }
        // A verification can make a point count for its services' RPO (or stop it counting).
        runtime.rpoMonitor().afterJob(name);
        if (!failed.isEmpty()) {
            throw new IllegalStateException(level.id() + " verification failed for " + String.join(", ", failed));
        }
        if (passed.isEmpty()) {
            throw new IllegalStateException("nothing to verify: job " + name + " has no recovery point yet");
        }
        return new Result(level.id() + " verification passed for " + String.join(", ", passed), bytes);
    }

    private Result prune() {
        var reports = new PruneService(runtime).prune(Optional.empty(), Optional.empty(), false, actor);
        return new Result("pruned " + reports.size() + " job/target pairs", 0);
    }

    /** Heartbeat and lag of every database under databases:, then the replica RPO of the services they protect. */
    private Result replication() {
        var outcomes = new io.drover.core.replication.ReplicationTracker(runtime).sampleAll();
        List<String> problems = new ArrayList<>();
        List<String> lags = new ArrayList<>();
        for (var outcome : outcomes) {
            outcome.problem().ifPresent(problems::add);
            outcome.standbys().forEach(s -> lags.add(s.database() + "/" + s.member() + " "
                    + s.lag().map(io.drover.core.model.DurationText::format).orElse("unknown")));
            runtime.rpoMonitor().afterReplicationSample(outcome.database());
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("replication sampling failed: " + String.join("; ", problems));
        }
        return new Result("standby lag: " + (lags.isEmpty() ? "no standbys" : String.join(", ", lags)), 0);
    }

    /** How long the records of the frequent housekeeping runs (rpo, replication) are kept. */
    static final java.time.Duration HOUSEKEEPING_HISTORY = java.time.Duration.ofDays(7);

    private Result rpo() {
        // Every few seconds, forever, they would outgrow every other table; a week shows they ran.
        runtime.catalog().forgetScheduledRuns(List.of(JobKind.RPO.id(), JobKind.REPLICATION.id()),
                runtime.clock().instant().minus(HOUSEKEEPING_HISTORY));
        var evaluation = runtime.rpoMonitor().evaluateAll();
        return new Result("evaluated " + evaluation.statuses().size() + " services, " + evaluation.transitions().size()
                + " state changes", 0, Optional.of(evaluation));
    }
}
