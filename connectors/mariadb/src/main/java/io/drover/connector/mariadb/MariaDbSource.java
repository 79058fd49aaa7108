package io.drover.connector.mariadb;

import io.drover.connector.support.ChildProcess;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntrySink;
import io.drover.core.spi.EntryType;
import io.drover.core.spi.FileContent;
import io.drover.core.spi.LoadableSource;
import io.drover.core.spi.ScratchContext;
import io.drover.core.spi.ScratchDatabase;
import io.drover.core.spi.SourceCapability;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@code mariadb} or {@code mysql} source: one database, dumped in one consistent snapshot
 * ({@code --single-transaction}) with routines, events and triggers, without a CREATE DATABASE so
 * that it loads under any name. The dump streams from the client's stdout into one entry
 * {@code <database>.sql}; nothing is written to disk on the way.
 */
final class MariaDbSource implements LoadableSource {
    static final int DUMP_MODE = 0600;

    private final Flavor flavor;
    private final MariaDbSourceConfig config;
    private final DbUrl url;
    private final Endpoint endpoint;
    private final Tools tools;
    private volatile ServerVersion compatibleClient;

    MariaDbSource(Flavor flavor, MariaDbSourceConfig config, DbUrl url) {
        this.flavor = flavor;
        this.config = config;
        this.url = url;
        this.endpoint = Endpoint.of(url, config.password());
        this.tools = new Tools(flavor, config.clientBin());
    }

    @Override
    public Set<SourceCapability> capabilities() {
        return Set.of();
    }

    @Override
    public String describe() {
        return flavor.product + " database " + url.database() + " on " + url.hostPort();
    }

    /** Holds nothing open between calls: every read, load and scratch opens and closes its own connections. */
    @Override
    public void close() {
    }

    Endpoint endpoint() {
        return endpoint;
    }

    Tools tools() {
        return tools;
    }

    Flavor flavor() {
        return flavor;
    }

    @Override
    public SourceSnapshot read(SourceReadContext context, EntrySink sink) throws IOException {
        String database = url.database();
        Map<String, String> position = new LinkedHashMap<>();
        position.put("database", database);
        List<String> binlogOptions = new ArrayList<>();
        Instant capturedAt;
        try (Connection connection = endpoint.connect()) {
            String version = scalar(connection, "select version()");
            position.put("server-version", version);
            requireCompatibleClient(version);
            if (config.canary()) {
                position.put(SourceSnapshot.CANARY_AT, writeCanary(connection, database, context).toString());
            }
            if ("1".equals(scalar(connection, "select @@log_bin"))) {
                Optional<String> missing = missingBinlogPrivileges(connection, version);
                if (missing.isPresent()) {
                    position.put("binlog", "on, position not recorded: " + endpoint.user() + " lacks " + missing.get());
                } else {
                    binlogOptions.add(!compatibleClient.mariadb() && tools.dumpSupports("--source-data")
                            ? "--source-data=2" : "--master-data=2");
                }
            } else {
                position.put("binlog", "off");
            }
            // The snapshot starts right after this, when the dump client opens its transaction:
            // everything committed up to here (the canary included) is in the dump.
            capturedAt = utcNow(connection);
        } catch (SQLException e) {
            throw new IOException("cannot prepare the dump of " + describe() + " as " + endpoint.user() + ": "
                    + e.getMessage(), e);
        }

        List<String> command = new ArrayList<>();
        command.add(tools.dump());
        try (OptionFile options = OptionFile.write(endpoint)) {
            command.add(options.argument());
            command.addAll(List.of("--single-transaction", "--quick", "--routines", "--events", "--triggers",
                    "--hex-blob", "--default-character-set=utf8mb4", "--max-allowed-packet=1G"));
            if (!compatibleClient.mariadb()) {
                // MySQL's dump would otherwise write SET @@GLOBAL.GTID_PURGED, which fails to load on a server with GTIDs.
                command.add("--set-gtid-purged=OFF");
            }
            command.addAll(binlogOptions);
            command.add(database);
            AtomicReference<DumpScanner> scanner = new AtomicReference<>();
            try (ChildProcess dump = Tools.process(flavor.dumpProgram, command, endpoint.revealedPassword())
                    .timeout(config.timeout()).start()) {
                EntryMeta meta = new EntryMeta(dumpFileName(), EntryType.FILE, DUMP_MODE, capturedAt, -1, -1, -1,
                        "", "", "", "");
                sink.file(meta, new DumpContent(dump, scanner));
                dump.closeStdout();
                dump.awaitSuccess();
            }
            if (!binlogOptions.isEmpty()) {
                DumpScanner seen = scanner.get();
                if (seen != null && seen.binlogFile().isPresent()) {
                    position.put("binlog-file", seen.binlogFile().get());
                    position.put("binlog-position", seen.binlogPosition().orElseThrow());
                    seen.gtid().ifPresent(gtid -> position.put("gtid", gtid));
                } else {
                    position.put("binlog", "on, but the dump named no position");
                }
            }
        }
        return new SourceSnapshot(capturedAt, position);
    }

    String dumpFileName() {
        return url.database() + ".sql";
    }

    /** Checks the dump client against the server once per source; {@link #compatibleClient} is set afterwards. */
    private void requireCompatibleClient(String serverVersionText) throws IOException {
        if (compatibleClient != null) {
            return;
        }
        ServerVersion server = ServerVersion.ofServer(serverVersionText).orElseThrow(() -> new IOException(
                "cannot tell the version of the server " + url.hostPort() + " from '" + serverVersionText + "'"));
        ServerVersion client = tools.dumpVersion();
        Tools.requireCompatible(tools.dump(), client, server);
        compatibleClient = client;
    }

    private Instant writeCanary(Connection connection, String database, SourceReadContext context) throws SQLException {
        String table = Sql.id(database) + "." + Sql.id(config.canaryTable());
        try (Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists " + table + " (id bigint auto_increment primary key, "
                    + "written_at datetime(6) not null, backup_id varchar(64))");
        }
        long id;
        try (PreparedStatement insert = connection.prepareStatement("insert into " + table
                + " (written_at, backup_id) values (utc_timestamp(6), ?)", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, context.backupId().value());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        try (PreparedStatement select = connection.prepareStatement("select written_at from " + table + " where id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
            }
        }
    }

    /**
     * What the account lacks to record the binary log position. MariaDB's dump takes the position
     * of its consistent snapshot without locks; MySQL's needs FLUSH TABLES WITH READ LOCK (RELOAD)
     * and SHOW MASTER STATUS (REPLICATION CLIENT).
     */
    private Optional<String> missingBinlogPrivileges(Connection connection, String version) throws SQLException {
        if (version.contains("MariaDB")) {
            return Optional.empty();
        }
        Set<String> granted = new java.util.HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select privilege_type from information_schema.user_privileges "
                     + "where grantee = concat('''', substring_index(current_user(), '@', 1), '''@''', "
                     + "substring_index(current_user(), '@', -1), '''')")) {
            while (rows.next()) {
                granted.add(rows.getString(1).toUpperCase(java.util.Locale.ROOT));
            }
        }
        List<String> missing = new ArrayList<>();
        if (!granted.contains("RELOAD")) {
            missing.add("RELOAD");
        }
        if (!granted.contains("REPLICATION CLIENT") && !granted.contains("SUPER")) {
            missing.add("REPLICATION CLIENT");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", missing));
    }

    static String scalar(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static Instant utcNow(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("select utc_timestamp(6)")) {
            row.next();
            return row.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
        }
    }

    /** The dump's stdout, which exists once and so can be opened once. */
    private static final class DumpContent implements FileContent {
        private final ChildProcess dump;
        private final AtomicReference<DumpScanner> scanner;
        private final AtomicBoolean opened = new AtomicBoolean();

        DumpContent(ChildProcess dump, AtomicReference<DumpScanner> scanner) {
            this.dump = dump;
            this.scanner = scanner;
        }

        @Override
        public InputStream open() throws IOException {
            if (opened.getAndSet(true)) {
                throw new IOException("a dump can be read only once");
            }
            DumpScanner scanning = new DumpScanner(dump.stdout());
            scanner.set(scanning);
            return scanning;
        }
    }

    // --- loading --------------------------------------------------------------------------------

    @Override
    public String loadInto(Path files, String database, boolean replace) throws IOException {
        Path dump = DumpLoader.findDump(files);
        try (Connection connection = endpoint.connect()) {
            prepareDatabase(connection, database, replace);
        } catch (SQLException e) {
            throw new IOException("cannot prepare database " + database + " on " + url.hostPort() + ": "
                    + e.getMessage(), e);
        }
        DumpLoader.load(tools, endpoint, database, dump, config.timeout());
        return "loaded " + dump.getFileName() + " (" + Files.size(dump) + " bytes) into " + flavor.product
                + " database " + database + " on " + url.hostPort();
    }

    private void prepareDatabase(Connection connection, String database, boolean replace) throws SQLException, IOException {
        boolean exists;
        long tables;
        try (PreparedStatement query = connection.prepareStatement("select (select count(*) from "
                + "information_schema.schemata where schema_name = ?), (select count(*) from information_schema.tables "
                + "where table_schema = ?)")) {
            query.setString(1, database);
            query.setString(2, database);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                exists = row.getLong(1) > 0;
                tables = row.getLong(2);
            }
        }
        try (Statement statement = connection.createStatement()) {
            if (exists && tables > 0) {
                if (!replace) {
                    throw new IOException("database " + database + " on " + url.hostPort() + " already exists and holds "
                            + tables + (tables == 1 ? " table" : " tables")
                            + "; choose another name or pass --replace to drop and recreate it");
                }
                statement.execute("drop database " + Sql.id(database));
            }
            statement.execute("create database if not exists " + Sql.id(database));
        }
    }

    @Override
    public ScratchDatabase openScratch(ScratchContext context) throws IOException {
        String database = "drover_verify_" + context.label();
        if (context.server().isPresent()) {
            if (!(context.server().get() instanceof MariaDbSource server)) {
                throw new IOException("a scratch database for a " + flavor.scheme + " source needs a "
                        + flavor.scheme + " server, not " + context.server().get().describe());
            }
            return ServerScratch.create(server, database, config.canaryTable(), context.timeout());
        }
        return TemporaryScratch.start(tools, context.workDirectory(), database, config.canaryTable(), context.timeout());
    }
}
