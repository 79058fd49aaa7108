package io.drover.core.catalog;

import io.drover.core.model.RpoState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** SQL for the {@code service_rpo_state} and {@code service_rpo_history} tables. */
final class RpoStates {
    private static final String COLUMNS = "service, state, since, evaluated_at, achieved_seconds, target_seconds,"
            + " recovery_point_id";
    private static final String HISTORY_COLUMNS = "id, service, at, from_state, to_state, achieved_seconds,"
            + " target_seconds, recovery_point_id";

    private RpoStates() {
    }

    static Optional<RpoStateRecord> find(Connection c, String service, boolean forUpdate) throws SQLException {
        return Jdbc.queryOne(c, "select " + COLUMNS + " from service_rpo_state where service = ?"
                + (forUpdate ? " for update" : ""), RpoStates::map, service);
    }

    static List<RpoStateRecord> all(Connection c) throws SQLException {
        return Jdbc.query(c, "select " + COLUMNS + " from service_rpo_state order by service", RpoStates::map);
    }

    /**
     * Stores an evaluation. The row is locked first, so of several nodes evaluating the same service
     * at once exactly one sees the old state and records the change; the others see it done.
     */
    static Optional<RpoTransition> record(Connection c, RpoStateRecord evaluation) throws SQLException {
        Optional<RpoStateRecord> current = find(c, evaluation.service(), true);
        Object achieved = seconds(evaluation.achieved());
        Object target = seconds(evaluation.target());
        if (current.isPresent() && current.get().state() == evaluation.state()) {
            Jdbc.update(c, "update service_rpo_state set evaluated_at = ?, achieved_seconds = ?, target_seconds = ?,"
                    + " recovery_point_id = ? where service = ?", evaluation.evaluatedAt(), achieved, target,
                    evaluation.recoveryPoint(), evaluation.service());
            return Optional.empty();
        }
        if (current.isPresent()) {
            Jdbc.update(c, "update service_rpo_state set state = ?, since = ?, evaluated_at = ?, achieved_seconds = ?,"
                    + " target_seconds = ?, recovery_point_id = ? where service = ?", evaluation.state(),
                    evaluation.since(), evaluation.evaluatedAt(), achieved, target, evaluation.recoveryPoint(),
                    evaluation.service());
        } else {
            // Two nodes inserting the first row at once: one gets a unique violation and Jdbc retries
            // its transaction, which then finds the row.
            Jdbc.update(c, "insert into service_rpo_state (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?)",
                    evaluation.service(), evaluation.state(), evaluation.since(), evaluation.evaluatedAt(), achieved,
                    target, evaluation.recoveryPoint());
        }
        Optional<RpoState> from = current.map(RpoStateRecord::state);
        long id = Jdbc.insert(c, "insert into service_rpo_history (service, at, from_state, to_state, achieved_seconds,"
                + " target_seconds, recovery_point_id) values (?, ?, ?, ?, ?, ?, ?)", evaluation.service(),
                evaluation.since(), from, evaluation.state(), achieved, target, evaluation.recoveryPoint());
        return Optional.of(new RpoTransition(id, evaluation.service(), Jdbc.truncate(evaluation.since()), from,
                evaluation.state(), evaluation.achieved(), evaluation.target(), evaluation.recoveryPoint()));
    }

    static List<RpoTransition> history(Connection c, Optional<String> service, int limit) throws SQLException {
        String sql = "select " + HISTORY_COLUMNS + " from service_rpo_history"
                + (service.isPresent() ? " where service = ?" : "") + " order by at desc, id desc limit ?";
        Object[] params = service.isPresent() ? new Object[] {service.get(), limit} : new Object[] {limit};
        return Jdbc.query(c, sql, RpoStates::mapTransition, params);
    }

    /** Forgets services that are no longer in the config, so they stop showing up. */
    static int retainOnly(Connection c, List<String> services) throws SQLException {
        if (services.isEmpty()) {
            return Jdbc.update(c, "delete from service_rpo_state");
        }
        String marks = String.join(", ", java.util.Collections.nCopies(services.size(), "?"));
        return Jdbc.update(c, "delete from service_rpo_state where service not in (" + marks + ")", services.toArray());
    }

    private static Object seconds(Optional<Duration> duration) {
        return duration.map(Duration::toSeconds);
    }

    private static Optional<Duration> duration(Row r, String column) throws SQLException {
        return r.optionalLong(column).map(Duration::ofSeconds);
    }

    private static RpoStateRecord map(Row r) throws SQLException {
        return new RpoStateRecord(r.string("service"), r.enumValue("state", RpoState.class), r.instant("since"),
                r.instant("evaluated_at"), duration(r, "achieved_seconds"), duration(r, "target_seconds"),
                r.optionalBackupId("recovery_point_id"));
    }

    private static RpoTransition mapTransition(Row r) throws SQLException {
        return new RpoTransition(r.longValue("id"), r.string("service"), r.instant("at"),
                r.optionalEnum("from_state", RpoState.class), r.enumValue("to_state", RpoState.class),
                duration(r, "achieved_seconds"), duration(r, "target_seconds"), r.optionalBackupId("recovery_point_id"));
    }
}
