package io.drover.connector.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.drover.core.model.DurationText;
import io.drover.core.model.Secret;
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
import io.drover.core.spi.action.CommandOutput;
import io.drover.core.spi.action.Precondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code action: ssh}: runs a command on a remote host over SSH, shaped like {@code action: shell}.
 * {@code command:} is an argv list, quoted for the remote POSIX shell so that every argument arrives
 * exactly as written; {@code script:} is run by the remote {@code sh -c}. An optional {@code check:}
 * (exit 0 = already done) makes the step safe to resume; {@code undo:} makes it reversible. Outputs,
 * as for {@code shell}: {@code exit-code}, {@code stdout} (its last 64 KiB) and every
 * {@code ::output NAME=VALUE} line.
 *
 * <p>The host key is checked against {@code known-hosts} (default {@code ~/.ssh/known_hosts}); an
 * unknown key is accepted and recorded there only with {@code trust-on-first-use: true}. There is no
 * {@code env:}: a remote environment could only travel on the command line (sshd accepts few
 * variables by name), where other users of the host can read it, and a {@code ${env:...}} in it would
 * put a secret there; set variables in the command instead, e.g. {@code [env, LEVEL=2, program]}.
 */
public final class SshAction implements Action {
    /** How often the end of a remote command is looked for: JSch signals it only through a flag. */
    private static final Duration POLL = Duration.ofMillis(20);

    private final Config config;

    SshAction(Config config) {
        this.config = config;
    }

    /**
     * The {@code with:} of an ssh step.
     *
     * @param host            the remote host
     * @param port            its SSH port
     * @param user            the login name
     * @param privateKey      the private key text, usually {@code ${file:/etc/drover/ssh_key}}
     * @param password        the password, when the host takes no key
     * @param knownHosts      the known_hosts file the host key must be in; {@code ~/.ssh/known_hosts} if not given
     * @param trustOnFirstUse accept an unknown host key once and record it in the known_hosts file
     * @param connectTimeout  how long connecting and logging in may take
     * @param command         the argv to run
     * @param script          a script for the remote {@code sh -c}, instead of {@code command}
     * @param check           an argv whose exit 0 means the effect is already in place
     * @param checkScript     a script instead of {@code check}
     * @param undo            an argv that reverts the effect
     * @param undoScript      a script instead of {@code undo}
     * @param timeout         how long each remote command may run; the step's own timeout also applies
     */
    public record Config(String host, @Default("22") int port, String user, Optional<Secret> privateKey,
                         Optional<Secret> password, Optional<Path> knownHosts, @Default("false") boolean trustOnFirstUse,
                         @Default("30s") Duration connectTimeout, Optional<List<String>> command, Optional<String> script,
                         Optional<List<String>> check, Optional<String> checkScript, Optional<List<String>> undo,
                         Optional<String> undoScript, Optional<Duration> timeout) {
        public Config {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(knownHosts, "knownHosts");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            command = command.map(List::copyOf);
            check = check.map(List::copyOf);
            undo = undo.map(List::copyOf);
            Objects.requireNonNull(script, "script");
            Objects.requireNonNull(checkScript, "checkScript");
            Objects.requireNonNull(undoScript, "undoScript");
            Objects.requireNonNull(timeout, "timeout");
        }

        /** The known_hosts file to check the host key against: the configured one or the user's. */
        Path knownHostsFile() {
            return knownHosts.orElseGet(() -> Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
        }

        /** The login, with the connect timeout cut to {@code atMost} (what is left of the step). */
        SshLogin login(Duration atMost) {
            Duration connect = connectTimeout.compareTo(atMost) <= 0 ? connectTimeout : atMost;
            return new SshLogin(host, port, user, privateKey, password, Optional.of(knownHostsFile()), trustOnFirstUse,
                    connect.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : connect);
        }

        /** {@code ssh://user@host:port}, for messages; never a secret. */
        String address() {
            return "ssh://" + user + "@" + host + ":" + port;
        }
    }

    /** Finds {@code action: ssh}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "ssh";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "run a command on a remote host over SSH (argv, or a script with the remote sh -c)";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            List<ConfigProblem> problems = new ArrayList<>();
            config.login(config.connectTimeout()).validate(problems);
            ArgvOrScript.validate(problems, config.command(), config.script(), "command", "script",
                    Optional.of("an ssh step needs 'command' (an argv list) or 'script' (run with the remote sh -c)"));
            ArgvOrScript.validate(problems, config.check(), config.checkScript(), "check", "check-script", Optional.empty());
            ArgvOrScript.validate(problems, config.undo(), config.undoScript(), "undo", "undo-script", Optional.empty());
            config.timeout().filter(t -> t.isNegative() || t.isZero()).ifPresent(t ->
                    problems.add(new ConfigProblem("timeout", "must be positive, e.g. 2m")));
            return problems;
        }

        @Override
        public Action create(Config config) {
            return new SshAction(config);
        }
    }

    /**
     * One remote command as configured: argv, or a script for {@code sh -c}.
     *
     * @param name        how messages name it: the program, or {@code the script}
     * @param commandLine the string sent to the host, which its login shell runs
     */
    private record RemoteCommand(String name, String commandLine) {
        static Optional<RemoteCommand> of(Optional<List<String>> argv, Optional<String> script) {
            if (argv.isPresent()) {
                return Optional.of(new RemoteCommand(argv.get().getFirst(), PosixShellQuoting.commandLine(argv.get())));
            }
            return script.map(s -> new RemoteCommand("the script",
                    PosixShellQuoting.commandLine(List.of("sh", "-c", s))));
        }
    }

    /** What a finished remote command printed and returned. */
    private record Result(int exitCode, CommandOutput output) {
    }

    private RemoteCommand main() {
        return RemoteCommand.of(config.command(), config.script()).orElseThrow();
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return ActionCapability.of(config.check().isPresent() || config.checkScript().isPresent(),
                config.undo().isPresent() || config.undoScript().isPresent());
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        String summary = "run on " + config.address() + ": " + oneLine(main().commandLine());
        String where = config.host() + ":" + config.port();
        String reachable = where + " answers and its host key is known";
        String login = "'" + config.user() + "' can log in to " + config.host();
        Path knownHosts = config.knownHostsFile();
        List<Precondition> preconditions = new ArrayList<>();
        try {
            Optional<String> unrecorded = connector(context.remaining()).probe();
            preconditions.add(Precondition.passed(reachable, unrecorded
                    .map(key -> "the host offered " + key + ", which is not in " + knownHosts
                            + " yet; trust-on-first-use records it on the first run")
                    .orElse("host key found in " + knownHosts)));
            preconditions.add(Precondition.passed(login, "with the " + credential()));
        } catch (SshConnectException e) {
            switch (e.reason()) {
                case LOGIN_REFUSED, UNUSABLE_CREDENTIAL -> {
                    preconditions.add(Precondition.passed(reachable, "host key found in " + knownHosts));
                    preconditions.add(Precondition.failed(login, e.getMessage()));
                }
                case UNREACHABLE, HOST_KEY_REFUSED -> preconditions.add(Precondition.failed(reachable, e.getMessage()));
            }
        } catch (IOException e) {
            preconditions.add(Precondition.failed(reachable, e.getMessage()));
        }
        return new ActionPlan(summary, preconditions, Optional.empty());
    }

    @Override
    public CheckOutcome check(ActionContext context) {
        RemoteCommand check = RemoteCommand.of(config.check(), config.checkScript()).orElseThrow();
        try {
            Result result = execute("check", check, context, false);
            return result.exitCode() == 0
                    ? CheckOutcome.done("check exited 0 on " + config.host(), result.output().outputs(0))
                    : CheckOutcome.notDone("check exited " + result.exitCode() + " on " + config.host());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionFailedException("interrupted while checking on " + config.host());
        }
    }

    @Override
    public ActionOutputs run(ActionContext context) throws InterruptedException {
        RemoteCommand command = main();
        Result result = execute("run", command, context, true);
        if (result.exitCode() != 0) {
            throw new ActionFailedException(failure(command.name(), result), result.output().stderrTail(), null);
        }
        return result.output().outputs(0);
    }

    @Override
    public void undo(ActionContext context, ActionOutputs outputs) throws InterruptedException {
        RemoteCommand undo = RemoteCommand.of(config.undo(), config.undoScript()).orElseThrow();
        Result result = execute("undo", undo, context, true);
        if (result.exitCode() != 0) {
            throw new ActionFailedException("undo: " + failure(undo.name(), result), result.output().stderrTail(), null);
        }
    }

    private String failure(String name, Result result) {
        return name + " exited with " + result.exitCode() + " on " + config.host()
                + (result.output().stderrTail().isEmpty() ? " (no stderr)" : "; last lines of stderr below");
    }

    private SshConnector connector(Duration atMost) {
        return new SshConnector(config.login(atMost), config.address(), config.knownHostsFile());
    }

    private String credential() {
        return config.password().map(p -> "password from " + p.reference())
                .orElseGet(() -> "private key from " + config.privateKey().map(Secret::reference).orElse("?"));
    }

    /**
     * Runs {@code command} on the host until it exits, the per-command {@code timeout} or the step's
     * deadline passes (then it is sent TERM and the connection dropped: the action fails), or the
     * thread is interrupted (the same, then the interrupt is passed on). Standard input is empty.
     */
    private Result execute(String purpose, RemoteCommand command, ActionContext context, boolean logOutput)
            throws InterruptedException {
        Instant start = context.clock().instant();
        Instant deadline = config.timeout().map(start::plus).filter(t -> t.isBefore(context.deadline()))
                .orElse(context.deadline());
        Duration allowed = Duration.between(start, deadline);
        Session session;
        try {
            session = connector(context.remaining()).openSession();
        } catch (IOException e) {
            throw new ActionFailedException(purpose + ": " + e.getMessage(), List.of(), e);
        }
        CommandOutput output = new CommandOutput();
        LineOutputStream stdout = new LineOutputStream(line -> {
            output.stdoutLine(line);
            if (logOutput) {
                context.log().accept("| " + line);
            }
        });
        LineOutputStream stderr = new LineOutputStream(line -> {
            output.stderrLine(line);
            if (logOutput) {
                context.log().accept("! " + line);
            }
        });
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command.commandLine());
            channel.setInputStream(new ByteArrayInputStream(new byte[0]));
            // JSch writes straight into these from its session thread: no pipe whose reader could die.
            channel.setOutputStream(stdout, true);
            channel.setErrStream(stderr, true);
            channel.connect((int) Math.max(1, Math.min(Integer.MAX_VALUE, context.remaining().toMillis())));
            while (!channel.isClosed() && session.isConnected()) {
                Duration left = Duration.between(context.clock().instant(), deadline);
                if (left.isNegative() || left.isZero()) {
                    stop(channel, session);
                    stdout.finish();
                    stderr.finish();
                    throw new ActionFailedException(purpose + ": " + command.name() + " timed out after "
                            + DurationText.format(allowed) + " on " + config.host() + "; sent it TERM and disconnected,"
                            + " but the remote command may still be running on " + config.host() + ": check there",
                            output.stderrTail(), null);
                }
                Thread.sleep(left.compareTo(POLL) < 0 ? left : POLL);
            }
            stdout.finish();
            stderr.finish();
            int exitCode = channel.getExitStatus();
            if (exitCode < 0) {
                throw new ActionFailedException(purpose + ": " + command.name() + " on " + config.host()
                        + " ended without an exit status (killed by a signal, or the connection broke)",
                        output.stderrTail(), null);
            }
            return new Result(exitCode, output);
        } catch (InterruptedException e) {
            stop(channel, session);
            context.log().accept("interrupted: sent " + command.name() + " TERM and disconnected; the remote command"
                    + " may still be running on " + config.host());
            throw e;
        } catch (JSchException e) {
            throw new ActionFailedException(purpose + ": cannot run " + command.name() + " on " + config.address()
                    + ": " + e.getMessage(), output.stderrTail(), e);
        } finally {
            if (channel != null) {
                channel.disconnect();
            }
            session.disconnect();
        }
    }

    /**
     * Asks the host to end the command, then drops the connection. Without a terminal, sshd does not
     * end a command whose client went away, so the signal is the only way to stop it. It is a request:
     * OpenSSH 7.9 and later deliver it to the command's process group, but not for root logins (they
     * run without privilege separation, where sshd refuses signals), and older servers ignore it. Hence
     * the messages say the command may still be running.
     */
    private static void stop(ChannelExec channel, Session session) {
        if (channel != null && channel.isConnected()) {
            try {
                // Written to the socket before this returns, so the host reads it before the disconnect.
                channel.sendSignal("TERM");
            } catch (Exception e) {
                // The connection is dropped next anyway; the message says the command may still run.
            }
            channel.disconnect();
        }
        session.disconnect();
    }

    private static String oneLine(String commandLine) {
        List<String> lines = commandLine.lines().toList();
        return lines.size() > 1 ? lines.getFirst() + " …" : commandLine;
    }
}
