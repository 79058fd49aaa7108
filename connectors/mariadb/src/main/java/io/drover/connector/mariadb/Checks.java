package io.drover.connector.mariadb;

import io.drover.core.spi.CheckResult;
import io.drover.core.spi.ValidationCheck;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** Runs validation checks on a loaded database, read-only and with a query timeout; never throws. */
final class Checks {
    private Checks() {
    }

    static CheckResult run(Endpoint endpoint, String database, String canaryTable, ValidationCheck check,
                           Duration timeout) {
        try (Connection connection = endpoint.connect()) {
            connection.setCatalog(database);
            try (Statement statement = connection.createStatement()) {
                statement.execute("set session transaction read only");
            }
            int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
            return switch (check) {
                case ValidationCheck.Sql sql -> sql(connection, sql, seconds);
                case ValidationCheck.MinRows minRows -> minRows(connection, database, minRows, seconds);
                case ValidationCheck.Canary canary -> canary(connection, database, canaryTable, canary, seconds);
            };
        } catch (SQLException e) {
            return CheckResult.failed(check, "could not run: " + e.getMessage());
        } catch (RuntimeException e) {
            return CheckResult.failed(check, "could not run: " + e);
        }
    }

    private static CheckResult sql(Connection connection, ValidationCheck.Sql check, int seconds) {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(seconds);
            try (ResultSet row = statement.executeQuery(check.sql())) {
                if (!row.next()) {
                    return CheckResult.failed(check, "the query returned no rows");
                }
                Object value = row.getObject(1);
                String text = row.getString(1);
                if (check.expect().isPresent()) {
                    String expected = check.expect().get();
                    return expected.equals(text) ? CheckResult.passed(check, "returned " + text)
                            : CheckResult.failed(check, "returned " + text + ", expected " + expected);
                }
                return isTrue(value, text) ? CheckResult.passed(check, "returned " + text)
                        : CheckResult.failed(check, "returned " + text + ", which is not true");
            }
        } catch (SQLException e) {
            return CheckResult.failed(check, "the query failed: " + e.getMessage());
        }
    }

    /** MariaDB has no boolean type: {@code select 1 = 1} returns 1. */
    static boolean isTrue(Object value, String text) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).compareTo(BigDecimal.ONE) == 0;
        }
        return text != null && (text.equalsIgnoreCase("true") || text.equals("1"));
    }

    private static CheckResult minRows(Connection connection, String database, ValidationCheck.MinRows check,
                                       int seconds) {
        String table = check.table();
        int dot = table.indexOf('.');
        String schema = dot < 0 ? database : table.substring(0, dot);
        String name = dot < 0 ? table : table.substring(dot + 1);
        try {
            if (!tableExists(connection, schema, name)) {
                return CheckResult.failed(check, "table " + table + " does not exist");
            }
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(seconds);
                try (ResultSet row = statement.executeQuery("select count(*) from " + Sql.qualified(table))) {
                    row.next();
                    long rows = row.getLong(1);
                    String found = rows + (rows == 1 ? " row" : " rows");
                    return rows >= check.minRows() ? CheckResult.passed(check, found)
                            : CheckResult.failed(check, found + ", fewer than " + check.minRows());
                }
            }
        } catch (SQLException e) {
            return CheckResult.failed(check, "counting the rows of " + table + " failed: " + e.getMessage());
        }
    }

    private static boolean tableExists(Connection connection, String schema, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "select count(*) from information_schema.tables where table_schema = ? and table_name = ?")) {
            query.setString(1, schema);
            query.setString(2, name);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1) > 0;
            }
        }
    }

    private static CheckResult canary(Connection connection, String database, String canaryTable,
                                      ValidationCheck.Canary check, int seconds) {
        if (check.written().isEmpty()) {
            return CheckResult.failed(check, "the backup recorded no canary time (was canary: true when it was taken?)");
        }
        Instant written = check.written().get();
        try {
            if (!tableExists(connection, database, canaryTable)) {
                return CheckResult.failed(check, "canary table " + canaryTable + " does not exist in the restored copy");
            }
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(seconds);
                try (ResultSet row = statement.executeQuery("select max(written_at) from " + Sql.id(canaryTable))) {
                    row.next();
                    LocalDateTime value = row.getObject(1, LocalDateTime.class);
                    if (value == null) {
                        return CheckResult.failed(check, "canary table " + canaryTable + " is empty; expected a canary "
                                + "written at " + written);
                    }
                    // written_at is UTC_TIMESTAMP(6): microseconds, no zone.
                    Instant newest = value.toInstant(ZoneOffset.UTC);
                    if (newest.isBefore(written)) {
                        return CheckResult.failed(check, "newest canary is from " + newest
                                + ", older than the one written at " + written + " before the backup");
                    }
                    return new CheckResult(check.name(), true, "newest canary is from " + newest, Optional.of(newest));
                }
            }
        } catch (SQLException e) {
            return CheckResult.failed(check, "reading canary table " + canaryTable + " failed: " + e.getMessage());
        }
    }
}
