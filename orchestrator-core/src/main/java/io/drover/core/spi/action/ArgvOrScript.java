package io.drover.core.spi.action;

import io.drover.core.spi.ConfigProblem;
import java.util.List;
import java.util.Optional;

/**
 * The choice every command-running action offers for each command it takes (the command itself,
 * its check, its undo): an argv list, run as written, or a script for a shell. One validation for
 * all of them, so that a local and a remote step with the same mistake get the same message.
 */
public final class ArgvOrScript {
    private ArgvOrScript() {
    }

    /**
     * Adds a problem when both {@code argv} and {@code script} are given, when the argv names no
     * program, when the script is blank, or, if {@code whenMissing} is present, when neither is given.
     *
     * @param argvKey     the config key of the argv list, e.g. {@code check}
     * @param scriptKey   the config key of the script, e.g. {@code check-script}
     * @param whenMissing what to say when the command is required and absent; empty when it is optional
     */
    public static void validate(List<ConfigProblem> problems, Optional<List<String>> argv, Optional<String> script,
                                String argvKey, String scriptKey, Optional<String> whenMissing) {
        if (argv.isPresent() && script.isPresent()) {
            problems.add(new ConfigProblem(scriptKey, "give either '" + argvKey + "' or '" + scriptKey + "', not both"));
        } else if (argv.isEmpty() && script.isEmpty()) {
            whenMissing.ifPresent(message -> problems.add(new ConfigProblem("", message)));
        } else if (argv.isPresent() && argv.get().isEmpty()) {
            problems.add(new ConfigProblem(argvKey, "'" + argvKey + "' must name a program: [program, arg...]"));
        } else if (script.isPresent() && script.get().isBlank()) {
            problems.add(new ConfigProblem(scriptKey, "'" + scriptKey + "' must not be empty"));
        }
    }
}
