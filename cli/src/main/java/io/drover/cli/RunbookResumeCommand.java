package io.drover.cli;

import io.drover.runbook.action.ActionRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover runbook resume EXEC}: continues a failed, aborted or crashed execution. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continue a failed, aborted or crashed execution with the runbook and parameters it started with.",
            "Steps already done are not repeated; a step that was under way is checked again and run only if not done."})
final class RunbookResumeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXEC", description = "The execution id ('drover runbook status' lists them).")
    long id;

    @Option(names = "--force", description = "Take over even if the process that ran it may still be alive (another host).")
    boolean force;

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            ActionRegistry actions = Runbooks.actions();
            return Runbooks.outcome(ctx, Runbooks.engine(ctx, actions, Runbooks.progress(ctx)).resume(id, force), "resumed");
        }
    }
}
