package io.drover.cli;

import io.drover.core.alert.AlertDispatcher;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.config.DroverConfig;
import io.drover.core.error.DroverException;
import io.drover.core.storage.Sleeper;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.engine.AlertActionServices;
import io.drover.runbook.engine.ExecutionResult;
import io.drover.runbook.engine.RunbookEngine;
import io.drover.runbook.engine.RunbookErrors;
import io.drover.runbook.engine.RunbookProgress;
import io.drover.runbook.engine.RuntimeBackups;
import io.drover.runbook.parse.RunbookLibrary;
import io.drover.runbook.parse.RunbookParser;
import io.drover.runbook.site.SiteRunbookGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What the runbook commands share: the library of the config's runbooks, the engine, outcomes as exit codes. */
final class Runbooks {
    private static final Duration POLL = Duration.ofMillis(500);

    private Runbooks() {
    }

    static ActionRegistry actions() {
        return ActionRegistry.discover();
    }

    static RunbookLibrary library(CliContext ctx, ActionRegistry actions) {
        DroverConfig config = ctx.config();
        Path base = config.file().toAbsolutePath().getParent();
        List<Path> entries = config.runbooks().stream().map(base::resolve).toList();
        RunbookParser parser = new RunbookParser(actions, Optional.of(config.roles().keySet()), System::getenv);
        return new RunbookLibrary(entries, Runbooks.class.getClassLoader(), parser,
                List.of(new SiteRunbookGenerator(config.services())));
    }

    static RunbookEngine engine(CliContext ctx, ActionRegistry actions, RunbookProgress progress) {
        DroverConfig config = ctx.config();
        var runtime = ctx.runtime();
        var dispatcher = new AlertDispatcher(AlertDispatcher.channels(config.alerts()), runtime.catalog(), runtime.clock(),
                config.alerts(), Sleeper.SYSTEM);
        return new RunbookEngine(runtime.catalog(), actions, new AlertActionServices(dispatcher, runtime.clock(), runtime::database,
                runtime::traffic, new RuntimeBackups(runtime, ctx.actor())),
                runtime.clock(), runtime.stateDir(), config.roles(), Optional.of(config.databases().keySet()),
                System::getenv, progress, ctx.actor(), POLL);
    }

    /** Progress lines for people; none in JSON mode or with --quiet. */
    static RunbookProgress progress(CliContext ctx) {
        return ctx::info;
    }

    /** 0 for success; otherwise the error that gives the exit code of the README table. */
    static int outcome(CliContext ctx, ExecutionResult result, String verb) {
        if (ctx.json()) {
            ctx.printJson(RunbookJson.result(result));
        }
        String hint = "'drover runbook status " + result.id() + "' shows every step; 'drover runbook resume " + result.id()
                + "' continues, 'drover runbook rollback " + result.id() + "' undoes what was done";
        return switch (result.status()) {
            case SUCCEEDED, ROLLED_BACK -> {
                ctx.info("execution " + result.id() + " " + result.status() + result.message().map(m -> ": " + m).orElse(""));
                yield 0;
            }
            case FAILED -> throw new DroverException(RunbookErrors.STEP_FAILED, "execution " + result.id() + " failed: "
                    + result.message().orElse(""), hint, result.details(), null);
            case ROLLBACK_FAILED -> throw new DroverException(RunbookErrors.ROLLBACK_FAILED, "rollback of execution "
                    + result.id() + " failed: " + result.message().orElse(""), "fix the cause and run 'drover runbook rollback "
                    + result.id() + "' again", result.details(), null);
            case ABORTED, RUNNING, WAITING_APPROVAL, ROLLING_BACK -> throw new DroverException(RunbookErrors.EXECUTION_ABORTED,
                    "execution " + result.id() + " stopped while being " + verb + ": " + result.message().orElse("")
                    + " (now " + result.status() + ")", hint, List.of(), null);
        };
    }

    static boolean isActive(RunbookExecutionStatus status) {
        return status == RunbookExecutionStatus.RUNNING || status == RunbookExecutionStatus.WAITING_APPROVAL
                || status == RunbookExecutionStatus.ROLLING_BACK;
    }
}
