package io.drover.cli;

import io.drover.core.DroverVersion;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code drover} command: entry point, global options, exit-code mapping. */
@Command(name = "drover", mixinStandardHelpOptions = true, versionProvider = DroverCli.Version.class,
        description = "Backups that prove they restore, recovery points measured against the BIA, and DR runbooks.",
        subcommands = {
            InitCommand.class, BackupCommand.class, RestoreCommand.class, VerifyCommand.class, PruneCommand.class, ConfigCommand.class,
            CatalogCommand.class, RepoCommand.class, StatusCommand.class, AlertCommand.class, ServeCommand.class, JobsCommand.class, RunbookCommand.class, QuickstartCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success", "  1  internal error (a bug: please report it)", "  2  invalid command-line arguments",
            "  3  invalid configuration", "  4  not found (backup, job, target, path)",
            "  5  integrity problem (verification failed, restore refused entries)",
            "  6  external failure (storage, source, command, I/O)",
            "  7  conflict (non-empty restore target, repository exists, job already running)"})
public final class DroverCli {

    @CommandLine.Mixin
    GlobalOptions global;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs drover with {@code args}; returns the exit code. Used by tests to run the CLI in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new DroverCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        ErrorReporter reporter = new ErrorReporter();
        commandLine.setExecutionExceptionHandler(reporter);
        commandLine.setParameterExceptionHandler(reporter);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine.execute(args);
    }

    /** Prints the version baked into the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"drover " + DroverVersion.get(), "Java " + Runtime.version()};
        }
    }
}
