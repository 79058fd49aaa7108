package io.drover.cli;

import picocli.CommandLine.Command;

/** {@code drover runbook}: plan, run, resume, approve, abort, roll back and inspect runbook executions. */
@Command(name = "runbook", mixinStandardHelpOptions = true,
        description = {"Plan and run DR runbooks; every step is journaled in the catalog, so a crashed or failed",
            "execution can be resumed, and the audit log records who ran and approved what."},
        subcommands = {RunbookListCommand.class, RunbookPlanCommand.class, RunbookRunCommand.class, RunbookResumeCommand.class,
            RunbookApproveCommand.class, RunbookAbortCommand.class, RunbookRollbackCommand.class, RunbookStatusCommand.class})
final class RunbookCommand {
}
