package io.drover.cli;

import io.drover.runbook.engine.RunbookProgress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover runbook abort EXEC}: stops an execution. */
@Command(name = "abort", mixinStandardHelpOptions = true,
        description = {"Stop an execution: the process running it interrupts the current step within a second and journals",
            "nothing more. The execution can later be resumed or rolled back."})
final class RunbookAbortCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXEC", description = "The execution id.")
    long id;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why; recorded in the journal and audit log.")
    String reason;

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            var before = Runbooks.engine(ctx, Runbooks.actions(), RunbookProgress.NONE).abort(id, reason);
            ctx.info("aborted execution " + id + " (" + before.runbook() + ", was " + before.status() + ")");
            if (ctx.json()) {
                ctx.printJson(RunbookJson.execution(ctx.runtime().catalog().runbookExecution(id).orElseThrow()));
            }
            return 0;
        }
    }
}
