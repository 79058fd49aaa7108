package io.drover.cli;

import io.drover.core.app.VerifyService;
import io.drover.core.catalog.RecoveryPointQuery;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.error.ErrorType;
import io.drover.core.model.BackupId;
import io.drover.core.model.DataSize;
import io.drover.core.model.VerificationLevel;
import io.drover.core.verify.VerificationReport;
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

/** {@code drover verify ID|--all --level quick|deep|restore}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check recovery points: quick (objects exist with their sizes), deep (hash every stored byte; no key needed),",
            "restore (decrypt, decompress and compare every file's hash; needs the key). Results go to the catalog."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** A backup id or --all. */
    static final class Which {
        @Parameters(paramLabel = "ID", description = "Backup id, or 'latest'.")
        String id;

        @Option(names = "--all", description = "Every recovery point in the catalog.")
        boolean all;
    }

    @Option(names = "--level", defaultValue = "quick", paramLabel = "LEVEL", description = "quick, deep or restore (default: ${DEFAULT-VALUE}).")
    VerificationLevel level;

    @Option(names = {"--from", "--target"}, paramLabel = "TARGET", description = "Verify only the copy on this target (default: every copy).")
    String target;

    @Option(names = "--job", description = "With --all or 'latest': only this job.")
    String job;

    @picocli.CommandLine.Mixin
    IdentityOption identity;

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            identity.applyTo(ctx);
            var catalog = ctx.runtime().catalog();
            List<BackupId> ids = new ArrayList<>();
            if (which.all) {
                catalog.listRecoveryPoints(new RecoveryPointQuery(Optional.ofNullable(job), Optional.empty(), Optional.ofNullable(target),
                        Integer.MAX_VALUE)).forEach(p -> ids.add(p.id()));
            } else {
                ids.add(BackupIds.resolve(ctx, which.id, job));
            }
            VerifyService service = new VerifyService(ctx.runtime());
            List<VerificationReport> reports = new ArrayList<>();
            for (BackupId id : ids) {
                for (String targetName : targetsOf(ctx, id)) {
                    VerificationReport report = service.verify(targetName, id, level);
                    reports.add(report);
                    if (!ctx.json()) {
                        ctx.out().printf("%s %s on %s: %s (%d %s, %s)%n", report.passed() ? "ok  " : "FAIL", id, targetName,
                                level.id(), report.checkedObjects(), level == VerificationLevel.RESTORE ? "files" : "objects",
                                DataSize.format(report.checkedBytes()));
                        report.findings().forEach(f -> ctx.out().println("      " + f));
                        report.restoreTest().ifPresent(test -> printRestoreTest(ctx, test));
                    }
                }
            }
            if (ctx.json()) {
                ctx.printJson(reports);
            } else if (ids.isEmpty()) {
                ctx.out().println("no recovery points to verify");
            }
            long failed = reports.stream().filter(r -> !r.passed()).count();
            if (failed > 0 && !ctx.json()) {
                ctx.err().println("drover: " + failed + " of " + reports.size() + " verifications found problems");
            }
            return failed > 0 ? ErrorType.INTEGRITY.exitCode() : 0;
        }
    }

    private static void printRestoreTest(CliContext ctx, io.drover.core.catalog.RestoreTest test) {
        ctx.out().printf("      loaded into %s; restore took %s%n", test.scratch(), io.drover.core.model.DurationText.format(test.restoreDuration()));
        for (var check : test.checks()) {
            ctx.out().printf("      %s %s: %s%n", check.passed() ? "pass" : "FAIL", check.check(), check.detail());
        }
        test.provenAt().ifPresent(at -> ctx.out().printf("      proven recovery point: data up to %s is in the backup%n",
                BackupListCommand.TIME.format(at)));
    }

    private List<String> targetsOf(CliContext ctx, BackupId id) {
        if (target != null) {
            return List.of(target);
        }
        List<String> targets = ctx.runtime().catalog().copies(id).stream().map(c -> c.target())
                .filter(ctx.config().targets()::containsKey).toList();
        if (targets.isEmpty()) {
            for (String name : ctx.config().targets().keySet()) {
                if (ctx.runtime().repository(name).findManifest(id).isPresent()) {
                    return List.of(name);
                }
            }
            throw new DroverException(DroverErrors.BACKUP_NOT_FOUND, "backup " + id + " is in no configured target",
                    "run 'drover catalog rebuild' if the catalog is out of date", List.of(), null);
        }
        return targets;
    }
}
