package io.drover.core.app;

import io.drover.core.config.JobConfig;
import io.drover.core.config.ScheduleConfig;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.retention.RetentionPolicy;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code drover prune}: per target, applies each job's {@code retention:} (jobs without one keep
 * everything) and removes orphaned objects after the grace period. Periods are counted in the
 * job's schedule time zone, else UTC. Holds each job's lock while forgetting so that a backup
 * never picks a parent that is being removed.
 */
public final class PruneService {
    private final DroverRuntime runtime;

    public PruneService(DroverRuntime runtime) {
        this.runtime = runtime;
    }

    /** Prunes every target (or {@code target}) for every job with retention (or {@code job}). */
    @SuppressWarnings("try") // the job lock is held for the block, not used in it
    public List<PruneReport> prune(Optional<String> job, Optional<String> target, boolean dryRun, String actor) {
        Map<String, JobConfig> jobs = runtime.config().jobs();
        job.ifPresent(name -> {
            if (!jobs.containsKey(name)) {
                throw new DroverException(DroverErrors.JOB_NOT_FOUND, "no job '" + name + "' in " + runtime.config().file(),
                        "jobs defined: " + String.join(", ", jobs.keySet().stream().sorted().toList()), List.of(), null);
            }
        });
        List<String> targets = target.map(List::of).orElseGet(() -> List.copyOf(runtime.config().targets().keySet()));
        List<PruneReport> reports = new ArrayList<>();
        for (String targetName : targets) {
            RepositoryPruner pruner = new RepositoryPruner(runtime.repository(targetName), runtime.catalog(),
                    runtime.config().prune(), runtime.clock());
            List<PruneReport.JobPrune> jobReports = new ArrayList<>();
            for (String jobName : jobs.keySet().stream().sorted().toList()) {
                JobConfig config = jobs.get(jobName);
                if (job.filter(j -> !j.equals(jobName)).isPresent() || !config.targets().contains(targetName)
                        || config.retention().isEmpty()) {
                    continue;
                }
                RetentionPolicy policy = new RetentionPolicy(config.retention().get(), zone(config), runtime.clock());
                // The other job's policy applied to its points as they are (pruned already or not, it keeps the same ones).
                Map<io.drover.core.model.BackupId, String> pinned = config.retention().get().keepFor()
                        .map(other -> pruner.neededBy(jobName, other, policyOf(jobs.get(other))))
                        .orElse(Map.of());
                if (dryRun) {
                    jobReports.add(pruner.pruneJob(jobName, policy, pinned, true, actor));
                } else {
                    try (JobLock lock = JobLock.acquire(runtime.stateDir(), jobName)) {
                        jobReports.add(pruner.pruneJob(jobName, policy, pinned, false, actor));
                    }
                }
            }
            reports.add(new PruneReport(targetName, dryRun, jobReports, pruner.pruneOrphans(dryRun, actor),
                    dryRun ? 0 : pruner.removeAbandonedWrites(actor)));
        }
        return reports;
    }

    private Optional<RetentionPolicy> policyOf(JobConfig config) {
        return config.retention().map(r -> new RetentionPolicy(r, zone(config), runtime.clock()));
    }

    private static ZoneId zone(JobConfig config) {
        return config.schedule().map(ScheduleConfig::timezone).orElse(ZoneOffset.UTC);
    }
}
