package io.drover.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover runbook rollback EXEC}: undoes the completed steps of an execution in reverse order. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Undo the completed steps of an execution in reverse order: each step's rollback: action, else its",
            "action's undo. Steps with neither are listed and left as they are."})
final class RunbookRollbackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXEC", description = "The execution id.")
    long id;

    @Option(names = "--force", description = "Take over even if the process that ran it may still be alive (another host).")
    boolean force;

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            return Runbooks.outcome(ctx, Runbooks.engine(ctx, Runbooks.actions(), Runbooks.progress(ctx)).rollback(id, force),
                    "rolled back");
        }
    }
}
