package io.drover.connector.postgres;

import io.drover.core.model.Secret;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/** JDBC connections to PostgreSQL; the password goes in the connection properties, never in a URL. */
final class Jdbc {
    private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

    private Jdbc() {
    }

    /** Connects to {@code url}'s database as its user; failures name the server, never the password. */
    static Connection connect(PostgresUrl url, Optional<Secret> password) throws IOException {
        Properties properties = properties(url, password);
        properties.setProperty("connectTimeout", "30");
        properties.setProperty("loginTimeout", "60");
        return connect(url, properties);
    }

    /**
     * Connects like {@link #connect(PostgresUrl, Optional)} for short work that must not hang on a
     * dead server: connecting, logging in and every statement are given up after about
     * {@code timeout}, and commits do not wait for synchronous standbys. The settings are made with
     * {@code SET} rather than a startup {@code options} parameter, which poolers and proxies may refuse.
     */
    static Connection connectBriefly(PostgresUrl url, Optional<Secret> password, Duration timeout) throws IOException {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        long millis = Math.max(1, timeout.toMillis());
        Properties properties = properties(url, password);
        properties.setProperty("connectTimeout", String.valueOf(seconds));
        properties.setProperty("loginTimeout", String.valueOf(seconds));
        // The server cancels a statement first; the socket timeout catches a server that no longer answers at all.
        properties.setProperty("socketTimeout", String.valueOf(seconds + 2));
        Connection connection = connect(url, properties);
        try {
            execute(connection, "set statement_timeout = " + millis + "; set lock_timeout = " + millis
                    + "; set synchronous_commit = local");
            return connection;
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is useless either way
            }
            throw new IOException("cannot set up the session on " + url.hostPort() + ": " + message(e), e);
        }
    }

    private static Properties properties(PostgresUrl url, Optional<Secret> password) {
        Properties properties = new Properties();
        properties.setProperty("user", url.user());
        password.ifPresent(secret -> properties.setProperty("password", secret.reveal()));
        properties.setProperty("ApplicationName", "drover");
        properties.setProperty("tcpKeepAlive", "true");
        return properties;
    }

    private static Connection connect(PostgresUrl url, Properties properties) throws IOException {
        try {
            Connection connection = DRIVER.connect(url.jdbcUrl(), properties);
            if (connection == null) {
                throw new IOException("the PostgreSQL driver does not accept " + url.jdbcUrl());
            }
            return connection;
        } catch (SQLException e) {
            throw new IOException("cannot connect to database " + url.database() + " on " + url.hostPort() + " as "
                    + url.user() + ": " + message(e), e);
        }
    }

    /** {@code message (SQLSTATE xxxxx)}. */
    static String message(SQLException e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return e.getSQLState() == null ? text : text + " (SQLSTATE " + e.getSQLState() + ")";
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Whether {@code database} exists on the server of {@code connection}. */
    static boolean databaseExists(Connection connection, String database) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    static int serverVersionNum(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("show server_version_num")) {
            rows.next();
            return Integer.parseInt(rows.getString(1).strip());
        }
    }

    /** Drops {@code database}, ending its other sessions first. */
    static void dropDatabase(Connection connection, String database) throws SQLException {
        if (serverVersionNum(connection) >= 130000) {
            execute(connection, "drop database if exists " + Identifiers.quote(database) + " with (force)");
            return;
        }
        terminateSessions(connection, database);
        execute(connection, "drop database if exists " + Identifiers.quote(database));
    }

    private static void terminateSessions(Connection connection, String database) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()")) {
            statement.setString(1, database);
            statement.executeQuery().close();
        }
    }

    /** Creates {@code database} from {@code template0}, so nothing local to the server's template1 collides. */
    static void createDatabase(Connection connection, String database) throws SQLException {
        execute(connection, "create database " + Identifiers.quote(database) + " template template0");
    }
}
