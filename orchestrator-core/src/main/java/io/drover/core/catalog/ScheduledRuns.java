package io.drover.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** SQL for the {@code scheduled_run} and {@code scheduler_node} tables. */
final class ScheduledRuns {
    private static final String COLUMNS = "id, job_key, job_kind, scheduled_at, fire_id, node, recovering, started_at,"
            + " finished_at, status, message";
    private static final String NODE_COLUMNS = "node, host, pid, version, started_at, heartbeat_at, clock_skew_ms, stopped_at";

    private ScheduledRuns() {
    }

    /**
     * Records the start of an execution. Earlier executions of the same fire still marked RUNNING
     * (their node died) are marked INTERRUPTED first, so a fire never shows two running executions.
     */
    static long start(Connection c, String jobKey, String kind, Instant scheduledAt, String fireId, String node,
                      boolean recovering, Instant startedAt) throws SQLException {
        Jdbc.update(c, "update scheduled_run set status = ?, finished_at = ?, message = ? where job_key = ?"
                + " and scheduled_at = ? and status = ?", RunStatus.INTERRUPTED, startedAt,
                "node stopped before the run finished; recovered by " + node, jobKey, scheduledAt, RunStatus.RUNNING);
        return Jdbc.insert(c, "insert into scheduled_run (job_key, job_kind, scheduled_at, fire_id, node, recovering,"
                + " started_at, status) values (?, ?, ?, ?, ?, ?, ?, ?)", jobKey, kind, scheduledAt, fireId, node,
                recovering, startedAt, RunStatus.RUNNING);
    }

    static void finish(Connection c, long id, RunStatus status, Optional<String> message, Instant at) throws SQLException {
        Jdbc.update(c, "update scheduled_run set status = ?, message = ?, finished_at = ? where id = ? and status = ?",
                status, message, at, id, RunStatus.RUNNING);
    }

    /** Marks {@code node}'s unfinished runs INTERRUPTED; returns them as they were. */
    static List<ScheduledRunRecord> interruptRunsOf(Connection c, String node, String reason, Instant at)
            throws SQLException {
        List<ScheduledRunRecord> running = Jdbc.query(c, "select " + COLUMNS + " from scheduled_run where node = ?"
                + " and status = ?", ScheduledRuns::map, node, RunStatus.RUNNING);
        Jdbc.update(c, "update scheduled_run set status = ?, finished_at = ?, message = ? where node = ? and status = ?",
                RunStatus.INTERRUPTED, at, reason, node, RunStatus.RUNNING);
        return running;
    }

    static List<ScheduledRunRecord> list(Connection c, Optional<String> jobKey, Optional<Instant> since, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from scheduled_run where 1 = 1");
        List<Object> params = new java.util.ArrayList<>();
        jobKey.ifPresent(k -> {
            sql.append(" and job_key = ?");
            params.add(k);
        });
        since.ifPresent(t -> {
            sql.append(" and started_at >= ?");
            params.add(t);
        });
        sql.append(" order by started_at desc, id desc limit ?");
        params.add(limit);
        return Jdbc.query(c, sql.toString(), ScheduledRuns::map, params.toArray());
    }

    static java.util.Map<String, Instant> lastSuccess(Connection c) throws SQLException {
        java.util.Map<String, Instant> last = new java.util.TreeMap<>();
        for (var row : Jdbc.query(c, "select job_key, max(finished_at) as last from scheduled_run where status = ?"
                + " group by job_key", r -> java.util.Map.entry(r.string("job_key"), r.instant("last")), RunStatus.SUCCEEDED)) {
            last.put(row.getKey(), row.getValue());
        }
        return last;
    }

    static void heartbeat(Connection c, SchedulerNodeRecord node) throws SQLException {
        int updated = Jdbc.update(c, "update scheduler_node set host = ?, pid = ?, version = ?, started_at = ?,"
                + " heartbeat_at = ?, clock_skew_ms = ?, stopped_at = ? where node = ?", node.host(), node.pid(),
                node.version(), node.startedAt(), node.heartbeatAt(), node.clockSkewMillis(), node.stoppedAt(),
                node.node());
        if (updated == 0) {
            Jdbc.update(c, "insert into scheduler_node (" + NODE_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?)",
                    node.node(), node.host(), node.pid(), node.version(), node.startedAt(), node.heartbeatAt(),
                    node.clockSkewMillis(), node.stoppedAt());
        }
    }

    static List<SchedulerNodeRecord> nodes(Connection c) throws SQLException {
        return Jdbc.query(c, "select " + NODE_COLUMNS + " from scheduler_node order by node", r -> new SchedulerNodeRecord(
                r.string("node"), r.string("host"), r.longValue("pid"), r.string("version"), r.instant("started_at"),
                r.instant("heartbeat_at"), r.longValue("clock_skew_ms"), r.optionalInstant("stopped_at")));
    }

    /** The database's own clock, to measure this node's skew against a reference every node shares. */
    static Instant databaseNow(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "select current_timestamp as now", r -> r.instant("now")).orElseThrow();
    }

    private static ScheduledRunRecord map(Row r) throws SQLException {
        return new ScheduledRunRecord(r.longValue("id"), r.string("job_key"), r.string("job_kind"),
                r.instant("scheduled_at"), r.string("fire_id"), r.string("node"), r.bool("recovering"),
                r.instant("started_at"), r.optionalInstant("finished_at"), r.enumValue("status", RunStatus.class),
                r.optionalString("message"));
    }
}
