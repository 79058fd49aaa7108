package io.drover.connector.postgres;

import io.drover.core.spi.CheckResult;
import io.drover.core.spi.ValidationCheck;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Runs {@link ValidationCheck}s in a read-only transaction; a check that cannot run fails, never throws. */
final class Checks {
    private Checks() {
    }

    static CheckResult run(Connection connection, ValidationCheck check, String canaryTable, Duration statementTimeout) {
        try {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            Jdbc.execute(connection, "set local statement_timeout = " + Math.max(1, statementTimeout.toMillis()));
            try {
                return switch (check) {
                    case ValidationCheck.Sql sql -> sql(connection, sql);
                    case ValidationCheck.MinRows rows -> minRows(connection, rows);
                    case ValidationCheck.Canary canary -> canary(connection, canary, canaryTable);
                };
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            return CheckResult.failed(check, "the query failed: " + Jdbc.message(e));
        }
    }

    private static CheckResult sql(Connection connection, ValidationCheck.Sql check) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(check.sql())) {
            if (!rows.next()) {
                return CheckResult.failed(check, "the query returned no rows");
            }
            Object value = rows.getObject(1);
            String text = value instanceof Boolean b ? b.toString() : rows.getString(1);
            if (check.expect().isPresent()) {
                String expected = check.expect().get();
                return expected.equals(text) ? CheckResult.passed(check, "returned " + text)
                        : CheckResult.failed(check, "returned " + text + ", expected " + expected);
            }
            return Boolean.TRUE.equals(value) || "true".equals(text) ? CheckResult.passed(check, "returned true")
                    : CheckResult.failed(check, "returned " + text + ", expected true");
        }
    }

    private static CheckResult minRows(Connection connection, ValidationCheck.MinRows check) throws SQLException {
        String qualified;
        try {
            qualified = Identifiers.qualified(check.table());
        } catch (IllegalArgumentException e) {
            return CheckResult.failed(check, "'" + check.table() + "' is not a table name: " + e.getMessage());
        }
        if (!exists(connection, qualified)) {
            return CheckResult.failed(check, "table " + check.table() + " does not exist");
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from " + qualified)) {
            rows.next();
            long count = rows.getLong(1);
            return count >= check.minRows() ? CheckResult.passed(check, count + " rows")
                    : CheckResult.failed(check, "only " + count + " rows, expected at least " + check.minRows());
        }
    }

    private static boolean exists(Connection connection, String qualified) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select to_regclass(?) is not null")) {
            statement.setString(1, qualified);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static CheckResult canary(Connection connection, ValidationCheck.Canary check, String canaryTable)
            throws SQLException {
        String qualified = Identifiers.qualified(canaryTable);
        if (!exists(connection, qualified)) {
            return CheckResult.failed(check, "the canary table " + canaryTable + " does not exist in the restored copy");
        }
        Optional<Instant> newest;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select max(written_at) from " + qualified)) {
            rows.next();
            newest = Optional.ofNullable(rows.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
        }
        if (newest.isEmpty()) {
            return CheckResult.failed(check, "the canary table " + canaryTable + " is empty in the restored copy");
        }
        if (check.written().isEmpty()) {
            return new CheckResult(check.name(), false, "the backup recorded no canary; the newest restored canary is "
                    + newest.get(), newest);
        }
        Instant written = check.written().get();
        boolean found = !newest.get().isBefore(written);
        return new CheckResult(check.name(), found, found ? "canary of " + newest.get() + " restored"
                : "the newest restored canary is " + newest.get() + ", older than the one the backup wrote at " + written,
                newest);
    }
}
