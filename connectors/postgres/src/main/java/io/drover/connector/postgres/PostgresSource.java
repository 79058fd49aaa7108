package io.drover.connector.postgres;

import io.drover.connector.support.ChildProcess;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.EntryType;
import io.drover.core.spi.FileContent;
import io.drover.core.spi.LoadableSource;
import io.drover.core.spi.PhysicalRestorable;
import io.drover.core.spi.ScratchContext;
import io.drover.core.spi.ScratchDatabase;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code postgres} source: a logical backup of one database with {@code pg_dump}, taken in a
 * snapshot exported from a transaction drover holds, so that the recorded time, WAL position and
 * canary row are exactly those of the dump.
 */
public final class PostgresSource implements LoadableSource, PhysicalRestorable {
    /** Position key: which mode wrote the backup ({@code logical}, {@code physical}, {@code wal}). */
    static final String MODE_KEY = "mode";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSource.class);
    static final String SCRATCH_PREFIX = "drover_verify_";
    private static final int FILE_MODE = 0600;
    private static final int DIRECTORY_MODE = 0700;
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(1);
    /** The major (and, before 10, minor) number at the start of {@code server_version}: 15.4, 9.6.24, 17beta1. */
    private static final Pattern SERVER_VERSION = Pattern.compile("^(\\d+)(?:\\.(\\d+))?");

    private final PostgresSourceConfig config;
    private final ConnectorContext context;
    private final PostgresUrl url;
    private volatile ClientTools tools;
    /** The complete spooled WAL segments the last {@code mode: wal} read handed over, released once committed. */
    private volatile List<Path> handedOver = List.of();
    private volatile String handedOverEndLsn;

    public PostgresSource(PostgresSourceConfig config, ConnectorContext context) {
        this.config = config;
        this.context = context;
        this.url = PostgresUrl.parse(config.url());
    }

    @Override
    public Set<SourceCapability> capabilities() {
        return Set.of();
    }

    @Override
    public String describe() {
        return switch (config.mode()) {
            case LOGICAL -> "PostgreSQL database " + url.database() + " on " + url.hostPort();
            case PHYSICAL -> "PostgreSQL server " + url.hostPort() + " (base backup)";
            case WAL -> "PostgreSQL server " + url.hostPort() + " (WAL archive)";
        };
    }

    /** The base name of this source's entries: the database name, safe as one path segment. */
    private String entryBase() {
        return url.database().replace('/', '_');
    }

    // ---- backup -----------------------------------------------------------------------------------

    @Override
    public SourceSnapshot read(SourceReadContext readContext, EntrySink sink) throws IOException {
        return switch (config.mode()) {
            case LOGICAL -> readLogical(readContext, sink);
            case PHYSICAL -> readPhysical(readContext, sink);
            case WAL -> readWal(readContext, sink);
        };
    }

    private SourceSnapshot readLogical(SourceReadContext readContext, EntrySink sink) throws IOException {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        try (PassFile pass = PassFile.create(url, config.password());
             Connection control = Jdbc.connect(url, config.password())) {
            int serverVersion = Jdbc.serverVersionNum(control);
            ClientTools clientTools = tools(serverVersion);
            Map<String, String> environment = pass.environment();
            if (config.globals()) {
                byte[] globals = dumpGlobals(clientTools, environment, remaining(deadline));
                sink.file(EntryMeta.file(Restore.GLOBALS, FILE_MODE, readContext.clock().instant(), globals.length),
                        () -> new ByteArrayInputStream(globals));
            }
            Optional<Instant> canaryAt = config.canary() ? Optional.of(writeCanary(control, readContext))
                    : Optional.empty();

            // The snapshot pg_dump reads is the one this transaction holds until the dump is done.
            control.setAutoCommit(false);
            control.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            String snapshot;
            Instant capturedAt;
            Map<String, String> position = new LinkedHashMap<>();
            position.put(MODE_KEY, config.mode().name().toLowerCase(java.util.Locale.ROOT));
            try (Statement statement = control.createStatement();
                 ResultSet row = statement.executeQuery("select pg_export_snapshot(), statement_timestamp(),"
                         + " (case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end)::text,"
                         + " current_setting('server_version')")) {
                row.next();
                snapshot = row.getString(1);
                // The statement's start: every transaction committed before it is in the snapshot.
                capturedAt = row.getObject(2, OffsetDateTime.class).toInstant();
                position.put("lsn", String.valueOf(row.getString(3)));
                position.put("server-version", row.getString(4));
            }
            position.put("database", url.database());
            canaryAt.ifPresent(at -> position.put(SourceSnapshot.CANARY_AT, at.toString()));

            switch (config.format()) {
                case CUSTOM -> dumpCustom(clientTools, environment, snapshot, capturedAt, sink, remaining(deadline));
                case DIRECTORY -> dumpDirectory(clientTools, environment, snapshot, capturedAt, sink, remaining(deadline));
            }
            control.commit();
            return new SourceSnapshot(capturedAt, position);
        } catch (SQLException e) {
            throw new IOException("backup of " + describe() + " failed: " + Jdbc.message(e), e);
        }
    }

    private byte[] dumpGlobals(ClientTools clientTools, Map<String, String> environment, Duration timeout)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(clientTools.path("pg_dumpall"), "--globals-only", "--no-password",
                "-d", url.conninfo()));
        try {
            return ClientTools.process("pg_dumpall", command).environment(environment).timeout(timeout)
                    .reportedTimeout(config.timeout()).run();
        } catch (IOException first) {
            // A user who may not read pg_authid (not a superuser) still gets roles and tablespaces.
            command.add("--no-role-passwords");
            try {
                byte[] globals = ClientTools.process("pg_dumpall", command).environment(environment).timeout(timeout)
                        .reportedTimeout(config.timeout()).run();
                LOG.info("{}: globals.sql is without role passwords: {} may not read them ({})", describe(), url.user(),
                        first.getMessage());
                byte[] note = ("-- drover: role passwords are not included: pg_dumpall --globals-only failed, so it ran"
                        + " again with --no-role-passwords\n").getBytes(StandardCharsets.UTF_8);
                byte[] all = new byte[note.length + globals.length];
                System.arraycopy(note, 0, all, 0, note.length);
                System.arraycopy(globals, 0, all, note.length, globals.length);
                return all;
            } catch (IOException second) {
                throw new IOException("backup of the roles and tablespaces of " + url.hostPort() + " failed: "
                        + second.getMessage() + " (it failed without --no-role-passwords too: " + first.getMessage()
                        + ")", second);
            }
        }
    }

    /** Writes the canary row in its own committed transaction and returns its time stamp as stored. */
    private Instant writeCanary(Connection control, SourceReadContext readContext) throws SQLException {
        String table = Identifiers.qualified(config.canaryTable());
        boolean exists;
        try (PreparedStatement statement = control.prepareStatement("select to_regclass(?) is not null")) {
            statement.setString(1, table);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                exists = row.getBoolean(1);
            }
        }
        if (!exists) {
            Jdbc.execute(control, "create table if not exists " + table
                    + " (id bigserial primary key, written_at timestamptz not null, backup_id text)");
        }
        try (PreparedStatement insert = control.prepareStatement("insert into " + table
                + " (written_at, backup_id) values (clock_timestamp(), ?) returning written_at")) {
            insert.setString(1, readContext.backupId().toString());
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
    }

    private void dumpCustom(ClientTools clientTools, Map<String, String> environment, String snapshot,
                            Instant capturedAt, EntrySink sink, Duration timeout) throws IOException {
        List<String> command = List.of(clientTools.path("pg_dump"), "--format=custom", "--compress=0", "--no-password",
                "--snapshot=" + snapshot, "-d", url.conninfo());
        try (ChildProcess dump = ClientTools.process("pg_dump", command).environment(environment).timeout(timeout)
                .reportedTimeout(config.timeout()).start()) {
            EntryMeta meta = new EntryMeta(entryBase() + Restore.CUSTOM_SUFFIX, EntryType.FILE, FILE_MODE, capturedAt, -1,
                    -1, -1, "", "", "", "");
            sink.file(meta, new OutputContent("pg_dump", dump));
            // If the reader stopped early, pg_dump gets SIGPIPE instead of filling the pipe until its timeout.
            dump.closeStdout();
            dump.awaitSuccess();
        }
    }

    private void dumpDirectory(ClientTools clientTools, Map<String, String> environment, String snapshot,
                               Instant capturedAt, EntrySink sink, Duration timeout) throws IOException {
        Path staging = newStagingDirectory();
        try {
            String base = entryBase() + Restore.DIRECTORY_SUFFIX;
            Path out = staging.resolve(base);
            ClientTools.process("pg_dump", List.of(clientTools.path("pg_dump"), "--format=directory", "--compress=0",
                    "--jobs=" + config.jobs(), "--no-password", "--snapshot=" + snapshot, "-f", out.toString(),
                    "-d", url.conninfo())).environment(environment).timeout(timeout).reportedTimeout(config.timeout())
                    .run();
            sink.directory(EntryMeta.directory(base, DIRECTORY_MODE, capturedAt));
            List<Path> files;
            try (Stream<Path> walk = Files.walk(out)) {
                files = walk.filter(p -> !p.equals(out)).sorted().toList();
            }
            for (Path file : files) {
                String path = base + "/" + out.relativize(file).toString().replace('\\', '/');
                if (Files.isDirectory(file)) {
                    sink.directory(EntryMeta.directory(path, DIRECTORY_MODE, capturedAt));
                } else {
                    sink.file(EntryMeta.file(path, FILE_MODE, capturedAt, Files.size(file)), () -> Files.newInputStream(file));
                }
            }
        } finally {
            TemporaryInstance.deleteTree(staging);
        }
    }

    /** A new staging directory; ones left by runs that ended long ago (a crash) are removed first. */
    private Path newStagingDirectory() throws IOException {
        Path parent = context.stateDir().resolve("connectors").resolve("postgres").resolve(context.name());
        Files.createDirectories(parent);
        Instant stale = Instant.now().minus(config.timeout()).minus(Duration.ofHours(1));
        try (Stream<Path> children = Files.list(parent)) {
            for (Path old : children.filter(p -> p.getFileName().toString().startsWith("staging-")).toList()) {
                FileTime modified = Files.getLastModifiedTime(old);
                if (modified.toInstant().isBefore(stale)) {
                    LOG.info("removing the staging directory {} left by an earlier backup", old);
                    TemporaryInstance.deleteTree(old);
                }
            }
        }
        return Files.createTempDirectory(parent, "staging-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** The output of a tool (pg_dump, pg_basebackup), which exists once and so can be opened once. */
    private static final class OutputContent implements FileContent {
        private final String tool;
        private final ChildProcess dump;
        private final AtomicBoolean opened = new AtomicBoolean();

        OutputContent(String tool, ChildProcess dump) {
            this.tool = tool;
            this.dump = dump;
        }

        @Override
        public InputStream open() throws IOException {
            if (opened.getAndSet(true)) {
                throw new IOException("the output of " + tool + " can be read only once");
            }
            return dump.stdout();
        }
    }

    // ---- physical: base backups and WAL ----------------------------------------------------------

    /** {@code pg_basebackup -v} on stderr: {@code write-ahead log start point: 0/2000028 on timeline 1}. */
    private static final Pattern START_POINT = Pattern.compile("start point: ([0-9A-Fa-f]+/[0-9A-Fa-f]+) on timeline (\\d+)");
    private static final Pattern END_POINT = Pattern.compile("end point: ([0-9A-Fa-f]+/[0-9A-Fa-f]+)");

    /**
     * {@code mode: physical}: {@code pg_basebackup -D - -Ft -X fetch} streamed from its stdout into
     * the one entry {@link PitrRestore#BASE_TAR}, no temporary file. {@code -X fetch} puts the WAL
     * from the backup's start to its end into the tar, so the base backup is restorable on its own;
     * the backup manifest ({@code backup_manifest}) stays in the tar, so that {@code pg_verifybackup}
     * can check an unpacked copy. Needs the {@code REPLICATION} attribute (and a {@code replication}
     * line in {@code pg_hba.conf}) for pg_basebackup, and a login to the URL's database for the
     * server's clock and version. Only the default tablespace: pg_basebackup cannot write other
     * tablespaces to stdout, and fails.
     */
    private SourceSnapshot readPhysical(SourceReadContext readContext, EntrySink sink) throws IOException {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        try (PassFile pass = PassFile.create(url, config.password());
             Connection control = Jdbc.connect(url, config.password())) {
            ClientTools clientTools = tools(Jdbc.serverVersionNum(control));
            Map<String, String> position = new LinkedHashMap<>();
            position.put(MODE_KEY, config.mode().name().toLowerCase(java.util.Locale.ROOT));
            position.put("server-version", queryText(control, "select current_setting('server_version')"));
            systemIdentifier(control).ifPresent(id -> position.put("system-identifier", id));
            // Committed before the base backup starts, so the backup holds it (and a restore test finds it).
            if (config.canary()) {
                position.put(SourceSnapshot.CANARY_AT, writeCanary(control, readContext).toString());
            }
            List<String> command = List.of(clientTools.path("pg_basebackup"), "-d", url.conninfo(), "--no-password",
                    "-D", "-", "-Ft", "-X", "fetch", "--checkpoint=fast", "--label=drover " + readContext.backupId(),
                    "--verbose");
            String stderr;
            Instant started = readContext.clock().instant();
            try (ChildProcess basebackup = ClientTools.process("pg_basebackup", command).environment(pass.environment())
                    .timeout(remaining(deadline)).reportedTimeout(config.timeout()).start()) {
                sink.file(new EntryMeta(PitrRestore.BASE_TAR, EntryType.FILE, FILE_MODE, started, -1, -1, -1, "", "", "",
                        ""), new OutputContent("pg_basebackup", basebackup));
                basebackup.closeStdout();
                basebackup.awaitSuccess();
                stderr = basebackup.stderrTail();
            }
            // The copied files are consistent only at the backup's end (the stop LSN): they were read while
            // the server wrote, and only the WAL up to the stop makes them whole. So the recovery point's
            // time is the end, read from the server's clock (the one commit times use) right after
            // pg_basebackup finished. The stop happened just before (the gap is the time it took to send
            // the WAL tail and the manifest), so this is at or after the true end: a restore to any time
            // from it on is past the consistent point, which PostgreSQL requires of a recovery target.
            Instant capturedAt = serverNow(control);
            Matcher start = START_POINT.matcher(stderr);
            if (!start.find()) {
                throw new IOException("pg_basebackup did not report its start point; its output ends with: " + stderr);
            }
            position.put("start-lsn", start.group(1));
            position.put("timeline", start.group(2));
            Matcher end = END_POINT.matcher(stderr);
            if (end.find()) {
                position.put("end-lsn", end.group(1));
            }
            return new SourceSnapshot(capturedAt, position);
        } catch (SQLException e) {
            throw new IOException("base backup of " + url.hostPort() + " failed: " + Jdbc.message(e), e);
        }
    }

    /**
     * {@code mode: wal}: archives the WAL written since the previous run, with no process left running
     * in between. A physical replication slot keeps the WAL on the server between runs, so nothing is
     * lost however long the interval; {@code pg_receivewal --endpos} streams it into the private spool
     * up to the position read at the start of the run, and the complete segments plus a copy of the
     * current {@code .partial} one become the backup. The complete segments are deleted once the
     * backup is committed ({@link #committed}); a failed run hands them over again next time.
     *
     * <p>Before reading the position, a tiny transaction is committed (it only takes a transaction id):
     * its commit record is the last one in this run's WAL, with a time after the recorded
     * {@code capturedAt}, so that a point-in-time restore to any time up to {@code capturedAt} finds a
     * commit past its target (PostgreSQL refuses to end a recovery short of its target), even on an
     * idle server. So the user needs a login to the URL's database on the primary, besides the
     * {@code REPLICATION} attribute.
     */
    private SourceSnapshot readWal(SourceReadContext readContext, EntrySink sink) throws IOException {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        String slot = slotName();
        WalSpool spool = new WalSpool(stateDirectory());
        try (PassFile pass = PassFile.create(url, config.password());
             Connection control = Jdbc.connect(url, config.password())) {
            ClientTools clientTools = tools(Jdbc.serverVersionNum(control));
            if ("t".equals(queryText(control, "select pg_is_in_recovery()"))) {
                throw new IOException(url.hostPort() + " is a standby; archive the WAL of the primary (mode: wal needs"
                        + " to commit a marker transaction)");
            }
            ensureSlot(control, slot);
            Instant capturedAt;
            control.setAutoCommit(false);
            try (Statement statement = control.createStatement()) {
                statement.execute("set local synchronous_commit = local");
                try (ResultSet row = statement.executeQuery("select txid_current(), clock_timestamp()")) {
                    row.next();
                    // Every transaction committed before this instant has its commit record before the
                    // marker's, which is before the end position read next.
                    capturedAt = row.getObject(2, OffsetDateTime.class).toInstant();
                }
            }
            control.commit();
            control.setAutoCommit(true);
            String endLsn = queryText(control, "select pg_current_wal_lsn()::text");
            spool.create();
            List<String> command = List.of(clientTools.path("pg_receivewal"), "-d", url.conninfo(), "--no-password",
                    "-D", spool.directory().toString(), "--slot=" + slot, "--endpos=" + endLsn, "--no-loop",
                    "--synchronous");
            ClientTools.process("pg_receivewal", command).environment(pass.environment()).timeout(remaining(deadline))
                    .reportedTimeout(config.timeout()).run();

            WalSpool.Contents contents = spool.contents();
            Map<String, String> position = new LinkedHashMap<>();
            position.put(MODE_KEY, config.mode().name().toLowerCase(java.util.Locale.ROOT));
            position.put("end-lsn", endLsn);
            position.put("slot", slot);
            Optional<String> newest = contents.partial().map(p -> WalSpool.segmentOf(p.getFileName().toString()))
                    .or(() -> contents.segments().isEmpty() ? Optional.empty()
                            : Optional.of(contents.segments().getLast().getFileName().toString()));
            newest.ifPresent(name -> position.put("timeline", String.valueOf(WalSpool.timeline(name))));
            if (!contents.segments().isEmpty()) {
                position.put("first-segment", contents.segments().getFirst().getFileName().toString());
                position.put("last-segment", contents.segments().getLast().getFileName().toString());
            }
            contents.partial().ifPresent(p -> position.put("partial-segment", p.getFileName().toString()));
            sink.directory(EntryMeta.directory(PitrRestore.WAL_DIRECTORY, DIRECTORY_MODE, capturedAt));
            List<Path> files = new ArrayList<>(contents.histories());
            files.addAll(contents.segments());
            contents.partial().ifPresent(files::add);
            for (Path file : files) {
                // pg_receivewal has exited and the job lock keeps the next run out: the files hold still.
                sink.file(EntryMeta.file(PitrRestore.WAL_DIRECTORY + "/" + file.getFileName(), FILE_MODE,
                        Files.getLastModifiedTime(file).toInstant(), Files.size(file)), () -> Files.newInputStream(file));
            }
            handedOver = List.copyOf(contents.segments());
            handedOverEndLsn = endLsn;
            return new SourceSnapshot(capturedAt, position);
        } catch (SQLException e) {
            throw new IOException("WAL archiving of " + url.hostPort() + " failed: " + Jdbc.message(e), e);
        }
    }

    /** After a committed WAL backup: deletes the complete segments it holds (never the partial one). */
    @Override
    public void committed(SourceSnapshot snapshot) throws IOException {
        if (config.mode() != PostgresSourceConfig.Mode.WAL || handedOverEndLsn == null
                || !handedOverEndLsn.equals(snapshot.position().get("end-lsn"))) {
            return;
        }
        int deleted = new WalSpool(stateDirectory()).release(handedOver);
        LOG.debug("{}: released {} archived WAL segments from the spool", describe(), deleted);
        handedOver = List.of();
        handedOverEndLsn = null;
    }

    /** The replication slot of {@code mode: wal}: configured, else {@code drover_<source name>} as a slot name. */
    String slotName() {
        return config.slot().orElseGet(() -> {
            String name = ("drover_" + context.name()).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            return name.length() > 63 ? name.substring(0, 63) : name;
        });
    }

    private Path stateDirectory() {
        return context.stateDir().resolve("connectors").resolve("postgres").resolve(context.name());
    }

    /** Creates the physical slot, reserving WAL at once, unless it exists; refuses a logical slot of that name. */
    private void ensureSlot(Connection control, String slot) throws SQLException, IOException {
        try (PreparedStatement statement = control.prepareStatement(
                "select slot_type from pg_replication_slots where slot_name = ?")) {
            statement.setString(1, slot);
            try (ResultSet row = statement.executeQuery()) {
                if (row.next()) {
                    if (!"physical".equals(row.getString(1))) {
                        throw new IOException("replication slot " + slot + " on " + url.hostPort() + " is a "
                                + row.getString(1) + " slot; name another one in slot:");
                    }
                    return;
                }
            }
        }
        try (PreparedStatement statement = control.prepareStatement("select pg_create_physical_replication_slot(?, true)")) {
            statement.setString(1, slot);
            statement.executeQuery().close();
            LOG.info("{}: created the physical replication slot {}; it keeps the WAL until drover archived it", describe(),
                    slot);
        } catch (SQLException e) {
            if (!"42710".equals(e.getSQLState())) { // created meanwhile by another run
                throw e;
            }
        }
    }

    private static String queryText(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    private static Instant serverNow(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select clock_timestamp()")) {
            row.next();
            return row.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /** The cluster's system identifier, when this user may read it ({@code pg_control_system()}). */
    private Optional<String> systemIdentifier(Connection connection) {
        try {
            return Optional.ofNullable(queryText(connection, "select system_identifier::text from pg_control_system()"));
        } catch (SQLException e) {
            LOG.info("{}: the system identifier is not recorded: {}", describe(), Jdbc.message(e));
            return Optional.empty();
        }
    }

    @Override
    public String restoreDataDirectory(Path baseFiles, Path walFiles, Path dataDirectory, Optional<Instant> targetTime)
            throws IOException {
        return PitrRestore.restore(baseFiles, walFiles, dataDirectory, targetTime);
    }

    // ---- loading ----------------------------------------------------------------------------------

    /** Only logical dumps load into a database; physical and WAL backups become data directories. */
    @Override
    public boolean canLoad(Map<String, String> position) {
        return position.getOrDefault(MODE_KEY, "logical").equals("logical");
    }

    /**
     * Logical dumps load into a scratch database; a physical base backup becomes the data directory of
     * a temporary instance (see {@link PhysicalScratch}); WAL alone cannot be started.
     */
    @Override
    public boolean canRestoreTest(Map<String, String> position) {
        String mode = position.getOrDefault(MODE_KEY, "logical");
        return mode.equals("logical") || mode.equals("physical");
    }

    private static boolean physical(Map<String, String> position) {
        return "physical".equals(position.get(MODE_KEY));
    }

    @Override
    public String loadInto(Path files, String database, boolean replace) throws IOException {
        if (database.isBlank()) {
            throw new IOException("name the database to load into");
        }
        Path dump = Restore.findDump(files);
        long deadline = System.nanoTime() + config.timeout().toNanos();
        PostgresUrl target = url.withDatabase(database);
        try (PassFile pass = PassFile.create(url, config.password());
             Connection admin = adminConnection(database)) {
            ClientTools clientTools = tools(Jdbc.serverVersionNum(admin));
            if (Jdbc.databaseExists(admin, database)) {
                if (holdsTables(target)) {
                    if (!replace) {
                        throw new IOException("database " + database + " on " + url.hostPort()
                                + " already holds tables; add --replace to drop and recreate it");
                    }
                    Jdbc.dropDatabase(admin, database);
                    Jdbc.createDatabase(admin, database);
                }
            } else {
                Jdbc.createDatabase(admin, database);
            }
            Restore.load(clientTools, pass.environment(), dump, target, config.jobs(), remaining(deadline),
                    config.timeout());
            boolean globals = Files.exists(files.resolve(Restore.GLOBALS));
            return "loaded " + Restore.dumpName(dump) + " into database " + database + " on " + url.hostPort()
                    + (globals ? " (globals.sql not applied)" : "");
        } catch (SQLException e) {
            throw new IOException("cannot prepare database " + database + " on " + url.hostPort() + ": "
                    + Jdbc.message(e), e);
        }
    }

    private boolean holdsTables(PostgresUrl database) throws IOException, SQLException {
        try (Connection connection = Jdbc.connect(database, config.password());
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select count(*) from pg_class c join pg_namespace n"
                     + " on n.oid = c.relnamespace where c.relkind in ('r', 'p', 'v', 'm', 'f')"
                     + " and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'")) {
            row.next();
            return row.getLong(1) > 0;
        }
    }

    /**
     * A connection for creating and dropping {@code avoid}: to the configured database, or, when that
     * is {@code avoid} itself, to {@code postgres} (else {@code template1}).
     */
    private Connection adminConnection(String avoid) throws IOException {
        if (!url.database().equals(avoid)) {
            return Jdbc.connect(url, config.password());
        }
        try {
            return Jdbc.connect(url.withDatabase("postgres"), config.password());
        } catch (IOException e) {
            return Jdbc.connect(url.withDatabase("template1"), config.password());
        }
    }

    // ---- verification -----------------------------------------------------------------------------

    @Override
    public ScratchDatabase openScratch(ScratchContext scratchContext) throws IOException {
        long deadline = System.nanoTime() + scratchContext.timeout().toNanos();
        String name = SCRATCH_PREFIX + scratchContext.label();
        if (!canRestoreTest(scratchContext.position())) {
            throw new IOException("a " + scratchContext.position().get(MODE_KEY) + " backup cannot be restore-tested on"
                    + " its own; restore-test the base backup it continues");
        }
        if (physical(scratchContext.position())) {
            String note = scratchContext.server().map(server -> " (not on the verify-server " + server.describe()
                    + ": a physical backup is restored as a data directory, which needs an instance of its own)")
                    .orElse("");
            return physicalScratch(scratchContext.workDirectory(), deadline, scratchContext.position(), note);
        }
        if (scratchContext.server().isPresent()) {
            if (!(scratchContext.server().get() instanceof PostgresSource server)) {
                throw new IOException("a backup of " + describe() + " can be verified only on a PostgreSQL server, not on "
                        + scratchContext.server().get().describe());
            }
            return server.scratchOnServer(name, config.jobs(), config.canaryTable(), deadline, scratchContext.timeout());
        }
        return temporaryScratch(scratchContext.workDirectory(), name, deadline, scratchContext.timeout(),
                scratchContext.position());
    }

    private ScratchDatabase scratchOnServer(String name, int jobs, String canaryTable, long deadline, Duration timeout)
            throws IOException {
        if (name.equals(url.database())) {
            throw new IOException("refusing to use the source database " + name + " as a scratch database");
        }
        ClientTools clientTools;
        try (Connection admin = Jdbc.connect(url, config.password())) {
            clientTools = tools(Jdbc.serverVersionNum(admin));
            if (Jdbc.databaseExists(admin, name)) {
                throw new IOException("database " + name + " already exists on " + url.hostPort()
                        + "; drop it if an earlier verification left it behind");
            }
            Jdbc.createDatabase(admin, name);
        } catch (SQLException e) {
            throw new IOException("cannot create the scratch database " + name + " on " + url.hostPort() + ": "
                    + Jdbc.message(e), e);
        }
        PassFile pass;
        try {
            pass = PassFile.create(url, config.password());
        } catch (IOException e) {
            dropScratch(name);
            throw e;
        }
        return new Scratch("database " + name + " on " + url.hostPort(), url.withDatabase(name), config.password(),
                clientTools, pass, jobs, canaryTable, deadline, timeout, () -> dropScratch(name));
    }

    private void dropScratch(String name) throws IOException {
        try (Connection admin = adminConnection(name)) {
            Jdbc.dropDatabase(admin, name);
        } catch (SQLException e) {
            throw new IOException("cannot drop the scratch database " + name + " on " + url.hostPort() + ": "
                    + Jdbc.message(e), e);
        }
    }

    private ScratchDatabase temporaryScratch(Path workDirectory, String name, long deadline, Duration timeout,
                                             Map<String, String> position) throws IOException {
        // The backup's own version when it recorded one: the source server may have been upgraded since.
        Optional<Integer> recorded = recordedVersion(position);
        int version = recorded.isPresent() ? recorded.get() : sourceVersion();
        ClientTools server = ClientTools.serverPrograms(config.clientBin(), version, PROBE_TIMEOUT);
        TemporaryInstance instance = TemporaryInstance.start(server, workDirectory, remaining(deadline));
        boolean opened = false;
        try {
            try (Connection admin = Jdbc.connect(instance.url("postgres"), Optional.empty())) {
                Jdbc.createDatabase(admin, name);
            } catch (SQLException e) {
                throw new IOException("cannot create database " + name + " in the temporary PostgreSQL instance: "
                        + Jdbc.message(e), e);
            }
            String describe = "temporary PostgreSQL " + ClientTools.majorName(server.version()) + " on 127.0.0.1:"
                    + instance.port() + " (data in " + instance.dataDirectory() + ") database " + name;
            Scratch scratch = new Scratch(describe, instance.url(name), Optional.empty(), server,
                    PassFile.create(url, Optional.empty()), config.jobs(), config.canaryTable(), deadline, timeout,
                    instance::close);
            opened = true;
            return scratch;
        } finally {
            if (!opened) {
                instance.close();
            }
        }
    }

    /**
     * The scratch instance of a physical backup, with the server programs of exactly the backup's major
     * version: a data directory starts only with those.
     */
    private ScratchDatabase physicalScratch(Path workDirectory, long deadline, Map<String, String> position, String note)
            throws IOException {
        Optional<Integer> recorded = recordedVersion(position);
        int version = recorded.isPresent() ? recorded.get() : sourceVersion();
        ClientTools server = ClientTools.serverPrograms(config.clientBin(), version, PROBE_TIMEOUT);
        if (server.version() != version) {
            throw new IOException("a physical backup of PostgreSQL " + ClientTools.majorName(version) + " starts only with"
                    + " the server programs of PostgreSQL " + ClientTools.majorName(version) + ", not with those of "
                    + ClientTools.majorName(server.version()) + " in " + server.where() + "; install postgresql-"
                    + ClientTools.majorName(version) + " or set client-bin to its bin directory");
        }
        remaining(deadline);
        return new PhysicalScratch(server, workDirectory, url.database(), url.user(), config.canaryTable(), deadline, note);
    }

    /**
     * The major version of the server a backup was dumped from, as its position recorded it
     * ({@code server-version}, e.g. {@code 15.4 (Debian 15.4-1.pgdg120+1)}), when it did.
     */
    static Optional<Integer> recordedVersion(Map<String, String> position) {
        String recorded = position.get("server-version");
        if (recorded == null) {
            return Optional.empty();
        }
        Matcher m = SERVER_VERSION.matcher(recorded.strip());
        if (!m.find()) {
            LOG.info("the backup's recorded server-version '{}' is not a version; the temporary instance gets the"
                    + " source server's", recorded);
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return Optional.of(major >= 10 ? major * 100 : major * 100 + minor);
    }

    /**
     * The major version a temporary instance must have to load this source's dumps: the server's,
     * or, when it cannot be reached (it may be the thing being recovered), that of the client tools.
     */
    private int sourceVersion() throws IOException {
        try (Connection connection = Jdbc.connect(url, config.password())) {
            return ClientTools.versionKey(Jdbc.serverVersionNum(connection));
        } catch (IOException | SQLException e) {
            LOG.info("{} is not reachable ({}); the temporary instance gets the version of the client tools", describe(),
                    e.getMessage());
            return ClientTools.probe(config.clientBin(), PROBE_TIMEOUT).version();
        }
    }

    // ---- shared -----------------------------------------------------------------------------------

    /** The client tools for a server of {@code serverVersionNum}, chosen once. */
    private ClientTools tools(int serverVersionNum) throws IOException {
        ClientTools chosen = tools;
        if (chosen == null || chosen.version() < ClientTools.versionKey(serverVersionNum)) {
            chosen = ClientTools.select(config.clientBin(), serverVersionNum, url.hostPort(), PROBE_TIMEOUT);
            tools = chosen;
        }
        return chosen;
    }

    private static Duration remaining(long deadline) throws IOException {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new IOException("the timeout ran out");
        }
        return Duration.ofNanos(nanos);
    }
}
