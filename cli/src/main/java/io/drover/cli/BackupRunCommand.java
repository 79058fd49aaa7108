package io.drover.cli;

import io.drover.core.app.BackupService;
import io.drover.core.model.DataSize;
import io.drover.core.repository.Manifest;
import io.drover.core.verify.VerificationReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover backup run JOB}. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a backup job now.")
final class BackupRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "Job name from drover.yaml.")
    String job;

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            BackupService.Outcome outcome;
            try (Progress progress = Progress.start(ctx, "backup " + job, -1)) {
                outcome = new BackupService(ctx.runtime()).run(job, progress, ctx.actor());
            }
            Manifest m = outcome.manifest();
            boolean verified = outcome.verification().stream().allMatch(VerificationReport::passed);
            if (ctx.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("id", m.id().value());
                json.put("job", m.job());
                json.put("kind", m.kind());
                json.put("parent", m.parent().map(Object::toString).orElse(null));
                json.put("startedAt", m.startedAt());
                json.put("capturedAt", m.capturedAt());
                json.put("finishedAt", m.finishedAt());
                json.put("stats", m.stats());
                json.put("targets", ctx.config().jobs().get(job).targets());
                json.put("warnings", outcome.warnings());
                json.put("notes", outcome.notes());
                json.put("verification", outcome.verification());
                ctx.printJson(json);
            } else {
                outcome.notes().forEach(note -> ctx.info(note));
                outcome.warnings().forEach(w -> ctx.err().println("warning: " + w));
                var s = m.stats();
                Duration took = Duration.between(m.startedAt(), m.finishedAt());
                double seconds = Math.max(took.toMillis(), 1) / 1000.0;
                ctx.out().printf("backup %s committed (%s, %s)%n", m.id(), m.kind().name().toLowerCase(java.util.Locale.ROOT),
                        String.join(", ", ctx.config().jobs().get(job).targets()));
                ctx.out().printf("  %d files (%d new, %d changed, %d unchanged, %d removed), %d dirs, %d symlinks%n",
                        s.files(), s.newFiles(), s.changedFiles(), s.unchangedFiles(), s.removedFiles(), s.directories(), s.symlinks());
                ctx.out().printf("  read %s, stored %s in %d part(s), %.1f s (%.1f MiB/s)%n", DataSize.format(s.readBytes()),
                        DataSize.format(s.storedBytes()), m.parts().size(), seconds, s.readBytes() / seconds / (1 << 20));
                for (VerificationReport report : outcome.verification()) {
                    ctx.out().printf("  verify %s on %s: %s%n", report.level().id(), report.target(),
                            report.passed() ? "passed" : "FAILED");
                    report.findings().forEach(f -> ctx.out().println("    " + f));
                }
            }
            return verified ? 0 : io.drover.core.error.ErrorType.INTEGRITY.exitCode();
        }
    }
}
