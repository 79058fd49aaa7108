package io.drover.connector.postgres;

import io.drover.connector.postgres.PostgresDatabaseConfig.RejoinMethod;
import io.drover.connector.postgres.PostgresReplicatedDatabase.Member;
import io.drover.connector.support.ChildProcess;
import io.drover.connector.support.HumanDuration;
import io.drover.core.spi.DatabaseFailover.MemberStatus;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a member (a former primary, usually) a streaming standby of the primary: stops its server,
 * brings its data in line with the primary ({@code pg_rewind}, or a new {@code pg_basebackup}),
 * points it at the primary, starts it and waits until it streams. Writes the member has and the
 * primary lacks are discarded: the primary's history wins.
 *
 * <p>The member keeps its own configuration files ({@link #OWN_FILES}): both programs would bring
 * the primary's (its port, its paths, its {@code ALTER SYSTEM} settings). Of its
 * {@code postgresql.auto.conf} only {@code primary_conninfo} is rewritten (host and port of the
 * primary; its other keywords, such as user, password file or TLS mode, are kept) and a fence
 * ({@code default_transaction_read_only}) removed: the member was fenced as a primary, and a fence
 * left in place would make it refuse writes after a later promotion.
 *
 * <p>A rejoin that is interrupted (drover killed, a program failing) is made safe to repeat by a
 * state directory beside the data directory ({@link LocalServer#stateDir()}): the member's own
 * configuration files, saved before anything changed; a marker while {@code pg_rewind} changes the
 * data directory (an interrupted rewind is never trusted or repeated: {@code auto} takes a base
 * backup instead); and, during a base backup, the old data directory, put back if the copy fails
 * and deleted only once the new one streams. It is deleted when the member streams.
 */
final class PostgresRejoin {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresRejoin.class);
    /** The configuration files in a data directory that belong to the member, not to the primary it copies. */
    static final List<String> OWN_FILES = List.of("postgresql.conf", "postgresql.auto.conf", "pg_hba.conf", "pg_ident.conf");
    private static final String SAVED_CONFIG = "config";
    private static final String CONFIG_SAVED = "config.saved";
    private static final String REWIND_STARTED = "rewind-started";
    private static final String OLD_DATA = "old-data";
    /** The server's log when drover starts it with {@code pg_ctl}, relative to the data directory. */
    static final String SERVER_LOG = "log/server.log";
    private static final Pattern NEED_TO_COPY = Pattern.compile("need to copy (\\d+ [kMGT]?B)");
    private static final Pattern WAL_LOG_HINTS = Pattern.compile("wal_log_hints setting:\\s+(\\w+)");
    private static final Pattern CHECKSUMS = Pattern.compile("Data page checksum version:\\s+(\\d+)");

    private final PostgresReplicatedDatabase database;
    private final Duration toolTimeout;

    PostgresRejoin(PostgresReplicatedDatabase database, Duration toolTimeout) {
        this.database = database;
        this.toolTimeout = toolTimeout;
    }

    /** What {@link #inspect} found: how the rejoin would go, or why it cannot. */
    private record Inspection(LocalServer local, ClientTools tools, String version, RejoinMethod method,
                              Optional<String> whyNoRewind, boolean resumes, boolean running) {
    }

    // ---- plan -------------------------------------------------------------------------------------

    String plan(Member member, Member primary) throws IOException {
        requireWritablePrimary(member, primary);
        if (replicatesAlready(member, primary)) {
            return member.name() + " already replicates from " + primary.where() + "; nothing to do";
        }
        Inspection found = inspect(member, primary);
        LocalServer local = found.local();
        List<String> steps = new ArrayList<>();
        if (found.resumes()) {
            steps.add("continue the interrupted rejoin in " + local.stateDir());
        }
        if (found.running()) {
            steps.add("stop " + member.name() + " (" + local.stopCommand().map(c -> "its stop-command")
                    .orElse("pg_ctl stop -m fast") + ")");
        }
        String copy = found.method() == RejoinMethod.REWIND
                ? "pg_rewind its data directory " + local.dataDir() + " from " + primary.where()
                + (local.method() == RejoinMethod.AUTO ? " (a new base backup if pg_rewind's dry run fails)" : "")
                : "replace its data directory " + local.dataDir() + " with a new base backup of " + primary.where()
                + " (the old one kept until the new one streams)"
                + found.whyNoRewind().map(why -> ", since pg_rewind cannot: " + why).orElse("");
        steps.add(copy + ", discarding what only " + member.name() + " wrote");
        steps.add("point primary_conninfo at " + primary.name() + " and start it as its standby ("
                + local.startCommand().map(c -> "its start-command").orElse("pg_ctl start") + ", as PostgreSQL "
                + found.version() + ")");
        steps.add("wait until it streams from " + primary.name());
        return String.join(", then ", steps);
    }

    // ---- rejoin -----------------------------------------------------------------------------------

    String rejoin(Member member, Member primary, Duration timeout) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        requireWritablePrimary(member, primary);
        if (replicatesAlready(member, primary)) {
            String leftovers = member.local().map(local -> removeLeftovers(local.stateDir())).orElse("");
            return member.name() + " already replicates from " + primary.name() + "; nothing to do" + leftovers;
        }
        Inspection found = inspect(member, primary);
        LocalServer local = found.local();
        Path state = local.stateDir();
        if (!Files.isDirectory(state)) {
            Files.createDirectory(state, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (found.running()) {
            stop(member, found, deadline);
        }
        saveOwnConfiguration(local);

        String how;
        if (found.method() == RejoinMethod.REWIND) {
            Rewind rewind = rewind(member, primary, found, deadline);
            if (rewind.done()) {
                how = "pg_rewind from " + primary.name() + rewind.report();
            } else if (local.method() == RejoinMethod.AUTO) {
                how = baseBackup(member, primary, found, deadline) + " (pg_rewind could not: " + rewind.report() + ")";
            } else {
                throw new IOException("pg_rewind cannot rewind member " + member.where() + " from " + primary.where()
                        + ": " + rewind.report() + "; nothing was changed (the server is stopped). Set rejoin: base-backup"
                        + " or auto on member " + member.name() + " to copy the primary's data instead");
            }
        } else {
            how = baseBackup(member, primary, found, deadline) + found.whyNoRewind().map(why -> " (" + why + ")").orElse("");
        }
        List<String> changes = configureAsStandby(member, primary, local);
        start(member, found, deadline);
        awaitStreaming(member, primary, found.local(), deadline, timeout);
        String leftovers = removeLeftovers(state);
        return member.name() + " rejoined as a standby of " + primary.name() + ": " + how
                + (changes.isEmpty() ? "" : "; " + String.join(", ", changes)) + "; streaming after "
                + HumanDuration.format(Duration.ofNanos(System.nanoTime() - started)) + leftovers;
    }

    private void requireWritablePrimary(Member member, Member primary) throws IOException {
        MemberStatus status = database.status(primary.name());
        if (!status.writablePrimary()) {
            throw new IOException("member " + primary.name() + " is not a writable primary to rejoin " + member.name()
                    + " to: " + status.detail());
        }
    }

    /** Whether it replicates from the primary already; an unreachable member does not. */
    private boolean replicatesAlready(Member member, Member primary) {
        try {
            return database.replicatesFrom(member.name(), primary.name());
        } catch (IOException e) {
            return false;
        }
    }

    private static IOException noDataDirectory(Member member) {
        return new IOException("member " + member.where() + " has no data-dir: to rejoin it as a standby, drover stops its"
                + " server and rewinds or replaces its data, so it must run on the host where drover runs; set data-dir"
                + " (e.g. /var/lib/postgresql/15/main) on member " + member.name() + ", and os-user, start-command and"
                + " stop-command if its server is not run with pg_ctl by the user postgres");
    }

    // ---- inspection -------------------------------------------------------------------------------

    /**
     * Reads what the rejoin needs, changing nothing, and throws one exception naming every problem.
     */
    private Inspection inspect(Member member, Member primary) throws IOException {
        LocalServer local = member.local().orElseThrow(() -> noDataDirectory(member));
        List<String> problems = new ArrayList<>();
        Path dataDir = local.dataDir();
        Path state = local.stateDir();
        Path oldData = state.resolve(OLD_DATA);
        boolean baseBackupUnderway = Files.isDirectory(oldData);
        // During an interrupted base backup, the member's own data is the one moved aside.
        Path own = baseBackupUnderway ? oldData : dataDir;
        if (!baseBackupUnderway && !Files.isDirectory(dataDir)) {
            problems.add("its data directory " + dataDir + " (data-dir) does not exist");
        }
        String version = "";
        Path versionFile = own.resolve("PG_VERSION");
        if (Files.isDirectory(own)) {
            if (!Files.isReadable(versionFile)) {
                problems.add("cannot read " + versionFile + ": is data-dir a PostgreSQL data directory drover may read?");
            } else {
                version = Files.readString(versionFile, StandardCharsets.UTF_8).strip();
            }
            checkOwner(own, local.osUser(), problems);
        }
        ClientTools tools = version.isEmpty() ? null : serverPrograms(version, problems);
        boolean running = runningServer(dataDir).isPresent();
        checkSameServer(member, dataDir, running, problems);

        PrimaryFacts primaryFacts = primaryFacts(primary);
        if (!version.isEmpty() && primaryFacts.versionKey() != versionKey(version)) {
            problems.add("its data directory is PostgreSQL " + version + " but primary " + primary.name() + " runs "
                    + ClientTools.majorName(primaryFacts.versionKey()) + "; a standby must run the primary's major version");
        }

        RejoinMethod method = local.method() == RejoinMethod.BASE_BACKUP ? RejoinMethod.BASE_BACKUP : RejoinMethod.REWIND;
        Optional<String> whyNoRewind = Optional.empty();
        if (local.method() != RejoinMethod.BASE_BACKUP) {
            if (baseBackupUnderway && local.method() == RejoinMethod.AUTO) {
                whyNoRewind = Optional.of("an interrupted base backup is taken anew");
            } else if (Files.exists(state.resolve(REWIND_STARTED))) {
                whyNoRewind = Optional.of("an earlier pg_rewind of " + dataDir + " was interrupted, so its data cannot"
                        + " be trusted");
            } else if (!primaryFacts.fullPageWrites()) {
                whyNoRewind = Optional.of("primary " + primary.name() + " has full_page_writes off");
            } else if (tools != null && Files.isDirectory(own)) {
                whyNoRewind = rewindBlockedByControlData(tools, local.osUser(), own, problems);
            }
            if (whyNoRewind.isPresent()) {
                if (local.method() == RejoinMethod.REWIND) {
                    problems.add("pg_rewind cannot rewind it: " + whyNoRewind.get() + "; set rejoin: base-backup or auto");
                } else {
                    method = RejoinMethod.BASE_BACKUP;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException("cannot rejoin member " + member.where() + " to " + primary.where() + ": "
                    + String.join("; ", problems));
        }
        return new Inspection(local, tools, version, method, whyNoRewind, Files.isDirectory(state), running);
    }

    private record PrimaryFacts(int versionKey, boolean fullPageWrites) {
    }

    private PrimaryFacts primaryFacts(Member primary) throws IOException {
        try (Connection connection = database.connect(primary);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select current_setting('server_version_num')::int,"
                     + " current_setting('full_page_writes')")) {
            row.next();
            return new PrimaryFacts(ClientTools.versionKey(row.getInt(1)), "on".equals(row.getString(2)));
        } catch (SQLException e) {
            throw new IOException("cannot read the settings of primary member " + primary.where() + ": "
                    + Jdbc.message(e), e);
        }
    }

    /** {@code 15} → 1500, {@code 9.6} → 906, as {@link ClientTools#versionKey} numbers versions. */
    static int versionKey(String pgVersion) {
        String[] parts = pgVersion.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            return major >= 10 || parts.length == 1 ? major * 100 : major * 100 + Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private ClientTools serverPrograms(String version, List<String> problems) {
        int wanted = versionKey(version);
        try {
            ClientTools tools = ClientTools.serverPrograms(Optional.empty(), wanted, toolTimeout);
            if (tools.version() != wanted) {
                problems.add("its data directory is PostgreSQL " + version + ", but the server programs found are "
                        + ClientTools.majorName(tools.version()) + " (in " + tools.where() + "); install postgresql-"
                        + version);
                return null;
            }
            for (String program : List.of("pg_ctl", "pg_rewind", "pg_basebackup", "pg_controldata")) {
                if (tools.bin().isPresent() && !Files.isExecutable(tools.bin().get().resolve(program))) {
                    problems.add("there is no " + program + " in " + tools.where());
                }
            }
            return tools;
        } catch (IOException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** The programs must run as the owner of the data directory: PostgreSQL insists, and so do its files. */
    private static void checkOwner(Path dataDir, String osUser, List<String> problems) throws IOException {
        if (OsUser.runningAsRoot()) {
            String owner = Files.getOwner(dataDir).getName();
            if (!owner.equals(osUser)) {
                problems.add("its data directory " + dataDir + " belongs to " + owner + ", not to os-user " + osUser);
            }
        } else if (!osUser.equals(System.getProperty("user.name"))) {
            problems.add("drover runs as " + System.getProperty("user.name") + ", which can run the server programs"
                    + " neither as os-user " + osUser + " nor switch to it; run drover as " + osUser + " or as root");
        }
    }

    /**
     * Guards against stopping and rewriting another server than the member's (a wrong data-dir):
     * the member's server must report data-dir as its data directory or, when it cannot be asked,
     * listen on the member's port.
     */
    private void checkSameServer(Member member, Path dataDir, boolean running, List<String> problems) throws IOException {
        Optional<String> reported = Optional.empty();
        try (Connection connection = database.connect(member);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select current_setting('data_directory')")) {
            row.next();
            reported = Optional.of(row.getString(1));
        } catch (IOException | SQLException e) {
            // Down, or not allowed to read the setting: the port in postmaster.pid tells instead.
        }
        if (reported.isPresent()) {
            if (!sameFile(Path.of(reported.get()), dataDir)) {
                problems.add("its server reports the data directory " + reported.get() + ", not data-dir " + dataDir);
            }
        } else if (running) {
            Optional<Integer> port = postmasterPort(dataDir);
            if (port.isPresent() && port.get() != member.url().port()) {
                problems.add("the server running in data-dir " + dataDir + " listens on port " + port.get()
                        + ", not on the member's port " + member.url().port() + "; is data-dir the member's?");
            }
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /** Why pg_rewind would refuse this data directory, from {@code pg_controldata}; empty when it would not. */
    private Optional<String> rewindBlockedByControlData(ClientTools tools, String osUser, Path dataDir,
                                                        List<String> problems) throws IOException {
        String control;
        try {
            control = new String(ClientTools.process("pg_controldata",
                            OsUser.command(osUser, List.of(tools.path("pg_controldata"), "-D", dataDir.toString())))
                    .workingDirectory(Path.of("/")).environment(Map.of("LC_ALL", "C")).timeout(toolTimeout).run(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add("cannot read the control file of " + dataDir + ": " + e.getMessage());
            return Optional.empty();
        }
        Matcher hints = WAL_LOG_HINTS.matcher(control);
        Matcher checksums = CHECKSUMS.matcher(control);
        boolean hintsOn = hints.find() && "on".equals(hints.group(1));
        boolean checksumsOn = checksums.find() && !"0".equals(checksums.group(1));
        return hintsOn || checksumsOn ? Optional.empty()
                : Optional.of("its data directory has neither wal_log_hints = on nor data checksums");
    }

    // ---- the server -------------------------------------------------------------------------------

    /** The postmaster of {@code dataDir} if it runs, from {@code postmaster.pid}. */
    static Optional<ProcessHandle> runningServer(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.getFirst().strip());
            // A crash leaves the file behind and its pid may be reused: only a postgres process counts.
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> process.info().command()
                    .map(command -> command.endsWith("postgres") || command.endsWith("postmaster")).orElse(true));
        } catch (IOException | NumberFormatException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> postmasterPort(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.size() > 3 ? Optional.of(Integer.parseInt(lines.get(3).strip())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void stop(Member member, Inspection found, long deadline) throws IOException, InterruptedException {
        LocalServer local = found.local();
        if (runningServer(local.dataDir()).isEmpty()) {
            return;
        }
        // A service manager's command runs as drover's user (systemctl and pg_ctlcluster need root or
        // switch users themselves); pg_ctl runs as the data directory's owner.
        String waitSeconds = String.valueOf(Math.max(1, remaining(deadline, member).toSeconds()));
        List<String> command = local.stopCommand().orElseGet(() -> OsUser.command(local.osUser(),
                List.of(found.tools().path("pg_ctl"), "-D", local.dataDir().toString(), "-m", "fast", "-w", "-t",
                        waitSeconds, "stop")));
        String name = local.stopCommand().isPresent() ? "the stop-command of member " + member.name() : "pg_ctl stop";
        ClientTools.process(name, command).workingDirectory(Path.of("/")).discardStdout()
                .timeout(remaining(deadline, member)).run();
        // The server removes postmaster.pid as it exits; ProcessHandle.isAlive would also count a zombie.
        while (runningServer(local.dataDir()).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the server of member " + member.where() + " still runs after " + name);
            }
            Thread.sleep(50);
        }
    }

    private void start(Member member, Inspection found, long deadline) throws IOException {
        LocalServer local = found.local();
        Path log = local.dataDir().resolve(SERVER_LOG);
        List<String> command;
        if (local.startCommand().isPresent()) {
            command = local.startCommand().get();
        } else {
            Files.createDirectories(log.getParent());
            OsUser.handOver(log.getParent(), local.osUser());
            command = OsUser.command(local.osUser(), List.of(found.tools().path("pg_ctl"), "-D",
                    local.dataDir().toString(), "-l", log.toString(), "-w", "-t",
                    String.valueOf(Math.max(1, remaining(deadline, member).toSeconds())), "start"));
        }
        String name = local.startCommand().isPresent() ? "the start-command of member " + member.name() : "pg_ctl start";
        try {
            ClientTools.process(name, command).workingDirectory(Path.of("/")).discardStdout()
                    .timeout(remaining(deadline, member)).run();
        } catch (IOException e) {
            String tail = local.startCommand().isPresent() ? "" : logTail(log);
            throw new IOException("member " + member.where() + " is ready as a standby but did not start: " + e.getMessage()
                    + (tail.isEmpty() ? "" : "; its log ends with: " + tail) + ". Fix that and rejoin again", e);
        }
    }

    private void awaitStreaming(Member member, Member primary, LocalServer local, long deadline, Duration timeout)
            throws IOException, InterruptedException {
        String last = "";
        while (true) {
            try {
                if (database.replicatesFrom(member.name(), primary.name())) {
                    return;
                }
                last = database.status(member.name()).detail();
            } catch (IOException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                String tail = local.startCommand().isPresent() ? "" : logTail(local.dataDir().resolve(SERVER_LOG));
                throw new IOException("member " + member.where() + " was started as a standby of " + primary.name()
                        + " but does not stream from it within " + HumanDuration.format(timeout) + ": " + last
                        + (tail.isEmpty() ? "" : "; its log ends with: " + tail));
            }
            Thread.sleep(100);
        }
    }

    // ---- rewind and base backup -------------------------------------------------------------------

    /**
     * What a rewind did: {@code done} with what it copied, or not done (its dry run failed, which
     * changes nothing) with why not.
     */
    private record Rewind(boolean done, String report) {
    }

    /**
     * Rewinds the member's data directory from the primary; the dry run first, whose failure means
     * that pg_rewind cannot, with nothing changed. A failure of the real run throws.
     */
    private Rewind rewind(Member member, Member primary, Inspection found, long deadline)
            throws IOException {
        LocalServer local = found.local();
        Path dataDir = local.dataDir();
        Path state = local.stateDir();
        Path oldData = state.resolve(OLD_DATA);
        if (Files.isDirectory(oldData)) {
            // An interrupted base backup, now to be a rewind: back to the member's own data.
            TemporaryInstance.deleteTree(dataDir);
            Files.move(oldData, dataDir, StandardCopyOption.ATOMIC_MOVE);
        }
        List<String> command = List.of(found.tools().path("pg_rewind"), "--target-pgdata=" + dataDir,
                "--source-server=" + primary.url().conninfo());
        Optional<String> notReady = checkpointSincePromotion(primary);
        if (notReady.isPresent()) {
            return new Rewind(false, notReady.get());
        }
        try (PassFile pass = PassFile.create(primary.url(), primary.password())) {
            pass.handOver(local.osUser());
            try {
                runProgram("pg_rewind --dry-run", local.osUser(), append(command, "--dry-run"), pass, deadline, member);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                return new Rewind(false, e.getMessage());
            }
            Path marker = state.resolve(REWIND_STARTED);
            Files.writeString(marker, "pg_rewind of " + dataDir + " from " + primary.where() + " began\n");
            String output;
            try {
                output = runProgram("pg_rewind", local.osUser(), command, pass, deadline, member);
            } catch (IOException e) {
                throw new IOException("pg_rewind of member " + member.where() + " from " + primary.where() + " failed"
                        + " after it began to change the data directory " + dataDir + ": " + e.getMessage()
                        + "; its data must be copied anew: rejoin again"
                        + (local.method() == RejoinMethod.AUTO ? " (it takes a new base backup)"
                        : " with rejoin: base-backup or auto"), e);
            }
            Files.delete(marker);
            if (output.contains("no rewind required")) {
                return new Rewind(true, " (no rewind required)");
            }
            Matcher copied = NEED_TO_COPY.matcher(output);
            return new Rewind(true, copied.find() ? " (copied " + copied.group(1) + ")" : "");
        }
    }

    /**
     * Makes the primary's control file show its current timeline. pg_rewind reads the timeline from
     * there, and a newly promoted server updates it only at its first checkpoint, which runs in the
     * background: before it, pg_rewind finds "no rewind required" and the member could never follow.
     * Returns why not when that cannot be done.
     */
    private Optional<String> checkpointSincePromotion(Member primary) throws IOException {
        try (Connection connection = database.connect(primary)) {
            try {
                Jdbc.execute(connection, "checkpoint");
                return Optional.empty();
            } catch (SQLException refused) {
                try (Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("select (select timeline_id from pg_control_checkpoint())"
                             + " = ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int")) {
                    row.next();
                    return row.getBoolean(1) ? Optional.empty() : Optional.of("the last checkpoint of primary "
                            + primary.name() + " predates its promotion, and " + primary.url().user() + " may not run"
                            + " CHECKPOINT (" + Jdbc.message(refused) + "); grant pg_checkpoint to it");
                }
            }
        } catch (SQLException e) {
            return Optional.of("cannot tell whether the last checkpoint of primary " + primary.name()
                    + " follows its promotion: " + Jdbc.message(e));
        }
    }

    /**
     * Replaces the data directory with a new base backup of the primary. The old one is moved aside
     * first and put back if the copy fails, so that the member never lacks its only copy.
     */
    private String baseBackup(Member member, Member primary, Inspection found, long deadline) throws IOException {
        LocalServer local = found.local();
        Path dataDir = local.dataDir();
        Path oldData = local.stateDir().resolve(OLD_DATA);
        if (Files.isDirectory(oldData)) {
            // An unfinished copy from an interrupted attempt: the member's own data is safe aside.
            TemporaryInstance.deleteTree(dataDir);
        } else {
            Files.move(dataDir, oldData, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.createDirectory(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            OsUser.handOver(dataDir, local.osUser());
            try (PassFile pass = PassFile.create(primary.url(), primary.password())) {
                pass.handOver(local.osUser());
                runProgram("pg_basebackup", local.osUser(), List.of(found.tools().path("pg_basebackup"), "-d",
                        primary.url().conninfo(), "-D", dataDir.toString(), "-X", "stream", "-c", "fast", "-w"),
                        pass, deadline, member);
            }
        } catch (IOException e) {
            try {
                TemporaryInstance.deleteTree(dataDir);
                Files.move(oldData, dataDir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException restore) {
                e.addSuppressed(restore);
                throw new IOException("a new base backup of " + primary.where() + " for member " + member.where()
                        + " failed, and its old data directory could not be put back; it is in " + oldData
                        + ": " + e.getMessage(), e);
            }
            throw new IOException("a new base backup of " + primary.where() + " for member " + member.where()
                    + " failed: " + e.getMessage() + "; its data directory is as it was (the server is stopped)", e);
        }
        return "new base backup of " + primary.name() + " (" + megabytes(size(dataDir)) + ")";
    }

    private String runProgram(String name, String osUser, List<String> command, PassFile pass, long deadline,
                              Member member) throws IOException {
        try (ChildProcess child = ClientTools.process(name, OsUser.command(osUser, command))
                .workingDirectory(Path.of("/")).environment(pass.environment()).environment(Map.of("LC_ALL", "C"))
                .timeout(remaining(deadline, member)).start()) {
            child.stdout().transferTo(OutputStream.nullOutputStream());
            child.awaitSuccess();
            return child.stderrTail();
        }
    }

    private static List<String> append(List<String> command, String argument) {
        List<String> longer = new ArrayList<>(command);
        longer.add(argument);
        return longer;
    }

    // ---- configuration ----------------------------------------------------------------------------

    /**
     * Copies the member's own configuration files into the state directory once, before anything
     * changes; a repeated rejoin uses that copy, since the data directory may hold the primary's by then.
     */
    private static void saveOwnConfiguration(LocalServer local) throws IOException {
        Path state = local.stateDir();
        if (Files.exists(state.resolve(CONFIG_SAVED))) {
            return;
        }
        Path oldData = state.resolve(OLD_DATA);
        Path own = Files.isDirectory(oldData) ? oldData : local.dataDir();
        Path saved = state.resolve(SAVED_CONFIG);
        TemporaryInstance.deleteTree(saved);
        Files.createDirectory(saved);
        for (String file : OWN_FILES) {
            if (Files.exists(own.resolve(file))) {
                Files.copy(own.resolve(file), saved.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Files.createFile(state.resolve(CONFIG_SAVED));
    }

    /**
     * Puts back the member's own configuration files, points {@code primary_conninfo} at the
     * primary, removes a fence and a replication slot the primary does not have, and adds
     * {@code standby.signal}. Returns what it changed beyond that, for the description.
     */
    private List<String> configureAsStandby(Member member, Member primary, LocalServer local) throws IOException {
        Path dataDir = local.dataDir();
        Path saved = local.stateDir().resolve(SAVED_CONFIG);
        for (String file : OWN_FILES) {
            Path target = dataDir.resolve(file);
            if (Files.exists(saved.resolve(file))) {
                Files.copy(saved.resolve(file), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                OsUser.handOver(target, local.osUser());
            } else {
                Files.deleteIfExists(target);
            }
        }
        Path autoConf = dataDir.resolve("postgresql.auto.conf");
        ServerSettingsFile auto = new ServerSettingsFile(readIfExists(autoConf));
        ServerSettingsFile conf = new ServerSettingsFile(readIfExists(dataDir.resolve("postgresql.conf")));
        List<String> changes = new ArrayList<>();

        Map<String, String> conninfo = new LinkedHashMap<>();
        Optional<String> existing = auto.get("primary_conninfo").or(() -> conf.get("primary_conninfo"))
                .filter(text -> !text.isBlank());
        if (existing.isPresent()) {
            try {
                conninfo.putAll(Conninfo.parse(existing.get()));
            } catch (IllegalArgumentException e) {
                // Its text may hold a password: say only that it was replaced.
                changes.add("replaced a primary_conninfo that could not be read");
            }
        }
        conninfo.keySet().removeAll(Set.of("host", "hostaddr", "port"));
        Map<String, String> pointed = new LinkedHashMap<>();
        pointed.put("host", primary.url().host());
        pointed.put("port", String.valueOf(primary.url().port()));
        pointed.putAll(conninfo);
        pointed.putIfAbsent("user", primary.url().user());
        pointed.putIfAbsent("application_name", member.name());
        auto.set("primary_conninfo", Conninfo.format(pointed));

        if (auto.remove(Set.of("default_transaction_read_only"))) {
            changes.add("its fence (default_transaction_read_only) removed");
        }
        Optional<String> slot = auto.get("primary_slot_name").or(() -> conf.get("primary_slot_name"))
                .filter(name -> !name.isBlank());
        if (slot.isPresent() && !primaryHasSlot(primary, slot.get())) {
            // A slot on the old primary: streaming through a slot the new one lacks would fail.
            auto.set("primary_slot_name", "");
            changes.add("primary_slot_name " + slot.get() + " cleared (no such slot on " + primary.name() + ")");
        }
        if (!Files.exists(autoConf)) {
            Files.createFile(autoConf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(autoConf, auto.text(), StandardCharsets.UTF_8);
        OsUser.handOver(autoConf, local.osUser());
        Path signal = dataDir.resolve("standby.signal");
        if (!Files.exists(signal)) {
            Files.createFile(signal, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            OsUser.handOver(signal, local.osUser());
        }
        // Targeted recovery would end in promotion; a standby replays for ever.
        Files.deleteIfExists(dataDir.resolve("recovery.signal"));
        // With the socket directory in the data directory, the copies bring the primary's socket lock
        // files along (and a crash leaves the member's own): no server runs here now, so none is valid.
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path lock : files.filter(f -> f.getFileName().toString().matches("\\.s\\.PGSQL\\.\\d+\\.lock")).toList()) {
                Files.deleteIfExists(lock);
            }
        }
        return changes;
    }

    private boolean primaryHasSlot(Member primary, String slot) throws IOException {
        try (Connection connection = database.connect(primary);
             PreparedStatement statement = connection.prepareStatement(
                     "select 1 from pg_replication_slots where slot_name = ? and slot_type = 'physical'")) {
            statement.setString(1, slot);
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the replication slots of primary member " + primary.where() + ": "
                    + Jdbc.message(e), e);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Deletes the state directory (with an old data directory in it); a failure is reported, not thrown. */
    private static String removeLeftovers(Path state) {
        if (!Files.exists(state, LinkOption.NOFOLLOW_LINKS)) {
            return "";
        }
        try {
            TemporaryInstance.deleteTree(state);
            return "";
        } catch (IOException e) {
            LOG.warn("cannot delete {} after a rejoin: {}", state, e.toString());
            return " (" + state + " could not be deleted: " + e.getMessage() + ")";
        }
    }

    private static Duration remaining(long deadline, Member member) throws IOException {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new IOException("the rejoin of member " + member.where() + " ran out of time");
        }
        return Duration.ofNanos(nanos);
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())).strip();
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static long size(Path tree) throws IOException {
        try (Stream<Path> paths = Files.walk(tree)) {
            return paths.filter(Files::isRegularFile).mapToLong(path -> {
                try {
                    return Files.size(path);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }
}
