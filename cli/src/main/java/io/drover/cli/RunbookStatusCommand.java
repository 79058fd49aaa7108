package io.drover.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.RunbookApprovalRecord;
import io.drover.core.catalog.RunbookExecutionRecord;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.error.DroverException;
import io.drover.core.model.DurationText;
import io.drover.runbook.engine.RunbookErrors;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover runbook status [EXEC]}: recent executions, or one execution step by step. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "List recent runbook executions, or show one execution's steps, outputs and approvals.")
final class RunbookStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXEC", description = "The execution to show.")
    Long id;

    @Option(names = "--runbook", paramLabel = "NAME", description = "Only executions of this runbook.")
    String runbook;

    @Option(names = "--limit", defaultValue = "20", description = "At most this many executions (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            Catalog catalog = ctx.runtime().catalog();
            if (id == null) {
                if (limit < 1) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1");
                }
                List<RunbookExecutionRecord> executions = catalog.runbookExecutions(Optional.ofNullable(runbook), limit);
                if (ctx.json()) {
                    ctx.printJson(executions.stream().map(RunbookJson::execution).toList());
                } else if (executions.isEmpty()) {
                    ctx.out().println("no runbook executions yet ('drover runbook run NAME' starts one)");
                } else {
                    ctx.out().println(AsciiTable.getTable(AsciiTable.NO_BORDERS, executions, List.of(
                            new Column().header("EXEC").dataAlign(HorizontalAlign.RIGHT).with(e -> Long.toString(e.id())),
                            new Column().header("RUNBOOK").dataAlign(HorizontalAlign.LEFT).with(RunbookExecutionRecord::runbook),
                            new Column().header("STATUS").dataAlign(HorizontalAlign.LEFT).with(e -> e.status().name()),
                            new Column().header("BY").dataAlign(HorizontalAlign.LEFT).with(RunbookExecutionRecord::actor),
                            new Column().header("STARTED").dataAlign(HorizontalAlign.LEFT)
                                    .with(e -> BackupListCommand.TIME.format(e.startedAt())),
                            new Column().header("TOOK").dataAlign(HorizontalAlign.LEFT).with(e -> took(e.startedAt(),
                                    e.finishedAt())),
                            new Column().header("MESSAGE").dataAlign(HorizontalAlign.LEFT)
                                    .with(e -> e.message().map(m -> m.lines().findFirst().orElse("")).orElse("")))));
                }
                return 0;
            }
            RunbookExecutionRecord execution = catalog.runbookExecution(id).orElseThrow(() -> new DroverException(
                    RunbookErrors.EXECUTION_NOT_FOUND, "no runbook execution " + id, "'drover runbook status' lists executions",
                    List.of(), null));
            List<RunbookStepRecord> steps = catalog.runbookSteps(id);
            List<RunbookApprovalRecord> approvals = catalog.runbookApprovals(id);
            if (ctx.json()) {
                ctx.printJson(RunbookJson.detail(execution, steps, approvals));
                return 0;
            }
            ctx.out().println("execution " + id + ": " + execution.runbook() + " " + execution.status() + ", started by "
                    + execution.actor() + " at " + BackupListCommand.TIME.format(execution.startedAt())
                    + execution.finishedAt().map(f -> ", took " + took(execution.startedAt(), Optional.of(f))).orElse("")
                    + execution.owner().map(o -> ", run by " + o).orElse(""));
            ctx.out().println("parameters: " + execution.params());
            execution.message().ifPresent(m -> ctx.out().println("message: " + m));
            ctx.out().println(AsciiTable.getTable(AsciiTable.NO_BORDERS, steps, List.of(
                    new Column().header("STEP").dataAlign(HorizontalAlign.LEFT).with(RunbookStepRecord::stepId),
                    new Column().header("STATUS").dataAlign(HorizontalAlign.LEFT).with(s -> s.status().name()),
                    new Column().header("ATTEMPTS").dataAlign(HorizontalAlign.RIGHT).with(s -> Integer.toString(s.attempts())),
                    new Column().header("TOOK").dataAlign(HorizontalAlign.LEFT).with(s -> s.startedAt()
                            .map(start -> took(start, s.finishedAt())).orElse("-")),
                    new Column().header("MESSAGE").dataAlign(HorizontalAlign.LEFT).with(s -> s.message().orElse("")))));
            for (RunbookApprovalRecord a : approvals) {
                ctx.out().println("approved: " + a.stepId() + " by " + a.approvedBy() + " as " + a.role() + " at "
                        + BackupListCommand.TIME.format(a.approvedAt()));
            }
            return 0;
        }
    }

    private static String took(Instant start, Optional<Instant> end) {
        return end.map(e -> DurationText.format(Duration.ofMillis(Math.max(0, Duration.between(start, e).toMillis()))
                .withNanos(0))).orElse("-");
    }
}
