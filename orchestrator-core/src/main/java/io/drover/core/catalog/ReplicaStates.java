package io.drover.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** SQL for the {@code replica_state} table. */
final class ReplicaStates {
    private static final String COLUMNS = "database_name, member, site, sampled_at, reachable, lag_millis, bytes_behind,"
            + " heartbeat_at, detail";

    private ReplicaStates() {
    }

    static void replace(Connection c, ReplicaStateRecord state) throws SQLException {
        Jdbc.update(c, "delete from replica_state where database_name = ? and member = ?", state.database(), state.member());
        String detail = state.detail().length() <= 2000 ? state.detail() : state.detail().substring(0, 1999) + "…";
        Jdbc.update(c, "insert into replica_state (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?)", state.database(),
                state.member(), state.site(), state.sampledAt(), state.reachable(), state.lag().map(Duration::toMillis),
                state.bytesBehind(), state.heartbeatAt(), detail);
    }

    static List<ReplicaStateRecord> of(Connection c, List<String> databases) throws SQLException {
        if (databases.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(databases.size(), "?"));
        return Jdbc.query(c, "select " + COLUMNS + " from replica_state where database_name in (" + marks + ")"
                + " order by database_name, member", r -> new ReplicaStateRecord(r.string("database_name"), r.string("member"),
                r.string("site"), r.instant("sampled_at"), r.bool("reachable"), r.optionalLong("lag_millis").map(Duration::ofMillis),
                r.optionalLong("bytes_behind"), r.optionalInstant("heartbeat_at"), r.string("detail")), databases.toArray());
    }
}
