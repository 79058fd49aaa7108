package io.drover.cli;

import io.drover.core.error.DroverException;
import io.drover.core.error.ErrorType;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Maps every failure to a message and an exit code, in one place. Users see what is wrong and what
 * to do next; stack traces only for bugs, and only with {@code --verbose}.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("drover: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ErrorType.USAGE.exitCode();
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean verbose = parseResult.hasMatchedOption("--verbose") || parseResult.hasMatchedOption("-v")
                || (parseResult.subcommand() != null && isVerbose(parseResult));
        if (e instanceof DroverException de) {
            err.println("drover: " + de.getMessage());
            for (String detail : de.details()) {
                err.println("  " + detail);
            }
            if (de.hint() != null) {
                err.println("hint: " + de.hint());
            }
            if (verbose && de.code().type() == ErrorType.INTERNAL) {
                e.printStackTrace(err);
            }
            err.flush();
            return de.exitCode();
        }
        err.println("drover: internal error: " + e);
        if (verbose) {
            e.printStackTrace(err);
        } else {
            err.println("This is a bug in drover. Run again with --verbose for details and please report it.");
        }
        err.flush();
        return ErrorType.INTERNAL.exitCode();
    }

    private static boolean isVerbose(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
