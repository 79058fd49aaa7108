package io.drover.connector.postgres;

import io.drover.core.model.Secret;
import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.DatabaseRejoin;
import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.ReplicationSample;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A PostgreSQL primary and its streaming standbys. The heartbeat is one row ({@code id = 1}) that
 * is stamped with the primary's {@code clock_timestamp()}; a standby has it once it replayed the
 * WAL that wrote it. Each call opens its own short-lived connections with short timeouts, so a
 * dead server costs at most about {@code timeout} and nothing is left open between samples. A
 * standby that cannot be connected to, or whose state cannot be read, is reported unreachable
 * with the reason; the standbys are read in parallel, right after the primary.
 *
 * <p>The primary that heartbeats and samples use is the member that takes writes now: the one on
 * site {@code primary} while it does, else another member that does (after a switchover or a
 * failover), so that lag is still measured; when none does, the one on site {@code primary}, whose
 * errors then say why. A rejoin ({@link PostgresRejoin}) needs the member's {@code data-dir}.
 */
final class PostgresReplicatedDatabase implements ReplicatedDatabase, DatabaseFailover, DatabaseRejoin {
    private static final String UNDEFINED_TABLE = "42P01";
    private static final String READ_ONLY_TRANSACTION = "25006";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    /** One member: name, site, where it is, its password, and its server on this host if drover may rejoin it. */
    record Member(String name, String site, PostgresUrl url, Optional<Secret> password, Optional<LocalServer> local) {
        Member {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(local, "local");
        }

        /** A member drover only connects to. */
        Member(String name, String site, PostgresUrl url, Optional<Secret> password) {
            this(name, site, url, password, Optional.empty());
        }

        /** {@code dc1 (db1:5432)}, for messages. */
        String where() {
            return name + " (" + url.hostPort() + ")";
        }
    }

    private final String name;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Member primary;
    private final List<Member> standbys;
    private final Map<String, String> sites;
    private final String heartbeatTable;
    private final String table;
    private final Duration timeout;
    private final PostgresRejoin rejoin;

    PostgresReplicatedDatabase(String name, List<Member> members, String heartbeatTable, Duration timeout) {
        this.name = name;
        members.forEach(m -> this.members.put(m.name(), m));
        List<Member> primaries = members.stream().filter(m -> PostgresDatabaseConfig.PRIMARY_SITE.equals(m.site())).toList();
        if (primaries.size() != 1) {
            throw new IllegalArgumentException("exactly one member must be on site primary, not " + primaries.size());
        }
        this.primary = primaries.getFirst();
        this.standbys = members.stream().filter(m -> m != primary).toList();
        Map<String, String> bySite = new LinkedHashMap<>();
        members.forEach(m -> bySite.put(m.name(), m.site()));
        this.sites = java.util.Collections.unmodifiableMap(bySite);
        this.heartbeatTable = heartbeatTable;
        this.table = Identifiers.qualified(heartbeatTable);
        this.timeout = timeout;
        this.rejoin = new PostgresRejoin(this, Duration.ofMinutes(1));
    }

    @Override
    public String describe() {
        return "PostgreSQL database " + primary.url().database() + " (" + name + "): primary " + primary.where()
                + (standbys.isEmpty() ? "" : ", standby " + standbys.stream().map(Member::where)
                .collect(Collectors.joining(", ")));
    }

    @Override
    public Map<String, String> sites() {
        return sites;
    }

    // ---- heartbeat --------------------------------------------------------------------------------

    /**
     * The member that takes writes now: the configured primary when it does, else the first other
     * member that does; the configured primary when none does, so that its errors say why.
     */
    private Member currentPrimary() throws IOException {
        if (status(primary.name()).writablePrimary()) {
            return primary;
        }
        List<Member> writable = inParallel(standbys, member -> status(member.name()).writablePrimary() ? member : null);
        return writable.stream().filter(Objects::nonNull).findFirst().orElse(primary);
    }

    /** {@code read} of every member at once, in their order; {@code read} must not throw. */
    private <T> List<T> inParallel(List<Member> of, Function<Member, T> read) throws IOException {
        List<T> results = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (Member member : of) {
                futures.add(executor.submit(() -> read.apply(member)));
            }
            for (Future<T> future : futures) {
                results.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the members of " + name);
        } catch (ExecutionException e) {
            throw new IOException("reading the members of " + name + " failed: " + e.getCause(), e.getCause());
        }
        return results;
    }

    @Override
    public void writeHeartbeat() throws IOException {
        Member writer = currentPrimary();
        try (Connection connection = connect(writer)) {
            try {
                upsertHeartbeat(connection, writer);
            } catch (SQLException e) {
                if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                    throw e;
                }
                createTable(connection, writer);
                upsertHeartbeat(connection, writer);
            }
        } catch (SQLException e) {
            throw new IOException("cannot write the heartbeat into " + heartbeatTable + " on primary member "
                    + writer.where() + ": " + Jdbc.message(e), e);
        }
    }

    private void upsertHeartbeat(Connection connection, Member writer) throws SQLException, IOException {
        try {
            Jdbc.execute(connection, "insert into " + table + " (id, written_at) values (1, clock_timestamp())"
                    + " on conflict (id) do update set written_at = excluded.written_at");
        } catch (SQLException e) {
            throw explainRefusedWrite(connection, e, writer);
        }
    }

    private void createTable(Connection connection, Member writer) throws SQLException, IOException {
        String create = "create table if not exists " + table + " (id int primary key, written_at timestamptz not null)";
        try {
            Jdbc.execute(connection, create);
        } catch (SQLException e) {
            SQLException cause = explainRefusedWrite(connection, e, writer);
            if (INSUFFICIENT_PRIVILEGE.equals(cause.getSQLState())) {
                throw new IOException("cannot create the heartbeat table " + heartbeatTable + " on primary member "
                        + writer.where() + ": " + Jdbc.message(e) + "; create it once as a user who may, with "
                        + create + ", and grant select, insert, update on it to " + writer.url().user(), e);
            }
            throw cause;
        }
    }

    /**
     * Turns a refused write into a clear message: the primary may be a standby now (a failover) or
     * read-only; any other failure is returned as it is.
     */
    private SQLException explainRefusedWrite(Connection connection, SQLException e, Member writer) throws IOException {
        if (!READ_ONLY_TRANSACTION.equals(e.getSQLState())) {
            return e;
        }
        boolean inRecovery;
        try {
            inRecovery = inRecovery(connection);
        } catch (SQLException ignored) {
            inRecovery = false;
        }
        if (inRecovery) {
            throw notAPrimary(writer);
        }
        throw new IOException("primary member " + writer.where() + " refuses writes: " + Jdbc.message(e)
                + "; is default_transaction_read_only on?", e);
    }

    private static IOException notAPrimary(Member member) {
        return new IOException("member " + member.name() + " (" + member.url().hostPort()
                + ") is a standby (in recovery), not a primary; was there a failover? Set site: primary on the member"
                + " that is the primary now");
    }

    private static boolean inRecovery(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select pg_is_in_recovery()")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    // ---- sample -----------------------------------------------------------------------------------

    @Override
    public ReplicationSample sample() throws IOException {
        Member source = currentPrimary();
        Instant primaryNow;
        Optional<Instant> primaryHeartbeat;
        long primaryLsn;
        try (Connection connection = connect(source)) {
            Row row = withHeartbeat(connection, "clock_timestamp(), pg_is_in_recovery(),"
                    + " case when pg_is_in_recovery() then null else pg_current_wal_insert_lsn()::text end");
            if (row.values().getBoolean(2)) {
                throw notAPrimary(source);
            }
            primaryNow = row.values().getObject(1, OffsetDateTime.class).toInstant();
            primaryLsn = writtenUpTo(parseLsn(row.values().getString(3)));
            primaryHeartbeat = row.heartbeat();
        } catch (SQLException e) {
            throw new IOException("cannot read the state of primary member " + source.where() + ": " + Jdbc.message(e), e);
        }
        List<Member> others = members.values().stream().filter(m -> m != source).toList();
        List<ReplicationSample.Standby> read = inParallel(others, standby -> standby(standby, primaryLsn));
        return new ReplicationSample(source.name(), primaryNow, primaryHeartbeat, read);
    }

    /** One standby's state; never throws for what the standby does or does not answer. */
    private ReplicationSample.Standby standby(Member standby, long primaryLsn) {
        Connection connection;
        try {
            connection = connect(standby);
        } catch (IOException e) {
            return unreachable(standby, e.getMessage());
        }
        try (connection) {
            Row row = withHeartbeat(connection, "pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
                    + " pg_last_wal_receive_lsn()::text,"
                    + " case when pg_is_in_recovery() then pg_is_wal_replay_paused() else false end,"
                    + " (select status from pg_stat_wal_receiver), exists (select 1 from pg_stat_wal_receiver)");
            ResultSet values = row.values();
            boolean inRecovery = values.getBoolean(1);
            String replayed = values.getString(2);
            String received = values.getString(3);
            boolean paused = values.getBoolean(4);
            String receiverStatus = values.getString(5);
            boolean receiverRunning = values.getBoolean(6);

            List<String> detail = new ArrayList<>();
            Optional<Long> bytesBehind = Optional.empty();
            if (!inRecovery) {
                detail.add("not in recovery (promoted?)");
            } else {
                if (paused) {
                    detail.add("replay paused");
                }
                if (receiverStatus != null) {
                    detail.add("streaming".equals(receiverStatus) ? "streaming" : "WAL receiver " + receiverStatus);
                } else {
                    detail.add(receiverRunning ? "WAL receiver running" : "not streaming (no WAL receiver)");
                }
                if (replayed != null) {
                    bytesBehind = Optional.of(Math.max(0, primaryLsn - parseLsn(replayed)));
                    if (received != null && parseLsn(received) > parseLsn(replayed)) {
                        detail.add((parseLsn(received) - parseLsn(replayed)) + " bytes received not replayed");
                    }
                }
            }
            if (row.tableMissing()) {
                detail.add("no heartbeat table yet");
            } else if (row.heartbeat().isEmpty()) {
                detail.add("no heartbeat yet");
            }
            return new ReplicationSample.Standby(standby.name(), standby.site(), true, row.heartbeat(), bytesBehind,
                    String.join(", ", detail));
        } catch (SQLException e) {
            return unreachable(standby, "cannot read the state of member " + standby.where() + ": " + Jdbc.message(e));
        } catch (RuntimeException e) {
            return unreachable(standby, "cannot read the state of member " + standby.where() + ": " + e);
        }
    }

    private static ReplicationSample.Standby unreachable(Member standby, String why) {
        return new ReplicationSample.Standby(standby.name(), standby.site(), false, Optional.empty(), Optional.empty(),
                why == null || why.isBlank() ? "unreachable" : why);
    }

    /** The first row of {@code select <columns>} and the heartbeat (its last column), read in one statement. */
    private record Row(ResultSet values, Optional<Instant> heartbeat, boolean tableMissing) {
    }

    private Row withHeartbeat(Connection connection, String columns) throws SQLException {
        Statement statement = connection.createStatement();
        // Closed with the connection; each connection runs one such query.
        ResultSet values;
        boolean tableMissing = false;
        try {
            values = statement.executeQuery("select " + columns + ", (select written_at from " + table + " where id = 1)");
        } catch (SQLException e) {
            if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
            tableMissing = true;
            values = statement.executeQuery("select " + columns + ", null::timestamptz");
        }
        values.next();
        int heartbeatColumn = values.getMetaData().getColumnCount();
        Optional<Instant> heartbeat = Optional.ofNullable(values.getObject(heartbeatColumn, OffsetDateTime.class))
                .map(OffsetDateTime::toInstant);
        return new Row(values, heartbeat, tableMissing);
    }

    Connection connect(Member member) throws IOException {
        try {
            return Jdbc.connectBriefly(member.url(), member.password(), timeout);
        } catch (IOException e) {
            throw new IOException("member " + member.name() + ": " + e.getMessage(), e);
        }
    }

    // ---- failover -------------------------------------------------------------------------------

    private Member member(String member) {
        Member m = members.get(member);
        if (m == null) {
            throw new IllegalArgumentException("no member '" + member + "' in database " + name + "; members: "
                    + members.keySet());
        }
        return m;
    }

    /**
     * Reads a member's state in a new session, so it sees the server's defaults (a fence) rather
     * than a session's.
     */
    @Override
    public MemberStatus status(String member) {
        Member m = member(member);
        try (Connection connection = connect(m);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select pg_is_in_recovery(), current_setting('default_transaction_read_only'),"
                     + " case when pg_is_in_recovery() then null else pg_current_wal_insert_lsn()::text end,"
                     + " pg_last_wal_replay_lsn()::text,"
                     + " case when pg_is_in_recovery() then pg_is_wal_replay_paused() else false end,"
                     + " (select status from pg_stat_wal_receiver)")) {
            row.next();
            boolean inRecovery = row.getBoolean(1);
            boolean readOnly = "on".equals(row.getString(2));
            Optional<String> current = Optional.ofNullable(row.getString(3));
            Optional<String> replayed = Optional.ofNullable(row.getString(4));
            List<String> detail = new ArrayList<>();
            if (inRecovery) {
                detail.add("standby (in recovery)");
                if (row.getBoolean(5)) {
                    detail.add("replay paused");
                }
                String receiver = row.getString(6);
                detail.add(receiver == null ? "not streaming (no WAL receiver)" : "WAL receiver " + receiver);
                replayed.ifPresent(lsn -> detail.add("replayed " + lsn));
            } else {
                detail.add("primary (not in recovery)");
                detail.add(readOnly ? "read-only (default_transaction_read_only on): fenced" : "writable");
                current.ifPresent(lsn -> detail.add("at " + lsn));
            }
            return new MemberStatus(member, true, inRecovery ? Role.STANDBY : Role.PRIMARY, !inRecovery && !readOnly,
                    !inRecovery && readOnly, current, replayed, String.join(", ", detail));
        } catch (IOException e) {
            return MemberStatus.unreachable(member, e.getMessage());
        } catch (SQLException e) {
            return MemberStatus.unreachable(member, "cannot read the state of member " + m.where() + ": " + Jdbc.message(e));
        }
    }

    /**
     * Sets {@code default_transaction_read_only} for the server ({@code ALTER SYSTEM}, so it also
     * holds after a restart), reloads the configuration, waits until a new session is read-only,
     * then ends every other client session, so no transaction that began writable goes on.
     */
    @Override
    public void fence(String member) throws IOException {
        Member m = member(member);
        try (Connection connection = connect(m)) {
            Jdbc.execute(connection, "alter system set default_transaction_read_only = on");
            Jdbc.execute(connection, "select pg_reload_conf()");
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!fenced(member)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("member " + m.where() + " still takes writes " + timeout
                            + " after default_transaction_read_only was set and the configuration reloaded");
                }
                Thread.sleep(20);
            }
            Jdbc.execute(connection, "select pg_terminate_backend(pid) from pg_stat_activity"
                    + " where backend_type = 'client backend' and pid <> pg_backend_pid()");
        } catch (SQLException e) {
            throw new IOException("cannot fence member " + m.where() + ": " + Jdbc.message(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fencing member " + m.where());
        }
    }

    /** Resets the server's {@code default_transaction_read_only} and waits until a new session may write. */
    @Override
    public void unfence(String member) throws IOException {
        Member m = member(member);
        try (Connection connection = connect(m)) {
            Jdbc.execute(connection, "alter system reset default_transaction_read_only");
            Jdbc.execute(connection, "select pg_reload_conf()");
            long deadline = System.nanoTime() + timeout.toNanos();
            while (fenced(member)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("member " + m.where() + " is still read-only " + timeout
                            + " after default_transaction_read_only was reset and the configuration reloaded");
                }
                Thread.sleep(20);
            }
        } catch (SQLException e) {
            throw new IOException("cannot unfence member " + m.where() + ": " + Jdbc.message(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while unfencing member " + m.where());
        }
    }

    @Override
    public boolean fenced(String member) throws IOException {
        Member m = member(member);
        try (Connection connection = connect(m);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select current_setting('default_transaction_read_only')")) {
            row.next();
            return "on".equals(row.getString(1));
        } catch (SQLException e) {
            throw new IOException("cannot read whether member " + m.where() + " is fenced: " + Jdbc.message(e), e);
        }
    }

    @Override
    public void waitForReplay(String standby, Duration wait) throws IOException, InterruptedException {
        Member m = member(standby);
        MemberStatus state = status(standby);
        if (!state.reachable()) {
            throw new IOException(state.detail());
        }
        if (state.role() != Role.STANDBY) {
            throw new IOException("member " + m.where() + " is not a standby (not in recovery: promoted already?)");
        }
        List<String> why = new ArrayList<>();
        Optional<MemberStatus> source = Optional.empty();
        for (String other : members.keySet()) {
            if (!other.equals(standby)) {
                MemberStatus s = status(other);
                if (s.reachable() && s.role() == Role.PRIMARY && s.currentLsn().isPresent()) {
                    source = Optional.of(s);
                    break;
                }
                why.add(other + ": " + s.detail());
            }
        }
        MemberStatus primaryNow = source.orElseThrow(() -> new IOException("no primary of " + standby
                + " can be reached to read its write position: " + String.join("; ", why)));
        String targetText = primaryNow.currentLsn().orElseThrow();
        long target = writtenUpTo(parseLsn(targetText));
        long deadline = System.nanoTime() + wait.toNanos();
        try (Connection connection = connect(m)) {
            while (true) {
                String replayed;
                try (Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery("select pg_last_wal_replay_lsn()::text")) {
                    row.next();
                    replayed = row.getString(1);
                }
                long left = replayed == null ? target : target - parseLsn(replayed);
                if (left <= 0) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("member " + m.where() + " did not replay up to " + primaryNow.member() + "'s "
                            + targetText + " within " + wait + ": at " + replayed + ", " + left + " bytes left");
                }
                Thread.sleep(20);
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the replay position of member " + m.where() + ": " + Jdbc.message(e), e);
        }
    }

    @Override
    public void promote(String member) throws IOException, InterruptedException {
        Member m = member(member);
        try (Connection connection = connect(m)) {
            if (!inRecovery(connection)) {
                return;
            }
            long seconds = Math.max(1, timeout.toSeconds());
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("select pg_promote(true, " + seconds + ")")) {
                row.next();
                if (!row.getBoolean(1)) {
                    throw new IOException("member " + m.where() + " did not finish its promotion within " + seconds + "s");
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot promote member " + m.where() + ": " + Jdbc.message(e), e);
        }
    }

    // ---- rejoin ---------------------------------------------------------------------------------

    /** Both members, refusing unknown names and a member that would follow itself. */
    private Member[] memberAndPrimary(String member, String primaryName) {
        Member m = member(member);
        Member p = member(primaryName);
        if (m == p) {
            throw new IllegalArgumentException("member " + member + " cannot rejoin as a standby of itself");
        }
        return new Member[] {m, p};
    }

    @Override
    public String planRejoin(String member, String primaryName) throws IOException {
        Member[] pair = memberAndPrimary(member, primaryName);
        return rejoin.plan(pair[0], pair[1]);
    }

    /**
     * In recovery, with a WAL receiver that streams from the primary's host and port as its URL
     * names them ({@code pg_stat_wal_receiver}; {@code primary_conninfo} when the user may not read
     * that receiver's details).
     */
    @Override
    public boolean replicatesFrom(String member, String primaryName) throws IOException {
        Member[] pair = memberAndPrimary(member, primaryName);
        Member m = pair[0];
        PostgresUrl upstream = pair[1].url();
        try (Connection connection = connect(m);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select pg_is_in_recovery(), r.pid, r.status, r.sender_host,"
                     + " r.sender_port from (select 1) one left join pg_stat_wal_receiver r on true")) {
            row.next();
            if (!row.getBoolean(1) || row.getObject(2) == null) {
                return false;
            }
            String status = row.getString(3);
            if (status != null) {
                String host = row.getString(4);
                return "streaming".equals(status) && host != null
                        && Endpoints.same(host, row.getInt(5), upstream.host(), upstream.port());
            }
            // Without pg_read_all_stats the receiver's details are hidden; its configuration tells instead.
            try (ResultSet conninfo = statement.executeQuery("select current_setting('primary_conninfo')")) {
                conninfo.next();
                Map<String, String> keywords = Conninfo.parse(conninfo.getString(1));
                String host = keywords.getOrDefault("host", keywords.getOrDefault("hostaddr", "/tmp"));
                int port = Integer.parseInt(keywords.getOrDefault("port", String.valueOf(PostgresUrl.DEFAULT_PORT)));
                return Endpoints.same(host, port, upstream.host(), upstream.port());
            } catch (IllegalArgumentException e) {
                throw new IOException("cannot tell whom member " + m.where() + " replicates from: its primary_conninfo"
                        + " cannot be read", e);
            }
        } catch (SQLException e) {
            String hint = INSUFFICIENT_PRIVILEGE.equals(e.getSQLState()) ? "; grant pg_monitor to " + m.url().user() : "";
            throw new IOException("cannot tell whom member " + m.where() + " replicates from: " + Jdbc.message(e) + hint, e);
        }
    }

    @Override
    public String rejoin(String member, String primaryName, Duration wait) throws IOException, InterruptedException {
        Member[] pair = memberAndPrimary(member, primaryName);
        return rejoin.rejoin(pair[0], pair[1], wait);
    }

    /** The size of a WAL page, the same in every usual build of PostgreSQL. */
    private static final long WAL_PAGE = 8192;
    /** The header of a page; the first page of a segment has a longer one. */
    private static final long PAGE_HEADER = 24;
    private static final long SEGMENT_PAGE_HEADER = 40;
    /** The smallest WAL segment size; every segment size is a multiple of it. */
    private static final long SMALLEST_SEGMENT = 1024 * 1024;

    /**
     * The end of what was written before the WAL insert position {@code insert}. When the last
     * record ended at a page's end, the insert position is already past the next page's header,
     * where no record has begun yet, and a standby that replayed everything is at the page boundary;
     * waiting for the position itself would wait for the next record (seconds, on an idle or fenced
     * primary).
     */
    static long writtenUpTo(long insert) {
        long inPage = insert % WAL_PAGE;
        if (inPage == PAGE_HEADER || inPage == SEGMENT_PAGE_HEADER && (insert - inPage) % SMALLEST_SEGMENT == 0) {
            return insert - inPage;
        }
        return insert;
    }

    /** A WAL position ({@code 16/B374D848}) as a byte offset. */
    static long parseLsn(String lsn) {
        int slash = lsn.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a WAL position: " + lsn);
        }
        return (Long.parseLong(lsn.substring(0, slash), 16) << 32) + Long.parseLong(lsn.substring(slash + 1), 16);
    }
}
