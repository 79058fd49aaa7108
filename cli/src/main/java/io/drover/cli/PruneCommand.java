package io.drover.cli;

import io.drover.core.app.PruneReport;
import io.drover.core.app.PruneService;
import io.drover.core.retention.RetentionDecision;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drover prune [--job J] [--target T] [--dry-run]}. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Apply each job's retention: forget recovery points the policy does not keep, then remove",
            "objects of backups that never committed (after prune.grace-period). Never forgets the newest verified",
            "recovery point, a backup a kept incremental depends on, or objects under Object Lock."})
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--job", paramLabel = "JOB", description = "Only this job's recovery points.")
    String job;

    @Option(names = "--target", paramLabel = "TARGET", description = "Only this target.")
    String target;

    @Option(names = "--dry-run", description = "Print what would be forgotten and why the rest is kept; change nothing.")
    boolean dryRun;

    /** One recovery point in {@code --output json}. */
    record PointView(String id, Instant capturedAt, String verification, Optional<String> parent, String decision,
                     List<String> reasons) {
        static PointView of(RetentionDecision d) {
            return new PointView(d.point().id().value(), d.point().capturedAt(), d.point().verification().name(),
                    d.point().parent().map(Object::toString), d.keep() ? "keep" : "forget", d.reasons());
        }
    }

    /** One job on one target in {@code --output json}. */
    record JobView(String job, List<PointView> recoveryPoints) {
    }

    /** An orphan in {@code --output json}. */
    record OrphanView(String id, int objects, long bytes, boolean removed, String reason) {
    }

    /** One target in {@code --output json}. */
    record TargetView(String target, boolean dryRun, List<JobView> jobs, List<OrphanView> orphans, int abandonedWritesRemoved) {
        static TargetView of(PruneReport r) {
            return new TargetView(r.target(), r.dryRun(),
                    r.jobs().stream().map(j -> new JobView(j.job(), j.decisions().stream().map(PointView::of).toList())).toList(),
                    r.orphans().stream().map(o -> new OrphanView(o.id().value(), o.objects(), o.bytes(), o.remove(), o.reason()))
                            .toList(), r.abandonedWritesRemoved());
        }
    }

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            List<PruneReport> reports = new PruneService(ctx.runtime()).prune(Optional.ofNullable(job),
                    Optional.ofNullable(target), dryRun, ctx.actor());
            if (ctx.json()) {
                ctx.printJson(reports.stream().map(TargetView::of).toList());
                return 0;
            }
            reports.forEach(r -> print(ctx, r));
            return 0;
        }
    }

    private void print(CliContext ctx, PruneReport report) {
        var out = ctx.out();
        String forget = report.dryRun() ? "would forget" : "forgot";
        for (PruneReport.JobPrune j : report.jobs()) {
            out.printf("target %s, job %s:%n", report.target(), j.job());
            for (RetentionDecision d : j.decisions()) {
                out.printf("  %-6s %s  %s  %s%n", d.keep() ? "KEEP" : "FORGET", d.point().id(),
                        BackupListCommand.TIME.format(d.point().capturedAt()), String.join(", ", d.reasons()));
            }
            out.printf("  %s %d of %d recovery points%n", forget, j.forgotten(), j.decisions().size());
        }
        if (report.jobs().isEmpty()) {
            out.printf("target %s: no job with retention writes here (jobs without retention keep everything)%n", report.target());
        }
        for (PruneReport.Orphan o : report.orphans()) {
            out.printf("  orphan %s (%d objects, %d bytes): %s%s%n", o.id(), o.objects(), o.bytes(),
                    o.remove() ? (report.dryRun() ? "would remove, " : "removed, ") : "kept, ", o.reason());
        }
        if (report.abandonedWritesRemoved() > 0) {
            out.printf("  removed %d leftovers of writes that never finished (older than the grace period)%n",
                    report.abandonedWritesRemoved());
        }
        out.flush();
    }
}
