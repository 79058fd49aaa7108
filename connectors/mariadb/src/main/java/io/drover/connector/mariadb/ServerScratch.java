package io.drover.connector.mariadb;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** A scratch database {@code drover_verify_<label>} created on an existing server and dropped on close. */
final class ServerScratch extends AbstractScratch {

    private ServerScratch(MariaDbSource server, String database, String canaryTable, long deadlineNanos) {
        super(server.tools(), server.endpoint(), database, canaryTable, deadlineNanos);
    }

    static ServerScratch create(MariaDbSource server, String database, String canaryTable, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Endpoint endpoint = server.endpoint();
        try (Connection connection = endpoint.connect()) {
            try (PreparedStatement query = connection.prepareStatement(
                    "select count(*) from information_schema.schemata where schema_name = ?")) {
                query.setString(1, database);
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    if (row.getLong(1) > 0) {
                        throw new IOException("database " + database + " already exists on " + endpoint.hostPort()
                                + "; a scratch database must be new, so it is left alone");
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("create database " + Sql.id(database));
            }
        } catch (SQLException e) {
            throw new IOException("cannot create scratch database " + database + " on " + endpoint.hostPort() + " as "
                    + endpoint.user() + ": " + e.getMessage(), e);
        }
        return new ServerScratch(server, database, canaryTable, deadline);
    }

    /**
     * Loads, then disables the events that came with the dump: on a live server with the event
     * scheduler on they would otherwise start changing the copy while it is checked.
     */
    @Override
    public void load(java.nio.file.Path files) throws IOException {
        super.load(files);
        try (Connection connection = endpoint.connect()) {
            java.util.List<String> events = new java.util.ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "select event_name from information_schema.events where event_schema = ? and status <> 'DISABLED'")) {
                query.setString(1, database);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        events.add(rows.getString(1));
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (String event : events) {
                    statement.execute("alter event " + Sql.id(database) + "." + Sql.id(event) + " disable");
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot disable the events loaded into scratch database " + database + " on "
                    + endpoint.hostPort() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "database " + database + " on " + endpoint.hostPort();
    }

    @Override
    public void close() throws IOException {
        try (Connection connection = endpoint.connect(); Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + Sql.id(database));
        } catch (SQLException e) {
            throw new IOException("cannot drop scratch database " + database + " on " + endpoint.hostPort()
                    + "; drop it by hand: " + e.getMessage(), e);
        }
    }
}
