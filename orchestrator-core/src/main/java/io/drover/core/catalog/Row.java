package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/** Typed, null-aware access to the current row of a result set. */
final class Row {
    private final ResultSet rs;

    Row(ResultSet rs) {
        this.rs = rs;
    }

    String string(String column) throws SQLException {
        return rs.getString(column);
    }

    Optional<String> optionalString(String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    long longValue(String column) throws SQLException {
        return rs.getLong(column);
    }

    Optional<Long> optionalLong(String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    boolean bool(String column) throws SQLException {
        return rs.getBoolean(column);
    }

    int intValue(String column) throws SQLException {
        return rs.getInt(column);
    }

    Instant instant(String column) throws SQLException {
        return optionalInstant(column).orElseThrow(() -> new SQLException("column " + column + " is null"));
    }

    Optional<Instant> optionalInstant(String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    BackupId backupId(String column) throws SQLException {
        return new BackupId(rs.getString(column));
    }

    Optional<BackupId> optionalBackupId(String column) throws SQLException {
        return optionalString(column).map(BackupId::new);
    }

    <E extends Enum<E>> E enumValue(String column, Class<E> type) throws SQLException {
        return Enum.valueOf(type, rs.getString(column));
    }

    <E extends Enum<E>> Optional<E> optionalEnum(String column, Class<E> type) throws SQLException {
        return optionalString(column).map(v -> Enum.valueOf(type, v));
    }
}
