package io.drover.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.ColumnData;
import com.github.freva.asciitable.HorizontalAlign;
import io.drover.core.catalog.ScheduledRunRecord;
import io.drover.core.scheduler.DaemonMetrics;
import io.drover.core.scheduler.DroverScheduler;
import io.drover.core.scheduler.DroverScheduler.JobView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drover jobs}: the daemon's schedule, read and changed in the catalog's JobStore, so it
 * works whether {@code drover serve} runs or not.
 */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List, run, pause and resume scheduled jobs.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.Runs.class, JobsCommand.RunNow.class,
            JobsCommand.Pause.class, JobsCommand.Resume.class})
final class JobsCommand {

    /** A scheduler client on the catalog: never started, so it fires nothing itself. */
    static DroverScheduler client(CliContext ctx) {
        return new DroverScheduler(ctx.runtime(), "cli-" + ProcessHandle.current().pid(), new DaemonMetrics());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Scheduled jobs with their schedule, state (NORMAL, PAUSED, BLOCKED = running), next fire and last run.")
    static final class ListJobs implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.of(spec); DroverScheduler scheduler = client(ctx)) {
                scheduler.sync();
                List<JobView> jobs = scheduler.list();
                int daemons = scheduler.liveNodes().size();
                if (ctx.json()) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("daemons", scheduler.liveNodes().stream().map(n -> n.node()).toList());
                    json.put("jobs", jobs.stream().map(JobsCommand::json).toList());
                    ctx.printJson(json);
                    return 0;
                }
                ctx.out().println(AsciiTable.getTable(AsciiTable.NO_BORDERS, jobs, List.of(
                        left("JOB", v -> v.job().key()),
                        left("SCHEDULE", v -> DroverScheduler.describe(v.job())),
                        left("STATE", JobView::state),
                        left("NEXT", v -> v.nextFire().map(BackupListCommand.TIME::format).orElse("-")),
                        left("LAST RUN", v -> v.lastRun().map(JobsCommand::run).orElse("never")))));
                ctx.out().println(daemons == 0 ? "no drover serve is running on this catalog: nothing fires until one starts"
                        : daemons + " drover serve node(s) running");
                return 0;
            }
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true,
            description = "Executions of scheduled jobs, newest first: when each fire was due, where it ran, how it ended.")
    static final class Runs implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Option(names = "--job", paramLabel = "JOB", description = "Only this job key, e.g. backup:orders-db.")
        String key;

        @picocli.CommandLine.Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.of(spec)) {
                if (limit < 1) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
                }
                List<ScheduledRunRecord> runs = ctx.runtime().catalog().scheduledRuns(java.util.Optional.ofNullable(key),
                        java.util.Optional.empty(), limit);
                if (ctx.json()) {
                    ctx.printJson(runs.stream().map(JobsCommand::json).toList());
                    return 0;
                }
                if (runs.isEmpty()) {
                    ctx.out().println("no scheduled runs yet");
                    return 0;
                }
                ctx.out().println(AsciiTable.getTable(AsciiTable.NO_BORDERS, runs, List.of(
                        new Column().header("RUN").dataAlign(HorizontalAlign.RIGHT).with((ScheduledRunRecord r) -> Long.toString(r.id())),
                        new Column().header("JOB").dataAlign(HorizontalAlign.LEFT).with((ScheduledRunRecord r) -> r.jobKey()),
                        new Column().header("DUE").dataAlign(HorizontalAlign.LEFT)
                                .with((ScheduledRunRecord r) -> BackupListCommand.TIME.format(r.scheduledAt())),
                        new Column().header("NODE").dataAlign(HorizontalAlign.LEFT)
                                .with((ScheduledRunRecord r) -> r.node() + (r.recovering() ? " (recovered)" : "")),
                        new Column().header("STATUS").dataAlign(HorizontalAlign.LEFT)
                                .with((ScheduledRunRecord r) -> r.status().name().toLowerCase(Locale.ROOT)),
                        new Column().header("MESSAGE").dataAlign(HorizontalAlign.LEFT).maxWidth(80)
                                .with((ScheduledRunRecord r) -> r.message().orElse("")))));
                return 0;
            }
        }
    }

    @Command(name = "run-now", mixinStandardHelpOptions = true,
            description = {"Run a scheduled job now: a running daemon picks it up within seconds;",
                "with no daemon running, it runs here and now."})
    static final class RunNow implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "JOB", description = "Scheduled job key, e.g. backup:orders-db, verify-deep:orders-db, prune, rpo.")
        String key;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.of(spec); DroverScheduler scheduler = client(ctx)) {
                if (!scheduler.liveNodes().isEmpty()) {
                    scheduler.triggerNow(key);
                    ctx.out().println(key + " triggered: drover serve runs it within seconds ('drover jobs list' shows it)");
                    return 0;
                }
                ScheduledRunRecord run = scheduler.runHere(key);
                ctx.out().println(key + " ran here (no drover serve is running): " + run.status().name()
                        .toLowerCase(Locale.ROOT) + run.message().map(m -> ": " + m).orElse(""));
                return 0;
            }
        }
    }

    /** What pause and resume share: one job key, a change in the JobStore, an audit event. */
    abstract static class Toggle implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "JOB", description = "Scheduled job key, e.g. backup:orders-db.")
        String key;

        abstract void apply(DroverScheduler scheduler, String key);

        abstract String done();

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.of(spec); DroverScheduler scheduler = client(ctx)) {
                apply(scheduler, key);
                ctx.catalogAudit("jobs " + spec.name(), key);
                ctx.out().println(key + " " + done());
                return 0;
            }
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop a job from firing until resumed (on every node).")
    static final class Pause extends Toggle {
        @Override
        void apply(DroverScheduler scheduler, String key) {
            scheduler.pause(key);
        }

        @Override
        String done() {
            return "paused";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Let a paused job fire again.")
    static final class Resume extends Toggle {
        @Override
        void apply(DroverScheduler scheduler, String key) {
            scheduler.resume(key);
        }

        @Override
        String done() {
            return "resumed";
        }
    }

    private static ColumnData<JobView> left(String header, Function<JobView, String> value) {
        return new Column().header(header).dataAlign(HorizontalAlign.LEFT).with(value);
    }

    private static String run(ScheduledRunRecord r) {
        return BackupListCommand.TIME.format(r.startedAt()) + " " + r.status().name().toLowerCase(Locale.ROOT)
                + (r.recovering() ? " (recovered)" : "") + " on " + r.node();
    }

    static Map<String, Object> json(ScheduledRunRecord r) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("id", r.id());
        run.put("job", r.jobKey());
        run.put("kind", r.jobKind());
        run.put("scheduledAt", r.scheduledAt().toString());
        run.put("fireId", r.fireId());
        run.put("node", r.node());
        run.put("recovering", r.recovering());
        run.put("startedAt", r.startedAt().toString());
        run.put("finishedAt", r.finishedAt().map(Instant::toString).orElse(null));
        run.put("status", r.status().name());
        run.put("message", r.message().orElse(null));
        return run;
    }

    private static Map<String, Object> json(JobView v) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", v.job().key());
        json.put("kind", v.job().kind().id());
        json.put("job", v.job().job().orElse(null));
        json.put("schedule", DroverScheduler.describe(v.job()));
        json.put("state", v.state());
        json.put("nextFireAt", v.nextFire().map(Instant::toString).orElse(null));
        json.put("lastRun", v.lastRun().map(JobsCommand::json).orElse(null));
        return json;
    }
}
