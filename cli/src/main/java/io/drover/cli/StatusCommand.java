package io.drover.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.ColumnData;
import com.github.freva.asciitable.HorizontalAlign;
import io.drover.core.catalog.RecoveryPointRecord;
import io.drover.core.catalog.RpoTransition;
import io.drover.core.catalog.RunRecord;
import io.drover.core.catalog.VerificationRecord;
import io.drover.core.model.DurationText;
import io.drover.core.rpo.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drover status}: every service's achieved RPO against its BIA target. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show every service's protection: RPO target, achieved RPO and state (OK, AT_RISK, BREACHED),",
            "last backup, last verification, last restore test and next scheduled backup.",
            "Computed now from the catalog; states and alerts are recorded by 'drover serve' and by backup runs."})
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--service", paramLabel = "SERVICE", description = "Only this service.")
    String service;

    @Option(names = "--history", description = "Show the recorded RPO state changes instead, newest first.")
    boolean history;

    @Option(names = "--limit", defaultValue = "50", description = "With --history: at most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            if (history) {
                return history(ctx);
            }
            var evaluator = ctx.runtime().rpoMonitor().evaluator();
            List<ServiceStatus> statuses;
            if (service != null) {
                if (!ctx.config().services().containsKey(service)) {
                    throw new io.drover.core.error.DroverException(io.drover.core.error.DroverErrors.CONFIG_INVALID,
                            "no service '" + service + "' in " + ctx.config().file(), "services defined: "
                            + String.join(", ", ctx.config().services().keySet()), List.of(), null);
                }
                statuses = List.of(evaluator.evaluate(service));
            } else {
                statuses = evaluator.evaluateAll();
            }
            if (ctx.json()) {
                ctx.printJson(statuses.stream().map(StatusCommand::json).toList());
                return 0;
            }
            if (statuses.isEmpty()) {
                ctx.out().println("no services in " + ctx.config().file()
                        + ": add a services: section (the BIA) that names each service's RPO and protecting jobs");
                return 0;
            }
            List<ColumnData<ServiceStatus>> columns = new java.util.ArrayList<>(List.of(
                    left("SERVICE", ServiceStatus::service),
                    new Column().header("TIER").dataAlign(HorizontalAlign.RIGHT)
                            .with((ServiceStatus s) -> Integer.toString(s.tier())),
                    left("RPO", s -> s.rpoTarget().map(DurationText::format).orElse("-")),
                    left("ACHIEVED", s -> s.achieved().map(StatusCommand::age).orElse("none")),
                    left("STATE", s -> s.state().name())));
            if (statuses.stream().anyMatch(s -> s.replica().isPresent())) {
                // Only where replication is tracked: a column of dashes says nothing.
                columns.add(left("REPLICA", s -> s.replica().map(r -> r.achieved().map(StatusCommand::lag).orElse("unknown")
                        + " " + r.state().name()).orElse("-")));
            }
            columns.addAll(List.of(
                    left("LAST BACKUP", s -> s.lastRun().map(StatusCommand::run).orElse("never")),
                    left("LAST VERIFIED", s -> s.lastVerification().map(StatusCommand::verification).orElse("never")),
                    left("RESTORE TEST", s -> s.lastRestoreTest().map(StatusCommand::verification).orElse("never")),
                    left("NEXT RUN", s -> s.nextRun().map(BackupListCommand.TIME::format).orElse("manual"))));
            ctx.out().println(AsciiTable.getTable(AsciiTable.NO_BORDERS, statuses, columns));
            return 0;
        }
    }

    private int history(CliContext ctx) {
        if (limit < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        List<RpoTransition> transitions = ctx.runtime().catalog().rpoHistory(java.util.Optional.ofNullable(service), limit);
        if (ctx.json()) {
            ctx.printJson(transitions.stream().map(t -> {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("service", t.service());
                json.put("at", t.at().toString());
                json.put("from", t.from().map(Enum::name).orElse(null));
                json.put("to", t.to().name());
                json.put("achievedRpoSeconds", t.achieved().map(Duration::toSeconds).orElse(null));
                json.put("rpoTargetSeconds", t.target().map(Duration::toSeconds).orElse(null));
                json.put("recoveryPoint", t.recoveryPoint().map(Object::toString).orElse(null));
                return json;
            }).toList());
            return 0;
        }
        if (transitions.isEmpty()) {
            ctx.out().println("no RPO state changes recorded yet ('drover serve' and backup runs record them)");
            return 0;
        }
        ctx.out().println(AsciiTable.getTable(AsciiTable.NO_BORDERS, transitions, List.of(
                new Column().header("AT").dataAlign(HorizontalAlign.LEFT).with((RpoTransition t) -> BackupListCommand.TIME.format(t.at())),
                new Column().header("SERVICE").dataAlign(HorizontalAlign.LEFT).with((RpoTransition t) -> t.service()),
                new Column().header("FROM").dataAlign(HorizontalAlign.LEFT).with((RpoTransition t) -> t.from().map(Enum::name).orElse("-")),
                new Column().header("TO").dataAlign(HorizontalAlign.LEFT).with((RpoTransition t) -> t.to().name()),
                new Column().header("ACHIEVED").dataAlign(HorizontalAlign.LEFT)
                        .with((RpoTransition t) -> t.achieved().map(StatusCommand::age).orElse("none")),
                new Column().header("RECOVERY POINT").dataAlign(HorizontalAlign.LEFT)
                        .with((RpoTransition t) -> t.recoveryPoint().map(Object::toString).orElse("-")))));
        return 0;
    }

    private static ColumnData<ServiceStatus> left(String header, Function<ServiceStatus, String> value) {
        return new Column().header(header).dataAlign(HorizontalAlign.LEFT).with(value);
    }

    /** Ages to the minute: seconds are noise next to an RPO. */
    private static String age(Duration d) {
        return d.compareTo(Duration.ofMinutes(1)) < 0 ? "<1m" : DurationText.format(Duration.ofMinutes(d.toMinutes()));
    }

    /** Replica lag to the second: it is measured that precisely and RPO targets for replicas are short. */
    private static String lag(Duration d) {
        return DurationText.format(Duration.ofSeconds(d.toSeconds()));
    }

    private static String run(RunRecord r) {
        return BackupListCommand.TIME.format(r.startedAt()) + " " + r.status().name().toLowerCase(Locale.ROOT);
    }

    private static String verification(VerificationRecord v) {
        return v.level().id() + " " + v.outcome().name().toLowerCase(Locale.ROOT) + " "
                + BackupListCommand.TIME.format(v.finishedAt());
    }

    static Map<String, Object> json(ServiceStatus s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("service", s.service());
        json.put("tier", s.tier());
        json.put("owner", s.owner().orElse(null));
        json.put("state", s.state().name());
        json.put("rpoTargetSeconds", s.rpoTarget().map(Duration::toSeconds).orElse(null));
        json.put("achievedRpoSeconds", s.achieved().map(Duration::toSeconds).orElse(null));
        json.put("rtoTargetSeconds", s.rtoTarget().map(Duration::toSeconds).orElse(null));
        json.put("requiredVerification", s.requiredLevel().map(l -> l.id()).orElse(null));
        json.put("lastBackupAt", s.newestBackup().map(RecoveryPointRecord::finishedAt).map(Instant::toString).orElse(null));
        json.put("newestUsableRecoveryPoint", s.newestUsable().map(p -> Map.of("id", p.id().value(),
                "capturedAt", p.capturedAt().toString(), "job", p.job(),
                "verification", p.verificationState().name())).orElse(null));
        json.put("lastRun", s.lastRun().map(r -> {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("job", r.job());
            run.put("startedAt", r.startedAt().toString());
            run.put("finishedAt", r.finishedAt().map(Instant::toString).orElse(null));
            run.put("status", r.status().name());
            run.put("message", r.message().orElse(null));
            return run;
        }).orElse(null));
        json.put("lastVerification", s.lastVerification().map(StatusCommand::verificationJson).orElse(null));
        json.put("lastRestoreTest", s.lastRestoreTest().map(StatusCommand::verificationJson).orElse(null));
        json.put("replica", s.replica().map(r -> {
            Map<String, Object> replica = new LinkedHashMap<>();
            replica.put("state", r.state().name());
            replica.put("achievedRpoSeconds", r.achieved().map(d -> d.toMillis() / 1000.0).orElse(null));
            replica.put("standbys", r.standbys().stream().map(standby -> {
                Map<String, Object> member = new LinkedHashMap<>();
                member.put("database", standby.database());
                member.put("member", standby.member());
                member.put("site", standby.site());
                member.put("reachable", standby.reachable());
                member.put("lagSeconds", standby.lag().map(d -> d.toMillis() / 1000.0).orElse(null));
                member.put("bytesBehind", standby.bytesBehind().orElse(null));
                member.put("heartbeatAt", standby.heartbeatAt().map(Instant::toString).orElse(null));
                member.put("sampledAt", standby.sampledAt().toString());
                member.put("detail", standby.detail());
                return member;
            }).toList());
            return replica;
        }).orElse(null));
        json.put("nextRunAt", s.nextRun().map(Instant::toString).orElse(null));
        json.put("nextStateChangeAt", s.nextStateChange().map(Instant::toString).orElse(null));
        json.put("evaluatedAt", s.evaluatedAt().toString());
        return json;
    }

    private static Map<String, Object> verificationJson(VerificationRecord v) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("recoveryPoint", v.backupId().value());
        json.put("target", v.target());
        json.put("level", v.level().id());
        json.put("outcome", v.outcome().name());
        json.put("at", v.finishedAt().toString());
        v.restoreTest().ifPresent(test -> {
            json.put("restoreSeconds", test.restoreDuration().toMillis() / 1000.0);
            json.put("scratch", test.scratch());
            json.put("provenAt", test.provenAt().map(Instant::toString).orElse(null));
            json.put("checks", test.checks().stream().map(c -> Map.of("check", c.check(), "passed", c.passed(),
                    "detail", c.detail())).toList());
        });
        return json;
    }
}
