package io.drover.connector.mariadb;

import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.ReplicationSample;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
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
 * <p>Bytes behind compare the primary's binary log write position ({@code SHOW MASTER STATUS}) with
 * the binary log position up to which a replica has executed ({@code Relay_Master_Log_File},
 * {@code Exec_Master_Log_Pos}): in the same file the difference, across files the rest of the
 * replica's file plus the files in between plus the primary's position, with sizes from
 * {@code SHOW BINARY LOGS} on the primary. They are left empty (with the reason in the detail) when
 * a replica replicates from another server than the primary or its file was purged.
 *
 * <p>Every connection gives up after the config's timeout; replicas are read in parallel. Nothing
 * stays open between calls.
 */
final class MariaDbReplicatedDatabase implements ReplicatedDatabase {
    private static final int NO_SUCH_TABLE = 1146;
    private static final int PARSE_ERROR = 1064;
    private static final String TIME_FORMAT = "'%Y-%m-%d %H:%i:%s.%f'";
    private static final DateTimeFormatter SERVER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS",
            Locale.ROOT);

    private final Flavor flavor;
    private final MariaDbDatabaseConfig config;
    private final Member primary;
    private final List<Member> replicas;
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
        List<Member> others = new ArrayList<>();
        config.members().forEach((name, member) -> {
            DbUrl url = DbUrl.require(member.url());
            Member parsed = new Member(name, member.site(), url, Endpoint.of(url, member.password()));
            (member.site().equals(MariaDbDatabaseConfig.PRIMARY_SITE) ? primaries : others).add(parsed);
        });
        if (primaries.size() != 1) {
            throw new IllegalArgumentException("exactly one member must be on site primary, found " + primaries.size());
        }
        this.primary = primaries.getFirst();
        this.replicas = List.copyOf(others);
        this.database = primary.url().database();
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

    @Override
    public void writeHeartbeat() throws IOException {
        try (Connection connection = connect(primary); Statement statement = connection.createStatement()) {
            String readOnly = MariaDbSource.scalar(connection, "select @@read_only");
            if (readOnly != null && !readOnly.equals("0") && !readOnly.equalsIgnoreCase("OFF")) {
                throw new IOException("cannot write the heartbeat on " + primary.url().hostPort() + ": member "
                        + primary.name() + " is read-only; is it a replica? was there a failover? (read_only="
                        + readOnly + "; drover writes heartbeats on the member on site primary only)");
            }
            String upsert = "insert into " + table() + " (id, written_at) values (1, utc_timestamp(6)) "
                    + "on duplicate key update written_at = utc_timestamp(6)";
            try {
                statement.executeUpdate(upsert);
            } catch (SQLException e) {
                if (e.getErrorCode() != NO_SUCH_TABLE) {
                    throw e;
                }
                statement.execute("create table if not exists " + table()
                        + " (id int primary key, written_at datetime(6) not null)");
                statement.executeUpdate(upsert);
            }
        } catch (SQLException e) {
            throw new IOException("cannot write the heartbeat into " + database + "." + config.heartbeatTable()
                    + " on the primary, " + primary.where() + ", as " + primary.url().user() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ReplicationSample sample() throws IOException {
        try (Connection connection = connect(primary)) {
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
            PrimaryPosition position = primaryPosition(connection);
            List<ReplicaState> states = readReplicas();
            BinaryLogs logs = new BinaryLogs(connection);
            List<ReplicationSample.Standby> standbys = new ArrayList<>();
            for (ReplicaState state : states) {
                standbys.add(state.standby(position, serverId, logs));
            }
            return new ReplicationSample(primary.name(), now, heartbeat, standbys);
        } catch (SQLException e) {
            throw new IOException("cannot sample the primary, " + primary.where() + ", as " + primary.url().user()
                    + ": " + e.getMessage(), e);
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

    private PrimaryPosition primaryPosition(Connection connection) {
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
    private List<ReplicaState> readReplicas() throws IOException {
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
                status = flavor == Flavor.MYSQL
                        ? firstRow(connection, "show replica status", "show slave status")
                        : firstRow(connection, "show slave status", null);
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
