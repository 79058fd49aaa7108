package io.drover.cli;

import io.drover.core.DroverVersion;
import io.drover.core.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code drover} command: entry point, global options, exit-code mapping. */
@Command(name = "drover", mixinStandardHelpOptions = true, versionProvider = DroverCli.Version.class,
        description = "Backups that prove they restore, recovery points measured against the BIA, and DR runbooks.",
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success", "  1  internal error (a bug: please report it)", "  2  invalid command-line arguments",
            "  3  invalid configuration", "  4  not found (backup, job, target, path)",
            "  5  integrity problem (verification failed, restore refused entries)",
            "  6  external failure (storage, source, command, I/O)",
            "  7  conflict (non-empty restore target, repository exists, job already running)"})
public final class DroverCli {
    /** The top-level commands, in the order the usage help lists them. */
    static final List<Class<?>> COMMANDS = List.of(
            InitCommand.class, BackupCommand.class, RestoreCommand.class, VerifyCommand.class, PruneCommand.class, ConfigCommand.class,
            CatalogCommand.class, RepoCommand.class, StatusCommand.class, AlertCommand.class, ServeCommand.class, JobsCommand.class,
            RunbookCommand.class, QuickstartCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class);
    /** Commands that read the whole command tree (to list or complete it). */
    private static final Set<String> NEED_EVERY_COMMAND = Set.of("help", "completion");

    @CommandLine.Mixin
    GlobalOptions global;

    private Optional<Prewarm> prewarm = Optional.empty();

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs drover with {@code args}; returns the exit code. Used by tests to run the CLI in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Leading leading = Leading.of(args);
        DroverCli root = new DroverCli();
        root.prewarm = leading.configPath().flatMap(path -> Prewarm.start(leading.fromCommand(), path, System::getenv));
        try {
            CommandLine commandLine = commandLine(root, leading);
            commandLine.setOut(out);
            commandLine.setErr(err);
            ErrorReporter reporter = new ErrorReporter();
            commandLine.setExecutionExceptionHandler(reporter);
            commandLine.setParameterExceptionHandler(reporter);
            commandLine.setCaseInsensitiveEnumValuesAllowed(true);
            return commandLine.execute(args);
        } finally {
            root.prewarm.ifPresent(Prewarm::close);
        }
    }

    /** What was prepared ahead for this run's command, if anything (see {@link Prewarm}). */
    Optional<Prewarm> prewarm() {
        return prewarm;
    }

    /**
     * The command line for {@code args}. Picocli builds the model of every registered command up front
     * by reflection, and its classes (class-file version 49) cannot go into the start-up cache: for
     * all commands that is about a tenth of a short command's CPU. So only the command that
     * {@code args} name is registered; the usage help, {@code help}, {@code completion} and anything
     * that names no command get them all.
     */
    public static CommandLine commandLine(String[] args) {
        return commandLine(new DroverCli(), Leading.of(args));
    }

    private static CommandLine commandLine(DroverCli root, Leading leading) {
        CommandLine commandLine = new CommandLine(root);
        Optional<Class<?>> named = leading.command().filter(name -> !NEED_EVERY_COMMAND.contains(name))
                .flatMap(name -> COMMANDS.stream().filter(c -> name.equals(c.getAnnotation(Command.class).name())).findFirst());
        if (named.isPresent()) {
            commandLine.addSubcommand(named.get());
        } else {
            COMMANDS.forEach(commandLine::addSubcommand);
        }
        return commandLine;
    }

    /**
     * The global options before the command, and the top-level command {@code args} name. Picocli
     * itself finds them (the command is the first positional argument, after global options and
     * their values), so no option syntax is guessed here.
     *
     * @param configPath the config file those options name (or the default); empty when they do not parse
     */
    private record Leading(List<String> fromCommand, Optional<Path> configPath) {
        static Leading of(String[] args) {
            DroverCli globals = new DroverCli();
            CommandLine globalsOnly = new CommandLine(globals)
                    .setStopAtPositional(true)
                    .setUnmatchedArgumentsAllowed(true);
            List<String> rest;
            try {
                rest = globalsOnly.parseArgs(args).unmatched();
            } catch (CommandLine.ParameterException e) {
                return new Leading(List.of(), Optional.empty()); // the real parse reports it, with every command registered
            }
            Optional<String> command = rest.stream().filter(arg -> !arg.startsWith("-")).findFirst();
            List<String> fromCommand = command.map(c -> rest.subList(rest.indexOf(c), rest.size())).orElse(List.of());
            Path configPath = ConfigLoader.locate(Optional.ofNullable(globals.global.config), System::getenv, Path.of("").toAbsolutePath());
            return new Leading(fromCommand, Optional.of(configPath));
        }

        /** The command's name: the first argument that is no global option. */
        Optional<String> command() {
            return fromCommand.isEmpty() ? Optional.empty() : Optional.of(fromCommand.getFirst());
        }
    }

    /** Prints the version baked into the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"drover " + DroverVersion.get(), "Java " + Runtime.version()};
        }
    }
}
