package io.drover.cli;

import io.drover.core.error.DroverException;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.engine.RunbookEngine;
import io.drover.runbook.engine.RunbookErrors;
import io.drover.runbook.model.Runbook;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover runbook run NAME}: runs a runbook, journaling every step. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a runbook. Shows the plan and asks for confirmation on a terminal unless --yes. Every step",
            "transition is journaled in the catalog before it happens; if drover dies, 'runbook resume EXEC' continues.",
            "Exit code 6 when a step fails, 7 when the execution is aborted."})
final class RunbookRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The runbook ('drover runbook list' shows them).")
    String name;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A parameter value; repeat for several.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            ActionRegistry actions = Runbooks.actions();
            Runbook runbook = Runbooks.library(ctx, actions).load(name, params);
            RunbookEngine engine = Runbooks.engine(ctx, actions, Runbooks.progress(ctx));
            if (!yes && CliContext.isTerminal() && !ctx.json()) {
                RunbookPlanCommand.print(ctx.out(), engine.plan(runbook, params));
                String answer = System.console().readLine("Run %s now? Type the runbook's name to confirm: ", runbook.name());
                if (answer == null || !answer.strip().equals(runbook.name())) {
                    throw new DroverException(RunbookErrors.EXECUTION_CONFLICT, "not confirmed; nothing was run",
                            "type the runbook's name, or pass --yes", List.of(), null);
                }
            }
            return Runbooks.outcome(ctx, engine.run(runbook, params), "run");
        }
    }
}
