package io.drover.core.catalog;

import io.drover.core.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throw-away database {@code drover_test_<random>} on the PostgreSQL server named by
 * {@code DROVER_TEST_POSTGRES_URL} (system property or environment), dropped on close.
 */
final class TestingPostgres implements AutoCloseable {
    static final String URL_SETTING = "DROVER_TEST_POSTGRES_URL";
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    static final String HOW_TO_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
            + " (or point " + URL_SETTING + " at a server, e.g. " + DEFAULT_URL + ")";

    private final String adminUrl;
    private final String database;

    private TestingPostgres(String adminUrl, String database) {
        this.adminUrl = adminUrl;
        this.database = database;
    }

    /** Creates a fresh database; skips (or, with skipping disallowed, fails) the test without a server. */
    static TestingPostgres create() throws SQLException {
        String adminUrl = TestServices.setting(URL_SETTING, DEFAULT_URL);
        TestServices.requireService("PostgreSQL at " + Redaction.url(adminUrl), reachable(adminUrl), HOW_TO_START);
        String database = "drover_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        execute(adminUrl, "create database " + database);
        return new TestingPostgres(adminUrl, database);
    }

    String url() {
        return adminUrl.replaceFirst("^(jdbc:postgresql://[^/?]+/)[^?]*", "$1" + database);
    }

    CatalogSettings settings(java.nio.file.Path stateDir) {
        return new CatalogSettings(Optional.of(url()), Optional.empty(), Optional.empty(), stateDir);
    }

    void execute(String sql) throws SQLException {
        execute(url(), sql);
    }

    @Override
    public void close() throws SQLException {
        execute(adminUrl, "drop database if exists " + database + " with (force)");
    }

    private static boolean reachable(String url) {
        try (Connection c = DriverManager.getConnection(url)) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
