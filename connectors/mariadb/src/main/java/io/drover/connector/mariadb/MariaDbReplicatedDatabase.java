package io.drover.connector.mariadb;

import io.drover.core.model.Secret;
import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.DatabaseRejoin;
import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.ReplicationSample;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * A {@code mariadb} or {@code mysql} replicated database: a primary with binary logging and replicas
 * of it. The heartbeat is one row (id 1) of a small table in the members' database, upserted on the
 * primary with {@code UTC_TIMESTAMP(6)} and read back, as replicated, on each replica. Times travel
 * as text formatted by the server and are read as UTC, so neither the JVM's nor the servers' time
 * zone matters.
 *
 * <p>The primary is the member that is one now: the member on site {@code primary} while it is a
 * writable primary (no replication configured, {@code read_only} off), otherwise the first other
 * member that is, so heartbeats and samples follow a switchover. Samples fall back to a fenced
 * primary when no member is writable (in the middle of a switchover).
 *
 * <p>Bytes behind compare the primary's binary log write position ({@code SHOW MASTER STATUS}) with
 * the binary log position up to which a replica has executed ({@code Relay_Master_Log_File},
 * {@code Exec_Master_Log_Pos}): in the same file the difference, across files the rest of the
 * replica's file plus the files in between plus the primary's position, with sizes from
 * {@code SHOW BINARY LOGS} on the primary. They are left empty (with the reason in the detail) when
 * a replica replicates from another server than the primary or its file was purged.
 *
 * <p>Failover: a fence is {@code read_only} ON (MySQL: {@code super_read_only}) and the end of every
 * other client session. On MariaDB accounts with READ_ONLY ADMIN (before 10.11 also SUPER) still
 * write through {@code read_only}: keep that privilege from applications, or a fence does not stop
 * them. Promotion applies what the replica received, then drops its replication configuration.
 * Rejoining makes a former primary a GTID replica of the new one ({@code MASTER_USE_GTID = slave_pos};
 * MySQL: {@code SOURCE_AUTO_POSITION}) and refuses a member that has transactions the new primary
 * never logged: MariaDB cannot discard them, so such a member is rebuilt from a backup.
 *
 * <p>Every connection gives up after the config's timeout; replicas are read in parallel. Nothing
 * stays open between calls.
 */
final class MariaDbReplicatedDatabase implements ReplicatedDatabase, DatabaseFailover, DatabaseRejoin {
    private static final int NO_SUCH_TABLE = 1146;
    private static final int PARSE_ERROR = 1064;
    private static final int UNKNOWN_THREAD = 1094;
    private static final String TIME_FORMAT = "'%Y-%m-%d %H:%i:%s.%f'";
    private static final DateTimeFormatter SERVER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS",
            Locale.ROOT);
    private static final long POLL_MILLIS = 20;
    /** How long the SQL thread's position must stand still before "read all relay log" counts as applied. */
    private static final Duration SETTLED = Duration.ofMillis(200);
    /** Threads that belong to replication or the server itself; a fence leaves them running. */
    private static final String SERVER_THREADS = "user not in ('system user', 'event_scheduler') and command not in"
            + " ('Binlog Dump', 'Binlog Dump GTID', 'Daemon', 'Slave_IO', 'Slave_SQL', 'Slave_worker', 'Killed')";

    private final Flavor flavor;
    private final MariaDbDatabaseConfig config;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Member configuredPrimary;
    private final String database;

    /** One configured server. */
    record Member(String name, String site, DbUrl url, Endpoint endpoint) {
        String where() {
            return "member " + name + " (" + url.hostPort() + ")";
        }
    }

    MariaDbReplicatedDatabase(Flavor flavor, MariaDbDatabaseConfig config) {
        this.flavor = flavor;
        this.config = config;
        List<Member> primaries = new ArrayList<>();
        config.members().forEach((name, member) -> {
            DbUrl url = DbUrl.require(member.url());
            Member parsed = new Member(name, member.site(), url, Endpoint.of(url, member.password()));
            members.put(name, parsed);
            if (member.site().equals(MariaDbDatabaseConfig.PRIMARY_SITE)) {
                primaries.add(parsed);
            }
        });
        if (primaries.size() != 1) {
            throw new IllegalArgumentException("exactly one member must be on site primary, found " + primaries.size());
        }
        this.configuredPrimary = primaries.getFirst();
        this.database = configuredPrimary.url().database();
    }

    @Override
    public String describe() {
        return flavor.product + " database " + database + " (" + config.members().entrySet().stream()
                .map(e -> e.getKey() + " on " + DbUrl.require(e.getValue().url()).hostPort() + ", site "
                        + e.getValue().site())
                .collect(Collectors.joining("; ")) + ")";
    }

    @Override
    public Map<String, String> sites() {
        Map<String, String> sites = new LinkedHashMap<>();
        config.members().forEach((name, member) -> sites.put(name, member.site()));
        return sites;
    }

    private String table() {
        return Sql.id(database) + "." + Sql.id(config.heartbeatTable());
    }

    private Connection connect(Member member) throws SQLException {
        return member.endpoint().connect(config.timeout(), Optional.of(config.timeout()));
    }

    // ---- which member is the primary now ------------------------------------------------------------

    /** An open session on the member that is the primary now; closing it closes the connection. */
    private record PrimarySession(Member member, Connection connection) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /**
     * Opens a session on the primary now: the configured primary when it is a writable primary,
     * else the first other member that is; with {@code writableOnly} false, else the first fenced
     * primary. Only the configured primary is asked while it is the writable primary.
     *
     * @throws IOException naming every member and what it is when none qualifies
     */
    private PrimarySession openPrimary(boolean writableOnly) throws IOException {
        List<Member> candidates = new ArrayList<>();
        candidates.add(configuredPrimary);
        members.values().stream().filter(m -> m != configuredPrimary).forEach(candidates::add);
        List<String> why = new ArrayList<>();
        PrimarySession fencedPrimary = null;
        for (Member member : candidates) {
            Connection connection;
            try {
                connection = connect(member);
            } catch (SQLException e) {
                why.add(member.where() + ": cannot connect as " + member.url().user() + ": " + e.getMessage());
                continue;
            }
            try {
                boolean readOnly = readOnly(connection);
                Optional<Map<String, String>> replication = replicationOrEmptyWhenDenied(connection, member);
                boolean primary = replication.map(status -> !replicates(status)).orElse(true);
                if (primary && !readOnly) {
                    closeQuietly(fencedPrimary);
                    return new PrimarySession(member, connection);
                }
                if (primary && !writableOnly && fencedPrimary == null) {
                    fencedPrimary = new PrimarySession(member, connection);
                    continue;
                }
                why.add(member.where() + (primary ? ": a primary, but read-only (read_only ON: fenced?)"
                        : ": a replica of " + source(replication.get()) + " (read_only " + (readOnly ? "ON" : "OFF") + ")"));
            } catch (SQLException e) {
                why.add(member.where() + ": cannot read its role: " + e.getMessage());
            }
            closeQuietly(connection);
        }
        if (fencedPrimary != null) {
            return fencedPrimary;
        }
        throw new IOException("no member of " + flavor.product + " database " + database + " is a "
                + (writableOnly ? "writable " : "") + "primary: " + String.join("; ", why)
                + "; was there a failover that is not finished (promote the new primary), or are all members down?");
    }

    /**
     * The replication status, or empty when there is none or this account may not read it; the
     * latter only for the configured primary, whose account needs no REPLICA MONITOR to measure lag.
     */
    private Optional<Map<String, String>> replicationOrEmptyWhenDenied(Connection connection, Member member)
            throws SQLException {
        try {
            return replication(connection);
        } catch (SQLException e) {
            if (member != configuredPrimary || lostConnection(e)) {
                throw e;
            }
            return Optional.empty();
        }
    }

    private static void closeQuietly(PrimarySession session) {
        if (session != null) {
            closeQuietly(session.connection());
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing was written on it; the server drops the session either way
        }
    }

    // ---- heartbeat and sample -----------------------------------------------------------------------

    @Override
    public void writeHeartbeat() throws IOException {
        try (PrimarySession primary = openPrimary(true); Statement statement = primary.connection().createStatement()) {
            String upsert = "insert into " + table() + " (id, written_at) values (1, utc_timestamp(6)) "
                    + "on duplicate key update written_at = utc_timestamp(6)";
            try {
                statement.executeUpdate(upsert);
            } catch (SQLException e) {
                if (e.getErrorCode() != NO_SUCH_TABLE) {
                    throw new IOException("cannot write the heartbeat into " + database + "." + config.heartbeatTable()
                            + " on the primary, " + primary.member().where() + ", as " + primary.member().url().user()
                            + ": " + e.getMessage(), e);
                }
                statement.execute("create table if not exists " + table()
                        + " (id int primary key, written_at datetime(6) not null)");
                statement.executeUpdate(upsert);
            }
        } catch (SQLException e) {
            throw new IOException("cannot write the heartbeat into " + database + "." + config.heartbeatTable()
                    + " on the primary: " + e.getMessage(), e);
        }
    }

    @Override
    public ReplicationSample sample() throws IOException {
        try (PrimarySession primary = openPrimary(false)) {
            Connection connection = primary.connection();
            Instant now;
            long serverId;
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("select date_format(utc_timestamp(6), " + TIME_FORMAT
                         + "), @@server_id")) {
                row.next();
                now = parseTime(row.getString(1));
                serverId = row.getLong(2);
            }
            Optional<Instant> heartbeat = readHeartbeat(connection);
            PrimaryPosition position = primaryPosition(connection, primary.member());
            List<ReplicaState> states = readReplicas(members.values().stream().filter(m -> m != primary.member()).toList());
            BinaryLogs logs = new BinaryLogs(connection);
            List<ReplicationSample.Standby> standbys = new ArrayList<>();
            for (ReplicaState state : states) {
                standbys.add(state.standby(position, serverId, logs));
            }
            return new ReplicationSample(primary.member().name(), now, heartbeat, standbys);
        } catch (SQLException e) {
            throw new IOException("cannot sample the primary of " + flavor.product + " database " + database + ": "
                    + e.getMessage(), e);
        }
    }

    /** The newest heartbeat, empty when the table does not exist (yet). */
    private Optional<Instant> readHeartbeat(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select date_format(written_at, " + TIME_FORMAT + ") from "
                     + table() + " where id = 1")) {
            return row.next() ? Optional.of(parseTime(row.getString(1))) : Optional.empty();
        } catch (SQLException e) {
            if (e.getErrorCode() == NO_SUCH_TABLE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A server's {@code DATE_FORMAT(..., '%Y-%m-%d %H:%i:%s.%f')} of a UTC time. */
    static Instant parseTime(String text) {
        return LocalDateTime.parse(text, SERVER_TIME).toInstant(ZoneOffset.UTC);
    }

    /** The primary's binary log write position, or why there is none. */
    record PrimaryPosition(Optional<String> file, long position, String problem) {
    }

    private PrimaryPosition primaryPosition(Connection connection, Member primary) {
        try {
            Optional<Map<String, String>> status = flavor == Flavor.MYSQL
                    ? firstRow(connection, "show binary log status", "show master status")
                    : firstRow(connection, "show master status", null);
            if (status.isEmpty() || status.get().get("File") == null) {
                return new PrimaryPosition(Optional.empty(), 0, "the primary " + primary.name()
                        + " has no binary log (log_bin is off)");
            }
            return new PrimaryPosition(Optional.of(status.get().get("File")), Long.parseLong(status.get().get("Position")),
                    "");
        } catch (SQLException e) {
            return new PrimaryPosition(Optional.empty(), 0, "cannot read the primary's binary log position: "
                    + e.getMessage() + (flavor == Flavor.MARIADB ? " (grant BINLOG MONITOR)" : " (grant REPLICATION CLIENT)"));
        }
    }

    /** The first row of {@code sql} by column label; {@code fallback} is tried when the server does not know {@code sql}. */
    private static Optional<Map<String, String>> firstRow(Connection connection, String sql, String fallback)
            throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            if (!row.next()) {
                return Optional.empty();
            }
            ResultSetMetaData meta = row.getMetaData();
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                values.put(meta.getColumnLabel(i), row.getString(i));
            }
            return Optional.of(values);
        } catch (SQLException e) {
            if (fallback != null && e.getErrorCode() == PARSE_ERROR) {
                return firstRow(connection, fallback, null);
            }
            throw e;
        }
    }

    /** Reads every replica at once, each on its own virtual thread; never throws for a replica. */
    private List<ReplicaState> readReplicas(List<Member> replicas) throws IOException {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ReplicaState>> futures = new ArrayList<>();
            for (Member replica : replicas) {
                futures.add(executor.submit(() -> readReplica(replica)));
            }
            List<ReplicaState> states = new ArrayList<>();
            for (int i = 0; i < replicas.size(); i++) {
                try {
                    states.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    states.add(ReplicaState.unreachable(replicas.get(i), "could not be read: " + e.getCause()));
                }
            }
            return states;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the replicas of " + describe());
        }
    }

    private ReplicaState readReplica(Member replica) {
        Connection connection;
        try {
            connection = connect(replica);
        } catch (SQLException e) {
            return ReplicaState.unreachable(replica, "cannot connect to " + replica.where() + " as "
                    + replica.url().user() + ": " + e.getMessage());
        }
        try (connection) {
            Optional<Instant> heartbeat;
            String heartbeatNote = "";
            try {
                heartbeat = readHeartbeat(connection);
                if (heartbeat.isEmpty()) {
                    heartbeatNote = "no heartbeat here yet";
                }
            } catch (SQLException e) {
                if (lostConnection(e)) {
                    throw e;
                }
                heartbeat = Optional.empty();
                heartbeatNote = "cannot read the heartbeat: " + e.getMessage();
            }
            Optional<Map<String, String>> status;
            try {
                status = replication(connection);
            } catch (SQLException e) {
                if (lostConnection(e)) {
                    throw e;
                }
                return new ReplicaState(replica, true, heartbeat, Optional.empty(), join("cannot read the replication "
                        + "status: " + e.getMessage() + (flavor == Flavor.MARIADB ? " (grant REPLICA MONITOR)"
                        : " (grant REPLICATION CLIENT)"), heartbeatNote));
            }
            return new ReplicaState(replica, true, heartbeat, status, heartbeatNote);
        } catch (SQLException e) {
            return ReplicaState.unreachable(replica, replica.where() + " stopped answering: " + e.getMessage());
        }
    }

    // ---- reading a member's replication state --------------------------------------------------------

    /** {@code SHOW SLAVE STATUS} (MySQL: {@code SHOW REPLICA STATUS}, before 8.0.22 the former), empty when it has no row. */
    private Optional<Map<String, String>> replication(Connection connection) throws SQLException {
        return firstRow(connection, flavor.replication.status(), flavor == Flavor.MYSQL ? "show slave status" : null);
    }

    /** Whether a replication status row names a server to replicate from; {@code RESET SLAVE ALL} removes it. */
    static boolean replicates(Map<String, String> status) {
        String host = column(status, "Master_Host", "Source_Host");
        return host != null && !host.isBlank();
    }

    /** {@code host:port} a replica replicates from, as its status says. */
    static String source(Map<String, String> status) {
        String host = blankToEmpty(column(status, "Master_Host", "Source_Host"));
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + blankToEmpty(column(status, "Master_Port", "Source_Port"));
    }

    private static boolean readOnly(Connection connection) throws SQLException {
        String value = MariaDbSource.scalar(connection, "select @@global.read_only");
        return value != null && !value.equals("0") && !value.equalsIgnoreCase("OFF");
    }

    private static String scalar(Connection connection, String sql) throws SQLException {
        return MariaDbSource.scalar(connection, sql);
    }

    private Member member(String name) {
        Member member = members.get(name);
        if (member == null) {
            throw new IllegalArgumentException("no member '" + name + "' in " + flavor.product + " database " + database
                    + "; members: " + members.keySet());
        }
        return member;
    }

    /** One member's state, read in one session. */
    private record State(boolean readOnly, Optional<Map<String, String>> replication, String written, String applied,
                         PrimaryPosition binlog) {
        boolean replica() {
            return replication.isPresent() && replicates(replication.get());
        }
    }

    private State state(Connection connection, Member member) throws SQLException {
        boolean readOnly = readOnly(connection);
        Optional<Map<String, String>> replication = replication(connection);
        String written;
        String applied;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select " + flavor.replication.writtenGtids() + ", "
                     + flavor.replication.appliedGtids())) {
            row.next();
            written = blankToEmpty(row.getString(1));
            applied = blankToEmpty(row.getString(2));
        }
        return new State(readOnly, replication, written, applied, primaryPosition(connection, member));
    }

    private IOException unreachable(Member member, String doing, SQLException e) {
        return new IOException("cannot " + doing + " " + member.where() + " as " + member.url().user() + ": "
                + e.getMessage(), e);
    }

    // ---- failover ------------------------------------------------------------------------------------

    @Override
    public MemberStatus status(String name) {
        Member member = member(name);
        State state;
        try (Connection connection = connect(member)) {
            state = state(connection, member);
        } catch (SQLException e) {
            return MemberStatus.unreachable(name, unreachable(member, "read the state of", e).getMessage()
                    + (lostConnection(e) ? "" : flavor == Flavor.MARIADB
                    ? " (the account needs REPLICA MONITOR and BINLOG MONITOR)" : " (the account needs REPLICATION CLIENT)"));
        }
        String binlog = state.binlog().file().map(file -> file + ":" + state.binlog().position()).orElse("");
        if (state.replica()) {
            Map<String, String> status = state.replication().get();
            Optional<String> replayed = !state.applied().isEmpty() ? Optional.of(state.applied())
                    : Optional.ofNullable(column(status, "Relay_Master_Log_File", "Relay_Source_Log_File"))
                    .filter(file -> !file.isBlank())
                    .map(file -> file + ":" + column(status, "Exec_Master_Log_Pos", "Exec_Source_Log_Pos"));
            String detail = "replica of " + source(status) + ": " + threads(status)
                    + replayed.map(position -> ", applied " + position).orElse("")
                    + (state.readOnly() ? "" : ", read_only OFF: clients can write on this replica");
            return new MemberStatus(name, true, Role.STANDBY, false, false, Optional.empty(), replayed, detail);
        }
        Optional<String> current = !state.written().isEmpty() ? Optional.of(state.written())
                : binlog.isEmpty() ? Optional.empty() : Optional.of(binlog);
        String detail = "primary (no replication configured), "
                + (state.readOnly() ? "fenced (read_only ON)" + bypassNote() : "writable (read_only OFF)")
                + (binlog.isEmpty() ? ", " + state.binlog().problem()
                : ", binary log at " + (state.written().isEmpty() ? binlog : state.written() + " (" + binlog + ")"));
        return new MemberStatus(name, true, Role.PRIMARY, !state.readOnly(), state.readOnly(), current,
                state.applied().isEmpty() ? Optional.empty() : Optional.of(state.applied()), detail);
    }

    private String bypassNote() {
        return flavor.replication.bypassedBy().isEmpty() ? ""
                : "; accounts with " + flavor.replication.bypassedBy() + " can still write";
    }

    /**
     * Sets {@code read_only} (MySQL: {@code super_read_only}) ON, then ends every other client
     * session ({@code KILL CONNECTION}) so that no transaction begun before goes on; replication
     * threads and the connections of replicas stay. Accounts with the privilege that bypasses
     * {@code read_only} (MariaDB: READ_ONLY ADMIN, before 10.11 also SUPER) can still write after a
     * fence; MySQL's {@code super_read_only} holds for them too. The fence account needs that
     * privilege to set the variable, CONNECTION ADMIN and PROCESS (to see the other sessions).
     */
    @Override
    public void fence(String name) throws IOException {
        Member member = member(name);
        try (Connection connection = connect(member); Statement statement = connection.createStatement()) {
            // Setting read_only waits for statements that hold table locks; fail cleanly before the socket times out.
            statement.execute("set session lock_wait_timeout = " + Math.max(1, config.timeout().toSeconds() / 2));
            statement.execute("set global " + flavor.replication.fenceVariable() + " = ON");
            endOtherSessions(connection, member);
            if (!readOnly(connection)) {
                throw new IOException(member.where() + " is still writable after set global "
                        + flavor.replication.fenceVariable() + " = ON");
            }
        } catch (SQLException e) {
            throw unreachable(member, "fence", e);
        }
    }

    private void endOtherSessions(Connection connection, Member member) throws SQLException, IOException {
        List<Long> sessions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select id from information_schema.processlist"
                     + " where id <> connection_id() and " + SERVER_THREADS)) {
            while (rows.next()) {
                sessions.add(rows.getLong(1));
            }
        }
        List<String> refused = new ArrayList<>();
        for (long session : sessions) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("kill connection " + session);
            } catch (SQLException e) {
                if (e.getErrorCode() != UNKNOWN_THREAD) { // it ended by itself meanwhile
                    refused.add(session + " (" + e.getMessage() + ")");
                }
            }
        }
        if (!refused.isEmpty()) {
            throw new IOException(member.where() + " is read-only now, but these sessions could not be ended: "
                    + String.join(", ", refused) + "; grant the account CONNECTION ADMIN, then fence again");
        }
    }

    /** Sets {@code read_only} OFF (which also ends MySQL's {@code super_read_only}); refused on a replica. */
    @Override
    public void unfence(String name) throws IOException {
        Member member = member(name);
        try (Connection connection = connect(member); Statement statement = connection.createStatement()) {
            Optional<Map<String, String>> replication = replication(connection);
            if (replication.isPresent() && replicates(replication.get())) {
                throw new IOException(member.where() + " is a replica of " + source(replication.get())
                        + "; unfencing it would let clients write on a replica. Promote it to make it a primary");
            }
            statement.execute("set global read_only = OFF");
        } catch (SQLException e) {
            throw unreachable(member, "unfence", e);
        }
    }

    @Override
    public boolean fenced(String name) throws IOException {
        MemberStatus status = status(name);
        if (!status.reachable()) {
            throw new IOException(status.detail());
        }
        return status.fenced();
    }

    @Override
    public void waitForReplay(String standby, Duration timeout) throws IOException, InterruptedException {
        Member member = member(standby);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = connect(member)) {
            Optional<Map<String, String>> replication = replication(connection);
            if (replication.isEmpty() || !replicates(replication.get())) {
                throw new IOException(member.where() + " is not a replica but a primary (promoted already?); only a"
                        + " replica replays");
            }
            String upstream = source(replication.get());
            Target target = readTarget(member, upstream);
            if (target.gtids().isEmpty()) {
                return;
            }
            while (true) {
                long left = deadline - System.nanoTime();
                // Short slices keep every answer within the socket timeout.
                double slice = Math.max(0.001, Math.min(left, config.timeout().toNanos() / 2) / 1e9);
                if (left > 0 && replayed(connection, target.gtids(), slice)) {
                    return;
                }
                if (System.nanoTime() >= deadline) {
                    throw new IOException(member.where() + " did not replay " + target.primary().name() + "'s position "
                            + target.gtids() + " within " + timeout + ": " + behind(connection, member, target));
                }
            }
        } catch (SQLException e) {
            throw unreachable(member, "wait for the replay of", e);
        }
    }

    /** A primary's position read once: its GTIDs and binary log write position. */
    private record Target(Member primary, String gtids, PrimaryPosition binlog) {
    }

    /**
     * The position of the primary {@code standby} replicates from: the other member that is a
     * primary, preferring the one at {@code upstream}.
     */
    private Target readTarget(Member standby, String upstream) throws IOException {
        List<Member> others = new ArrayList<>(members.values().stream().filter(m -> m != standby).toList());
        others.sort((a, b) -> Boolean.compare(!a.url().hostPort().equalsIgnoreCase(upstream),
                !b.url().hostPort().equalsIgnoreCase(upstream)));
        List<String> why = new ArrayList<>();
        for (Member other : others) {
            try (Connection connection = connect(other)) {
                State state = state(connection, other);
                if (!state.replica()) {
                    if (state.written().isEmpty() && state.binlog().file().isEmpty()) {
                        throw new IOException("primary " + other.where() + " has no binary log to replay from: "
                                + state.binlog().problem());
                    }
                    return new Target(other, state.written(), state.binlog());
                }
                why.add(other.where() + " is a replica too");
            } catch (SQLException e) {
                why.add(unreachable(other, "read the position of", e).getMessage());
            }
        }
        throw new IOException("no primary of " + standby.where() + " can be read: " + String.join("; ", why));
    }

    private boolean replayed(Connection connection, String gtids, double seconds) throws SQLException {
        try (PreparedStatement wait = connection.prepareStatement("select " + flavor.replication.waitFunction()
                + "(?, " + String.format(Locale.ROOT, "%.3f", seconds) + ")")) {
            wait.setString(1, gtids);
            try (ResultSet row = wait.executeQuery()) {
                row.next();
                return row.getInt(1) == 0;
            }
        }
    }

    /** How far a replica is behind {@code target}, in transactions (MariaDB) and binary log bytes, in words. */
    private String behind(Connection connection, Member standby, Target target) {
        List<String> parts = new ArrayList<>();
        try {
            State state = state(connection, standby);
            if (flavor == Flavor.MARIADB) {
                long transactions = GtidList.parse(target.gtids()).transactionsAhead(GtidList.parse(state.applied()));
                parts.add("at " + (state.applied().isEmpty() ? "no GTID" : state.applied()) + ", " + transactions
                        + " transactions");
            }
            Map<String, String> status = state.replication().orElse(Map.of());
            Optional<String> file = Optional.ofNullable(column(status, "Relay_Master_Log_File", "Relay_Source_Log_File"))
                    .filter(f -> !f.isBlank());
            Optional<Long> executed = parseLong(column(status, "Exec_Master_Log_Pos", "Exec_Source_Log_Pos"));
            Behind behind;
            if (target.binlog().file().isEmpty() || file.isEmpty() || executed.isEmpty()) {
                behind = new Behind(Optional.empty(), "no binary log positions to compare");
            } else {
                try (Connection primary = connect(target.primary())) {
                    behind = new BinaryLogs(primary).behind(target.binlog().file().get(), target.binlog().position(),
                            file.get(), executed.get());
                }
            }
            parts.add(behind.bytes().map(bytes -> bytes + " bytes").orElse("unknown bytes (" + behind.problem() + ")")
                    + " behind");
            parts.add(threads(status));
        } catch (SQLException | IllegalArgumentException e) {
            parts.add("unknown bytes behind: " + e.getMessage());
        }
        return String.join(", ", parts);
    }

    /**
     * Stops receiving, lets the SQL thread apply everything received (starting it when it was
     * paused; giving up when it stops with an error or stands still for the config's timeout), then
     * sets {@code read_only} OFF and drops the replication configuration. In that order, so that a
     * promotion interrupted half-way is finished by promoting again: a member without replication
     * configuration counts as a primary already, and a fenced primary stays fenced.
     */
    @Override
    public void promote(String name) throws IOException, InterruptedException {
        Member member = member(name);
        try (Connection connection = connect(member); Statement statement = connection.createStatement()) {
            Optional<Map<String, String>> replication = replication(connection);
            if (replication.isEmpty() || !replicates(replication.get())) {
                return;
            }
            String sqlError = blankToEmpty(column(replication.get(), "Last_SQL_Error", "Last_Error"));
            if (!sqlError.isEmpty()) {
                throw new IOException("cannot promote " + member.where() + ": its SQL thread stopped with '" + sqlError
                        + "', so it did not apply all it received; fix that and start it, or stop and reset the replica"
                        + " by hand to promote it without those transactions");
            }
            statement.execute(flavor.replication.stopIoThread());
            if (!"Yes".equalsIgnoreCase(column(replication.get(), "Slave_SQL_Running", "Replica_SQL_Running"))) {
                statement.execute(flavor.replication.startSqlThread());
            }
            awaitRelayLogApplied(connection, member);
            statement.execute(flavor.replication.stop());
            statement.execute("set global read_only = OFF");
            statement.execute(flavor.replication.resetAll());
        } catch (SQLException e) {
            throw unreachable(member, "promote", e);
        }
    }

    private void awaitRelayLogApplied(Connection connection, Member member) throws SQLException, IOException,
            InterruptedException {
        String lastExecuted = null;
        long movedAt = System.nanoTime();
        while (true) {
            Map<String, String> status = replication(connection).orElseThrow(() -> new IOException(member.where()
                    + " lost its replication configuration while being promoted"));
            String received = column(status, "Master_Log_File", "Source_Log_File") + ":"
                    + column(status, "Read_Master_Log_Pos", "Read_Source_Log_Pos");
            String executed = column(status, "Relay_Master_Log_File", "Relay_Source_Log_File") + ":"
                    + column(status, "Exec_Master_Log_Pos", "Exec_Source_Log_Pos");
            if (received.equals(executed)) {
                return;
            }
            if (!executed.equals(lastExecuted)) {
                lastExecuted = executed;
                movedAt = System.nanoTime();
            }
            Duration still = Duration.ofNanos(System.nanoTime() - movedAt);
            // A transaction received only in part is never applied; the SQL thread then waits at its start.
            String sqlState = blankToEmpty(column(status, "Slave_SQL_Running_State", "Replica_SQL_Running_State"));
            if (sqlState.contains("read all relay log") && still.compareTo(SETTLED) >= 0) {
                return;
            }
            String sqlError = blankToEmpty(column(status, "Last_SQL_Error", "Last_Error"));
            if (!sqlError.isEmpty() || still.compareTo(config.timeout()) > 0) {
                throw new IOException("cannot promote " + member.where() + ": it applied up to " + executed
                        + " of the received " + received + " and " + (sqlError.isEmpty() ? "stood still for "
                        + config.timeout() : "its SQL thread stopped with '" + sqlError + "'")
                        + "; its IO thread is stopped now");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    // ---- rejoin --------------------------------------------------------------------------------------

    /** What a rejoin found before changing anything. */
    private record RejoinPlan(Member member, Member primary, boolean alreadyReplicating, boolean writable,
                              String resumeFrom) {
        String describe() {
            return alreadyReplicating ? member.name() + " already replicates from " + primary.name()
                    : (writable ? "fence " + member.name() + " (read_only ON, sessions ended), then " : "")
                    + "make " + member.name() + " a read-only replica of " + primary.name() + " ("
                    + primary.url().hostPort() + ") resuming after its own GTID position " + resumeFrom
                    + ", start replication and wait until it has caught up";
        }
    }

    @Override
    public String planRejoin(String member, String primary) throws IOException {
        return plan(member, primary).describe();
    }

    @Override
    public boolean replicatesFrom(String member, String primary) throws IOException {
        Member m = member(member);
        Member p = member(primary);
        try (Connection connection = connect(m)) {
            return replicatesFrom(replication(connection), p);
        } catch (SQLException e) {
            throw unreachable(m, "read the replication status of", e);
        }
    }

    /** Configured to replicate from {@code primary}'s address, receiving (or connecting) and applying. */
    private static boolean replicatesFrom(Optional<Map<String, String>> replication, Member primary) {
        if (replication.isEmpty() || !replicates(replication.get())) {
            return false;
        }
        Map<String, String> status = replication.get();
        String io = column(status, "Slave_IO_Running", "Replica_IO_Running");
        return source(status).equalsIgnoreCase(primary.url().hostPort())
                && ("Yes".equalsIgnoreCase(io) || "Connecting".equalsIgnoreCase(io))
                && "Yes".equalsIgnoreCase(column(status, "Slave_SQL_Running", "Replica_SQL_Running"));
    }

    private RejoinPlan plan(String memberName, String primaryName) throws IOException {
        Member member = member(memberName);
        Member primary = member(primaryName);
        if (member == primary) {
            throw new IllegalArgumentException("a member cannot rejoin as a replica of itself: " + memberName);
        }
        try (Connection p = connect(primary); Connection m = connect(member)) {
            State primaryState = state(p, primary);
            if (primaryState.replica() || primaryState.readOnly()) {
                throw new IOException(primary.where() + " is not a writable primary to rejoin " + memberName + " to ("
                        + (primaryState.replica() ? "a replica of " + source(primaryState.replication().get())
                        : "read_only ON, fenced") + "); promote the new primary first");
            }
            State memberState = state(m, member);
            if (replicatesFrom(memberState.replication(), primary)) {
                return new RejoinPlan(member, primary, true, false, "");
            }
            if (config.replicationUser().isEmpty()) {
                throw new IOException("cannot rejoin " + member.where() + ": the database config names no"
                        + " replication-user (and replication-password) for " + memberName + " to replicate from "
                        + primaryName + " with");
            }
            String resumeFrom = requireNotDiverged(member, memberState, primary, p);
            return new RejoinPlan(member, primary, false, !memberState.replica() && !memberState.readOnly(), resumeFrom);
        } catch (SQLException e) {
            throw new IOException("cannot read " + primary.where() + " and " + member.where() + " to rejoin "
                    + memberName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where {@code member} resumes replicating: its own newest GTIDs. Refuses with the GTIDs that
     * {@code primary} never logged, since replicating on top of them would keep writes the primary lacks.
     */
    private String requireNotDiverged(Member member, State state, Member primary, Connection primaryConnection)
            throws SQLException, IOException {
        String remedy = "; rebuild " + member.name() + " from a backup of " + primary.name()
                + " (drover restore) and set it up as a replica of it";
        if (flavor == Flavor.MYSQL) {
            try (PreparedStatement subtract = primaryConnection.prepareStatement(
                    "select gtid_subtract(?, @@global.gtid_executed)")) {
                subtract.setString(1, state.written());
                try (ResultSet row = subtract.executeQuery()) {
                    row.next();
                    String diverged = blankToEmpty(row.getString(1));
                    if (!diverged.isEmpty()) {
                        throw new IOException(member.where() + " has diverged: it executed transactions "
                                + primary.name() + " does not have: " + diverged + remedy);
                    }
                }
            }
            return state.written();
        }
        GtidList position = GtidList.parse(state.written()).newestPerDomain(GtidList.parse(state.applied()));
        if (position.isEmpty()) {
            throw new IOException(member.where() + " has no GTID position (no binary log, or nothing ever written), so"
                    + " it is unknown where it would resume replicating from " + primary.name() + remedy);
        }
        GtidList primaryState = GtidList.parse(scalar(primaryConnection, "select @@global.gtid_binlog_state"));
        List<GtidList.Gtid> missing = position.missingFrom(primaryState);
        if (!missing.isEmpty()) {
            throw new IOException(member.where() + " has diverged: its GTIDs " + new GtidList(missing) + " are not in "
                    + primary.name() + "'s binary log (" + primary.name() + " has " + primaryState + "), so "
                    + member.name() + " wrote transactions " + primary.name() + " does not have (or " + primary.name()
                    + " does not log what it replicates: log_slave_updates OFF); MariaDB cannot discard them" + remedy
                    + ". Nothing was changed");
        }
        return position.toString();
    }

    @Override
    public String rejoin(String member, String primary, Duration timeout) throws IOException, InterruptedException {
        RejoinPlan plan = plan(member, primary);
        if (plan.alreadyReplicating()) {
            return plan.describe();
        }
        Member m = plan.member();
        Member p = plan.primary();
        if (plan.writable()) {
            fence(member);
            // A write between the plan and the fence would be a diverged transaction: check again, now fenced.
            plan = plan(member, primary);
        }
        String password = config.replicationPassword().map(Secret::reveal).orElse("");
        String step = "stop replication";
        try (Connection connection = connect(m); Statement statement = connection.createStatement()) {
            statement.execute(flavor.replication.stop());
            step = "set read_only ON";
            statement.execute("set global read_only = ON");
            if (flavor == Flavor.MARIADB) {
                step = "set gtid_slave_pos";
                try (PreparedStatement set = connection.prepareStatement("set global gtid_slave_pos = ?")) {
                    set.setString(1, plan.resumeFrom());
                    set.execute();
                }
            }
            step = "point it at " + p.where();
            try (PreparedStatement change = connection.prepareStatement(flavor == Flavor.MARIADB
                    ? "change master to master_host = ?, master_port = ?, master_user = ?, master_password = ?,"
                    + " master_use_gtid = slave_pos, master_connect_retry = 1"
                    : "change replication source to source_host = ?, source_port = ?, source_user = ?,"
                    + " source_password = ?, source_auto_position = 1, source_connect_retry = 1")) {
                change.setString(1, p.url().host());
                change.setInt(2, p.url().port());
                change.setString(3, config.replicationUser().orElseThrow());
                change.setString(4, password);
                change.execute();
            }
            step = "start replication";
            statement.execute(flavor.replication.start());
            step = "wait until it has caught up";
            awaitCaughtUp(connection, m, p, timeout);
        } catch (SQLException e) {
            // Without the cause: its message could quote the statement, which holds the password.
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (!password.isEmpty()) {
                message = message.replace(password, Secret.REDACTED);
            }
            throw new IOException("rejoining " + m.where() + " to " + p.name() + " failed at '" + step + "': " + message);
        }
        return m.name() + " replicates from " + p.name() + " (" + p.url().hostPort() + ") as "
                + config.replicationUser().orElseThrow() + (flavor == Flavor.MARIADB ? ", resumed after "
                + plan.resumeFrom() : "") + ", read-only, caught up";
    }

    /** Waits until both replication threads run and {@code member} applied {@code primary}'s position as read now. */
    private void awaitCaughtUp(Connection connection, Member member, Member primary, Duration timeout)
            throws SQLException, IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String target;
        try (Connection p = connect(primary)) {
            target = blankToEmpty(scalar(p, "select " + flavor.replication.writtenGtids()));
        }
        while (true) {
            Map<String, String> status = replication(connection).orElseThrow(() -> new IOException(member.where()
                    + " has no replication configuration after CHANGE MASTER"));
            boolean running = "Yes".equalsIgnoreCase(column(status, "Slave_IO_Running", "Replica_IO_Running"))
                    && "Yes".equalsIgnoreCase(column(status, "Slave_SQL_Running", "Replica_SQL_Running"));
            if (running && (target.isEmpty() || replayed(connection, target, 0.001))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(member.where() + " did not catch up with " + primary.name() + "'s " + target
                        + " within " + timeout + ": " + threads(status));
            }
            Thread.sleep(POLL_MILLIS * 5);
        }
    }

    private static boolean lostConnection(SQLException e) {
        return e instanceof SQLNonTransientConnectionException || e instanceof SQLTransientConnectionException
                || e instanceof SQLTimeoutException;
    }

    private static String join(String first, String second) {
        return first.isEmpty() ? second : second.isEmpty() ? first : first + "; " + second;
    }

    /** What was read on one replica; turned into a {@link ReplicationSample.Standby} against the primary's position. */
    record ReplicaState(Member member, boolean reachable, Optional<Instant> heartbeat,
                        Optional<Map<String, String>> status, String note) {
        static ReplicaState unreachable(Member member, String reason) {
            return new ReplicaState(member, false, Optional.empty(), Optional.empty(), reason);
        }

        ReplicationSample.Standby standby(PrimaryPosition position, long primaryServerId, BinaryLogs logs) {
            if (!reachable) {
                return new ReplicationSample.Standby(member.name(), member.site(), false, Optional.empty(),
                        Optional.empty(), note);
            }
            if (status.isEmpty()) {
                String detail = note.startsWith("cannot read the replication status") ? note
                        : join("not a replica (its replication status is empty)", note);
                return new ReplicationSample.Standby(member.name(), member.site(), true, heartbeat, Optional.empty(),
                        detail);
            }
            Map<String, String> s = status.get();
            String detail = threads(s);
            Optional<Long> bytes = Optional.empty();
            long source = parseLong(column(s, "Master_Server_Id", "Source_Server_Id")).orElse(0L);
            Optional<String> file = Optional.ofNullable(column(s, "Relay_Master_Log_File", "Relay_Source_Log_File"))
                    .filter(f -> !f.isEmpty());
            Optional<Long> executed = parseLong(column(s, "Exec_Master_Log_Pos", "Exec_Source_Log_Pos"));
            if (source != 0 && source != primaryServerId) {
                detail = join(detail, "replicates from server id " + source + ", not from the primary (server id "
                        + primaryServerId + "): no bytes behind");
            } else if (position.file().isEmpty()) {
                detail = join(detail, position.problem());
            } else if (file.isEmpty() || executed.isEmpty()) {
                detail = join(detail, "no executed binary log position yet");
            } else {
                Behind behind = logs.behind(position.file().get(), position.position(), file.get(), executed.get());
                bytes = behind.bytes();
                detail = join(detail, behind.problem());
            }
            return new ReplicationSample.Standby(member.name(), member.site(), true, heartbeat, bytes,
                    join(detail, note));
        }
    }

    /** The replication threads in words, e.g. {@code replicating, Seconds_Behind_Master 0}. */
    static String threads(Map<String, String> status) {
        String io = column(status, "Slave_IO_Running", "Replica_IO_Running");
        String sql = column(status, "Slave_SQL_Running", "Replica_SQL_Running");
        String ioError = blankToEmpty(column(status, "Last_IO_Error", "Last_IO_Error"));
        String sqlError = blankToEmpty(column(status, "Last_SQL_Error", "Last_Error"));
        boolean ioRunning = "Yes".equalsIgnoreCase(io);
        boolean sqlRunning = "Yes".equalsIgnoreCase(sql);
        if (ioRunning && sqlRunning) {
            String seconds = column(status, "Seconds_Behind_Master", "Seconds_Behind_Source");
            return "replicating" + (seconds == null ? "" : ", Seconds_Behind_Master " + seconds);
        }
        List<String> parts = new ArrayList<>();
        if ("Connecting".equalsIgnoreCase(io)) {
            parts.add("IO thread connecting to the primary" + (ioError.isEmpty() ? "" : ": " + ioError));
        } else if (!ioRunning) {
            parts.add("IO thread stopped" + (ioError.isEmpty() ? "" : ": " + ioError));
        }
        if (!sqlRunning) {
            parts.add("SQL thread stopped" + (sqlError.isEmpty() ? "" : ": " + sqlError)
                    + (ioRunning ? " (IO thread still receiving)" : ""));
        }
        return String.join("; ", parts);
    }

    private static String column(Map<String, String> status, String name, String otherName) {
        String value = status.get(name);
        return value != null ? value : status.get(otherName);
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }

    private static Optional<Long> parseLong(String value) {
        try {
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Bytes behind, or why they are not known. */
    record Behind(Optional<Long> bytes, String problem) {
    }

    /** The primary's binary logs and their sizes ({@code SHOW BINARY LOGS}), read the first time a replica needs them. */
    static class BinaryLogs {
        private final Connection connection;
        private List<Map.Entry<String, Long>> logs;
        private String problem;

        BinaryLogs(Connection connection) {
            this.connection = connection;
        }

        /** For tests: a fixed list of (file, size). */
        static BinaryLogs of(List<Map.Entry<String, Long>> logs) {
            BinaryLogs fixed = new BinaryLogs(null);
            fixed.logs = List.copyOf(logs);
            return fixed;
        }

        Behind behind(String primaryFile, long primaryPosition, String replicaFile, long replicaPosition) {
            if (primaryFile.equals(replicaFile)) {
                return new Behind(Optional.of(Math.max(0, primaryPosition - replicaPosition)), "");
            }
            List<Map.Entry<String, Long>> list = list();
            if (list == null) {
                return new Behind(Optional.empty(), "replica executed up to " + replicaFile + ", the primary writes "
                        + primaryFile + ", and " + problem);
            }
            int from = indexOf(list, replicaFile);
            int to = indexOf(list, primaryFile);
            if (from < 0) {
                return new Behind(Optional.empty(), "replica executed up to " + replicaFile
                        + ", which is no longer among the primary's binary logs (purged, or another server's)");
            }
            if (to < 0 || to < from) {
                // The primary rotated between the two reads: the replica is at least as far as what we read.
                return new Behind(Optional.of(0L), "");
            }
            long bytes = Math.max(0, list.get(from).getValue() - replicaPosition);
            for (int i = from + 1; i < to; i++) {
                bytes += list.get(i).getValue();
            }
            bytes += primaryPosition;
            return new Behind(Optional.of(bytes), "");
        }

        private static int indexOf(List<Map.Entry<String, Long>> list, String file) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).getKey().equals(file)) {
                    return i;
                }
            }
            return -1;
        }

        private List<Map.Entry<String, Long>> list() {
            if (logs == null && problem == null) {
                try (Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("show binary logs")) {
                    List<Map.Entry<String, Long>> read = new ArrayList<>();
                    while (row.next()) {
                        read.add(Map.entry(row.getString("Log_name"), row.getLong("File_size")));
                    }
                    logs = read;
                } catch (SQLException e) {
                    problem = "the primary's binary logs cannot be listed: " + e.getMessage();
                }
            }
            return logs;
        }
    }
}
