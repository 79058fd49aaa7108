package io.drover.core.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A throw-away database {@code drover_test_<random>}, dropped on close. The server is, in order:
 * the one named by {@code DROVER_TEST_POSTGRES_URL} (system property or environment); a
 * PostgreSQL container when Docker is available; the local server on 127.0.0.1:5432. Without any,
 * the test is skipped (or fails when skipping is disallowed, as in CI).
 */
public final class TestingPostgres implements AutoCloseable {
    public static final String URL_SETTING = "DROVER_TEST_POSTGRES_URL";
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    static final String HOW_TO_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
            + " (or point " + URL_SETTING + " at a server, e.g. " + DEFAULT_URL + ")";
    private static PostgreSQLContainer container;

    private final String adminUrl;
    private final String database;

    private TestingPostgres(String adminUrl, String database) {
        this.adminUrl = adminUrl;
        this.database = database;
    }

    /** Creates a fresh database; skips (or, with skipping disallowed, fails) the test without a server. */
    public static TestingPostgres create() throws SQLException {
        String adminUrl = serverUrl();
        TestServices.requireService("PostgreSQL at " + redact(adminUrl), reachable(adminUrl), HOW_TO_START);
        String database = "drover_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        execute(adminUrl, "create database " + database);
        return new TestingPostgres(adminUrl, database);
    }

    private static synchronized String serverUrl() {
        String configured = TestServices.setting(URL_SETTING, "");
        if (!configured.isEmpty()) {
            return configured;
        }
        if (container == null && !reachable(DEFAULT_URL) && dockerAvailable()) {
            container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
        }
        if (container != null) {
            return container.getJdbcUrl() + (container.getJdbcUrl().contains("?") ? "&" : "?") + "user=" + container.getUsername()
                    + "&password=" + container.getPassword();
        }
        return DEFAULT_URL;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** JDBC URL of the throw-away database. */
    public String url() {
        return adminUrl.replaceFirst("^(jdbc:postgresql://[^/?]+/)[^?]*", "$1" + database);
    }

    public void execute(String sql) throws SQLException {
        execute(url(), sql);
    }

    @Override
    public void close() throws SQLException {
        execute(adminUrl, "drop database if exists " + database + " with (force)");
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
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
