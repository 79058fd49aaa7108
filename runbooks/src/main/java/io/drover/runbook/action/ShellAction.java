package io.drover.runbook.action;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.Default;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFactory;
import io.drover.core.spi.action.ActionFailedException;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import io.drover.core.spi.action.ArgvOrScript;
import io.drover.core.spi.action.CheckOutcome;
import io.drover.core.spi.action.Precondition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code action: shell}: runs a local command. {@code command:} is an argv list run without a shell;
 * {@code script:} is run by {@code /bin/sh -c} only when asked for that way. An optional
 * {@code check:} command (exit 0 = already done) makes the step safe to resume; {@code undo:} makes
 * it reversible. Outputs, as {@link io.drover.core.spi.action.CommandOutput} collects them for every
 * action that runs commands: {@code exit-code}, {@code stdout} (trimmed, its last 64 KiB) and every
 * {@code ::output NAME=VALUE} line the command prints.
 */
public final class ShellAction implements Action {
    private static final String SHELL = "/bin/sh";

    private final Config config;

    ShellAction(Config config) {
        this.config = config;
    }

    /**
     * The {@code with:} of a shell step.
     *
     * @param env variables added to drover's environment for the command
     * @param dir the working directory
     */
    public record Config(Optional<List<String>> command, Optional<String> script, Optional<List<String>> check,
                         Optional<String> checkScript, Optional<List<String>> undo, Optional<String> undoScript,
                         @Default("{}") Map<String, String> env, Optional<Path> dir) {
        public Config {
            env = Map.copyOf(env);
        }
    }

    /** Finds {@code action: shell}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "shell";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "run a local command (argv, or a script with /bin/sh -c)";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            List<ConfigProblem> problems = new ArrayList<>();
            ArgvOrScript.validate(problems, config.command(), config.script(), "command", "script",
                    Optional.of("a shell step needs 'command' (an argv list) or 'script' (run with /bin/sh -c)"));
            ArgvOrScript.validate(problems, config.check(), config.checkScript(), "check", "check-script", Optional.empty());
            ArgvOrScript.validate(problems, config.undo(), config.undoScript(), "undo", "undo-script", Optional.empty());
            return problems;
        }

        @Override
        public Action create(Config config) {
            return new ShellAction(config);
        }
    }

    private static Optional<List<String>> argv(Optional<List<String>> command, Optional<String> script) {
        return command.isPresent() ? command : script.map(s -> List.of(SHELL, "-c", s));
    }

    private List<String> main() {
        return argv(config.command(), config.script()).orElseThrow();
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return ActionCapability.of(config.check().isPresent() || config.checkScript().isPresent(),
                config.undo().isPresent() || config.undoScript().isPresent());
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        List<String> argv = main();
        String summary = config.script().isPresent() ? "run with /bin/sh -c: " + firstLine(config.script().get())
                : "run " + argv;
        List<Precondition> preconditions = new ArrayList<>();
        String program = argv.getFirst();
        preconditions.add(Commands.resolveExecutable(program, config.env())
                .map(p -> Precondition.passed("'" + program + "' can be executed", p.toString()))
                .orElseGet(() -> Precondition.failed("'" + program + "' can be executed",
                        program.contains("/") ? "not an executable file" : "not found on PATH")));
        config.dir().ifPresent(dir -> preconditions.add(Files.isDirectory(dir)
                ? Precondition.passed("working directory exists", dir.toString())
                : Precondition.failed("working directory exists", dir + " is not a directory")));
        return new ActionPlan(summary, preconditions, Optional.empty());
    }

    @Override
    public CheckOutcome check(ActionContext context) {
        List<String> argv = argv(config.check(), config.checkScript()).orElseThrow();
        try {
            Commands.Result result = Commands.run(argv, config.env(), config.dir(), context, false);
            return result.exitCode() == 0
                    ? CheckOutcome.done("check exited 0", result.outputs())
                    : CheckOutcome.notDone("check exited " + result.exitCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionFailedException("interrupted while checking");
        }
    }

    @Override
    public ActionOutputs run(ActionContext context) throws InterruptedException {
        Commands.Result result = Commands.run(main(), config.env(), config.dir(), context, true);
        if (result.exitCode() != 0) {
            throw new ActionFailedException(main().getFirst() + " exited with " + result.exitCode()
                    + (result.stderrTail().isEmpty() ? " (no stderr)" : "; last lines of stderr below"),
                    result.stderrTail(), null);
        }
        return result.outputs();
    }

    @Override
    public void undo(ActionContext context, ActionOutputs outputs) throws InterruptedException {
        List<String> argv = argv(config.undo(), config.undoScript()).orElseThrow();
        Commands.Result result = Commands.run(argv, config.env(), config.dir(), context, true);
        if (result.exitCode() != 0) {
            throw new ActionFailedException("undo " + argv.getFirst() + " exited with " + result.exitCode(),
                    result.stderrTail(), null);
        }
    }

    private static String firstLine(String script) {
        String first = script.strip().lines().findFirst().orElse("");
        return script.strip().lines().count() > 1 ? first + " …" : first;
    }
}
