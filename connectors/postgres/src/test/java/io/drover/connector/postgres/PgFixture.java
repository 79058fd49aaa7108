package io.drover.connector.postgres;

import io.drover.core.model.Secret;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.testing.TestServices;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database filled by {@code pgbench -i -s 1} on the PostgreSQL server at 127.0.0.1:5432, owned
 * by a role of its own that has a password (the server trusts local TCP connections, so the
 * password is not checked there, but drover must still hand it over safely).
 */
final class PgFixture implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String ADMIN_URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres?user=postgres";
    static final List<String> PGBENCH_TABLES = List.of("pgbench_accounts", "pgbench_branches", "pgbench_history",
            "pgbench_tellers");

    final String role;
    final String database;
    final String password;

    private PgFixture(String role, String database, String password) {
        this.role = role;
        this.database = database;
        this.password = password;
    }

    static void requireServer() {
        TestServices.requireService("PostgreSQL at " + HOST + ":" + PORT + " (user postgres)", reachable(),
                "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
    }

    private static boolean reachable() {
        try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    static String random() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** Creates the role and the database and runs {@code pgbench -i -s 1} as the role. */
    static PgFixture create() throws Exception {
        requireServer();
        String suffix = random();
        String role = "drover_it_" + suffix;
        String password = "pw-" + random() + random();
        String database = "drover_it_" + suffix;
        admin("create role " + role + " login createdb password '" + password + "'");
        admin("create database " + database + " owner " + role);
        PgFixture fixture = new PgFixture(role, database, password);
        try {
            Process pgbench = new ProcessBuilder("pgbench", "-i", "-s", "1", "-q", "-h", HOST, "-p", String.valueOf(PORT),
                    "-U", role, database).redirectErrorStream(true).start();
            String output = new String(pgbench.getInputStream().readAllBytes());
            if (pgbench.waitFor() != 0) {
                throw new IOException("pgbench -i failed: " + output);
            }
        } catch (Exception e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static void admin(String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL.replace("/postgres?", "/" + database + "?"));
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static boolean databaseExists(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL);
             PreparedStatement s = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            s.setString(1, database);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    static void dropDatabase(String database) throws SQLException {
        admin("drop database if exists \"" + database + "\" with (force)");
    }

    /** Row counts of the pgbench tables in {@code database}. */
    static Map<String, Long> counts(String database) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(ADMIN_URL.replace("/postgres?", "/" + database + "?"));
             Statement s = c.createStatement()) {
            for (String table : PGBENCH_TABLES) {
                try (ResultSet r = s.executeQuery("select count(*) from " + table)) {
                    r.next();
                    counts.put(table, r.getLong(1));
                }
            }
        }
        return counts;
    }

    String url() {
        return "postgresql://" + role + "@" + HOST + ":" + PORT + "/" + database;
    }

    PostgresSourceConfig config(PostgresSourceConfig.Format format, boolean canary) {
        return new PostgresSourceConfig(url(), Optional.of(Secret.of(password, "${env:DROVER_IT_PASSWORD}")),
                PostgresSourceConfig.Mode.LOGICAL, format, 2, true, canary, "drover_canary", Optional.empty(),
                Duration.ofMinutes(5));
    }

    PostgresSource source(Path stateDir, PostgresSourceConfig config) {
        return (PostgresSource) new PostgresSourceFactory().create(config, new ConnectorContext("pg-it", stateDir,
                Clock.systemUTC()));
    }

    PostgresSource source(Path stateDir) {
        return source(stateDir, config(PostgresSourceConfig.Format.CUSTOM, true));
    }

    @Override
    public void close() throws SQLException {
        try {
            dropDatabase(database);
        } finally {
            try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("select datname from pg_database d join pg_roles o on o.oid = d.datdba"
                         + " where o.rolname = '" + role + "'")) {
                List<String> left = new java.util.ArrayList<>();
                while (r.next()) {
                    left.add(r.getString(1));
                }
                for (String db : left) {
                    dropDatabase(db);
                }
            }
            admin("drop role if exists " + role);
        }
    }
}
