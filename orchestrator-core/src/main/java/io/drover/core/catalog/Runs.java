package io.drover.core.catalog;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** SQL for the {@code backup_run} table. */
final class Runs {
    private static final String COLUMNS = "id, job, started_at, finished_at, status, recovery_point_id, message, actor";

    private Runs() {
    }

    static long start(Connection c, String job, Instant startedAt, String actor) throws SQLException {
        return Jdbc.insert(c, "insert into backup_run (job, started_at, status, actor) values (?, ?, ?, ?)",
                job, startedAt, RunStatus.RUNNING, actor);
    }

    static void finish(Connection c, long runId, RunStatus status, Optional<BackupId> rp, Optional<String> message,
                       Instant finishedAt) throws SQLException {
        int updated = Jdbc.update(c, "update backup_run set status = ?, recovery_point_id = ?, message = ?,"
                + " finished_at = ? where id = ?", status, rp, message, finishedAt, runId);
        if (updated == 0) {
            throw new DroverException(DroverErrors.INTERNAL_ERROR, "catalog: no backup run with id " + runId);
        }
    }

    static List<RunRecord> list(Connection c, Optional<String> job, int limit) throws SQLException {
        String sql = "select " + COLUMNS + " from backup_run" + (job.isPresent() ? " where job = ?" : "")
                + " order by started_at desc, id desc limit ?";
        Object[] params = job.isPresent() ? new Object[] {job.get(), limit} : new Object[] {limit};
        return Jdbc.query(c, sql, Runs::map, params);
    }

    /** Runs matching {@code condition}, newest started first. */
    static List<RunRecord> listWhere(Connection c, String condition, int limit, Object... params) throws SQLException {
        Object[] all = java.util.Arrays.copyOf(params, params.length + 1);
        all[params.length] = limit;
        return Jdbc.query(c, "select " + COLUMNS + " from backup_run where " + condition
                + " order by started_at desc, id desc limit ?", Runs::map, all);
    }

    private static RunRecord map(Row r) throws SQLException {
        return new RunRecord(r.longValue("id"), r.string("job"), r.instant("started_at"),
                r.optionalInstant("finished_at"), r.enumValue("status", RunStatus.class),
                r.optionalBackupId("recovery_point_id"), r.optionalString("message"), r.string("actor"));
    }
}
