package io.drover.cli;

import io.drover.core.app.BackupService;
import io.drover.core.app.DroverRuntime;
import io.drover.core.app.RestoreService;
import io.drover.core.config.ConfigLoader;
import io.drover.core.config.DroverConfig;
import io.drover.core.connector.ConnectorRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/**
 * Loads the config and opens the embedded catalog on a thread of its own while picocli builds the
 * command line, for the commands that always need both. Picocli's model building (its classes
 * cannot go into the start-up cache) and the catalog's start (H2 with its auto-server and schema)
 * took about 130 ms each, one after the other, at the start of every such command; a no-change
 * backup takes little more than a second in all.
 *
 * <p>The command takes what was prepared only if it was prepared for the config file the command
 * line finally names ({@code -c} may also follow the command); anything not taken is closed.
 * A catalog in PostgreSQL is not opened ahead: an unreachable server would make a failing command
 * wait for its timeout twice.
 *
 * <p>The targets a backup or restore will use are prepared too, on a thread of their own
 * ({@link DroverRuntime#prepareTargetsAhead}): an S3 client took about a second to build and use for
 * the first time, an SSH login about a third of one, each on the command's own path before. They
 * are guessed from the arguments ({@code backup run JOB}: the job's targets; {@code restore
 * --from TARGET}, else {@code --job JOB}); a wrong guess costs only the work done ahead.
 */
final class Prewarm implements AutoCloseable {
    /** Top-level commands that load the config and open the catalog whatever their arguments. */
    static final Set<String> COMMANDS = Set.of("backup", "restore", "verify", "prune", "status");

    /** A loaded config and a runtime for it, its embedded catalog open. */
    record Prepared(ConnectorRegistry registry, DroverConfig config, DroverRuntime runtime) {
    }

    private final Path configPath;
    private final FutureTask<Prepared> task;
    private boolean taken;

    private Prewarm(Path configPath, List<String> args, Function<String, String> env) {
        this.configPath = configPath;
        this.task = new FutureTask<>(() -> {
            ConnectorRegistry registry = ConnectorRegistry.discover();
            DroverConfig config = new ConfigLoader(registry, env).load(configPath);
            DroverRuntime runtime = new DroverRuntime(config, registry, Clock.systemUTC(), env);
            List<String> targets = targetsOf(args, config);
            // Logging is set up here first: a connector that logs on the other thread while SLF4J
            // initialises gets stand-in loggers, and SLF4J then prints a warning about replaying them.
            org.slf4j.LoggerFactory.getILoggerFactory();
            runtime.prepareTargetsAhead(targets, args.getFirst().equals("backup")
                    ? BackupService.CONCURRENT_STREAMS : RestoreService.CONCURRENT_STREAMS);
            if (config.catalog().flatMap(c -> c.url()).isEmpty()) {
                try {
                    runtime.catalog();
                } catch (RuntimeException e) {
                    // The command opens it again and reports what goes wrong.
                }
            }
            return new Prepared(registry, config, runtime);
        });
        Thread.ofPlatform().name("drover-prewarm").daemon().start(task);
    }

    /**
     * Starts preparing when the command, the first of {@code args} (the arguments from the command
     * on), is one of {@link #COMMANDS}.
     */
    static Optional<Prewarm> start(List<String> args, Path configPath, Function<String, String> env) {
        if (args.isEmpty() || !COMMANDS.contains(args.getFirst())) {
            return Optional.empty();
        }
        return Optional.of(new Prewarm(configPath, List.copyOf(args), env));
    }

    /** The targets the command line most likely uses: see the class comment. Empty when unsure. */
    static List<String> targetsOf(List<String> args, DroverConfig config) {
        String command = args.getFirst();
        Optional<String> job = Optional.empty();
        if (command.equals("backup") && args.size() > 2 && args.get(1).equals("run") && !args.get(2).startsWith("-")) {
            job = Optional.of(args.get(2));
        } else if (command.equals("restore")) {
            Optional<String> from = optionValue(args, "--from").or(() -> optionValue(args, "--target"));
            if (from.isPresent()) {
                return config.targets().containsKey(from.get()) ? List.of(from.get()) : List.of();
            }
            job = optionValue(args, "--job");
        }
        return job.map(name -> config.jobs().get(name)).map(j -> List.copyOf(j.targets())).orElse(List.of());
    }

    /**
     * The value the last of the options {@code names} has in {@code args} ({@code NAME VALUE} or
     * {@code NAME=VALUE}), read without picocli: for guesses made before the real parse.
     */
    static Optional<String> optionValue(List<String> args, String... names) {
        Optional<String> value = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            for (String name : names) {
                if (args.get(i).equals(name) && i + 1 < args.size()) {
                    value = Optional.of(args.get(i + 1));
                } else if (args.get(i).startsWith(name + "=")) {
                    value = Optional.of(args.get(i).substring(name.length() + 1));
                }
            }
        }
        return value;
    }

    /**
     * What was prepared, if it was prepared for {@code path}; the caller owns the runtime from here.
     * A problem with the config (or a bug) is rethrown as loading it in the caller would have thrown it.
     */
    synchronized Optional<Prepared> take(Path path) {
        if (taken) {
            return Optional.empty();
        }
        if (!path.equals(configPath)) {
            close();
            return Optional.empty();
        }
        taken = true;
        return Optional.of(await());
    }

    /** Closes what no command took (the command failed before it needed it). */
    @Override
    public synchronized void close() {
        if (taken) {
            return;
        }
        taken = true;
        try {
            await().runtime().close();
        } catch (RuntimeException e) {
            // nothing was prepared
        }
    }

    private Prepared await() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
