package io.drover.core.catalog;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** Plain-JDBC helpers: connections, transactions with retry, parameter binding, error translation. */
final class Jdbc {
    /** Unique violation (two writers inserted the same key) and serialization failure/deadlock. */
    private static final Set<String> RETRYABLE = Set.of("23505", "40001", "40P01");
    private static final int ATTEMPTS = 3;

    /** Work done on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(Row row) throws SQLException;
    }

    private final DataSource dataSource;
    private final String redactedUrl;
    private final List<String> secrets;

    private final boolean writeBehind;

    /**
     * @param writeBehind whether the database writes commits to disk later (embedded H2: within half
     *                    a second), so that {@link #durableTransaction} must force them out
     */
    Jdbc(DataSource dataSource, String redactedUrl, List<String> secrets, boolean writeBehind) {
        this.dataSource = dataSource;
        this.redactedUrl = redactedUrl;
        this.secrets = List.copyOf(secrets);
        this.writeBehind = writeBehind;
    }

    /**
     * Like {@link #transaction}, and the commit is on disk when this returns, also on a database that
     * writes behind: for records a crash must not lose (a run's start, a runbook's journal). H2's
     * {@code CHECKPOINT} does that for one commit; writing every commit through (WRITE_DELAY 0) made
     * H2 close the database under concurrent connections.
     */
    <T> T durableTransaction(String what, Work<T> work) {
        T result = transaction(what, work);
        if (writeBehind) {
            call(what + " (writing it to disk)", c -> {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("CHECKPOINT");
                }
                return null;
            });
        }
        return result;
    }

    /** Runs {@code work} in one transaction, retrying it when a concurrent writer got in the way. */
    <T> T transaction(String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                if (attempt < ATTEMPTS && RETRYABLE.contains(e.getSQLState())) {
                    continue;
                }
                throw failure(what, e);
            }
        }
    }

    /** Runs read-only or single-statement {@code work} in auto-commit mode. */
    <T> T call(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    DroverException failure(String what, Exception e) {
        return new DroverException(DroverErrors.CATALOG_FAILED,
                "catalog: " + what + " failed on " + redactedUrl + ": " + Redaction.text(e.getMessage(), secrets),
                null, List.of(), Redaction.chain(e, secrets));
    }

    static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                Row row = new Row(rs);
                while (rs.next()) {
                    rows.add(mapper.map(row));
                }
                return rows;
            }
        }
    }

    static <T> Optional<T> queryOne(Connection c, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        return query(c, sql, mapper, params).stream().findFirst();
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** Inserts one row and returns its generated {@code id}. */
    static long insert(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
            bind(ps, params);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no generated id returned for: " + sql);
                }
                return keys.getLong(1);
            }
        }
    }

    /** Time stamps are kept to the microsecond, which both H2 and PostgreSQL store exactly. */
    static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object value = params[i] instanceof Optional<?> o ? o.orElse(null) : params[i];
            switch (value) {
                case null -> ps.setNull(i + 1, Types.NULL);
                case Instant t -> ps.setObject(i + 1, OffsetDateTime.ofInstant(truncate(t), ZoneOffset.UTC));
                case Enum<?> e -> ps.setString(i + 1, e.name());
                case BackupId id -> ps.setString(i + 1, id.value());
                default -> ps.setObject(i + 1, value);
            }
        }
    }
}
