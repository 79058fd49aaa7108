package io.drover.core.app;

import io.drover.core.model.BackupId;
import io.drover.core.retention.RetentionDecision;
import java.util.List;
import java.util.Objects;

/**
 * What prune decided (and, unless a dry run, did) on one target.
 *
 * @param jobs    per job with retention: every recovery point with keep/forget and why
 * @param orphans objects under {@code backups/ID/} without a manifest, removed or left for now
 */
public record PruneReport(String target, boolean dryRun, List<JobPrune> jobs, List<Orphan> orphans,
                          int abandonedWritesRemoved) {
    public PruneReport {
        Objects.requireNonNull(target, "target");
        jobs = List.copyOf(jobs);
        orphans = List.copyOf(orphans);
    }

    /** The decisions for one job's recovery points on the target, newest first. */
    public record JobPrune(String job, List<RetentionDecision> decisions) {
        public JobPrune {
            Objects.requireNonNull(job, "job");
            decisions = List.copyOf(decisions);
        }

        public long forgotten() {
            return decisions.stream().filter(d -> !d.keep()).count();
        }
    }

    /** The objects of a backup that never committed; {@code remove} false says why they stay. */
    public record Orphan(BackupId id, int objects, long bytes, boolean remove, String reason) {
        public Orphan {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
