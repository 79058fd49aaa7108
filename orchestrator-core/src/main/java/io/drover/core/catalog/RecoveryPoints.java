package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import io.drover.core.model.BackupKind;
import io.drover.core.model.VerificationState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for the {@code recovery_point} table. */
final class RecoveryPoints {
    private static final String COLUMNS = "id, repository_id, job, service, source_name, source_type, kind, parent_id,"
            + " started_at, captured_at, finished_at, file_count, plain_bytes, stored_bytes, part_count,"
            + " warning_count, verification_state, status";
    private static final String COMMITTED = "COMMITTED";

    private RecoveryPoints() {
    }

    static Optional<RecoveryPointRecord> find(Connection c, BackupId id, boolean forUpdate) throws SQLException {
        return Jdbc.queryOne(c, "select " + COLUMNS + " from recovery_point where id = ?"
                + (forUpdate ? " for update" : ""), RecoveryPoints::map, id);
    }

    static void upsert(Connection c, RecoveryPointRecord p) throws SQLException {
        Optional<RecoveryPointRecord> existing = find(c, p.id(), true);
        VerificationState state = existing
                .map(e -> VerificationStates.merge(e.verificationState(), p.verificationState()))
                .orElse(p.verificationState());
        Object[] values = {p.repositoryId(), p.job(), p.service(), p.sourceName(), p.sourceType(), p.kind(),
            p.parent(), p.startedAt(), p.capturedAt(), p.finishedAt(), p.fileCount(), p.plainBytes(),
            p.storedBytes(), p.partCount(), p.warningCount(), state, COMMITTED, p.id()};
        if (existing.isPresent()) {
            Jdbc.update(c, "update recovery_point set repository_id = ?, job = ?, service = ?, source_name = ?,"
                    + " source_type = ?, kind = ?, parent_id = ?, started_at = ?, captured_at = ?, finished_at = ?,"
                    + " file_count = ?, plain_bytes = ?, stored_bytes = ?, part_count = ?, warning_count = ?,"
                    + " verification_state = ?, status = ? where id = ?", values);
        } else {
            Jdbc.update(c, "insert into recovery_point (repository_id, job, service, source_name, source_type, kind,"
                    + " parent_id, started_at, captured_at, finished_at, file_count, plain_bytes, stored_bytes,"
                    + " part_count, warning_count, verification_state, status, id)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
        }
        refreshState(c, p.id());
    }

    /** Keeps the invariant: a point with copies has the summary of its copies' states. */
    static void refreshState(Connection c, BackupId id) throws SQLException {
        List<VerificationState> states = Jdbc.query(c,
                "select verification_state from recovery_point_copy where recovery_point_id = ?",
                row -> row.enumValue("verification_state", VerificationState.class), id);
        Optional<VerificationState> summary = VerificationStates.summarize(states);
        if (summary.isPresent()) {
            Jdbc.update(c, "update recovery_point set verification_state = ? where id = ?", summary.get(), id);
        }
    }

    static List<RecoveryPointRecord> list(Connection c, RecoveryPointQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from recovery_point rp where 1 = 1");
        List<Object> params = new ArrayList<>();
        q.job().ifPresent(job -> {
            sql.append(" and rp.job = ?");
            params.add(job);
        });
        q.service().ifPresent(service -> {
            sql.append(" and rp.service = ?");
            params.add(service);
        });
        q.target().ifPresent(target -> {
            sql.append(" and exists (select 1 from recovery_point_copy c where c.recovery_point_id = rp.id"
                    + " and c.target = ?)");
            params.add(target);
        });
        sql.append(" order by rp.captured_at desc, rp.id desc limit ?");
        params.add(q.limit());
        return Jdbc.query(c, sql.toString(), RecoveryPoints::map, params.toArray());
    }

    /** Committed-or-not points matching {@code condition} (on alias {@code rp}), newest captured first. */
    static List<RecoveryPointRecord> listWhere(Connection c, String condition, int limit, Object... params)
            throws SQLException {
        Object[] all = java.util.Arrays.copyOf(params, params.length + 1);
        all[params.length] = limit;
        return Jdbc.query(c, "select " + COLUMNS + " from recovery_point rp where " + condition
                + " order by rp.captured_at desc, rp.id desc limit ?", RecoveryPoints::map, all);
    }

    static Optional<BackupId> latest(Connection c, String job, String target) throws SQLException {
        return Jdbc.queryOne(c, "select rp.id from recovery_point rp join recovery_point_copy c"
                + " on c.recovery_point_id = rp.id where rp.job = ? and c.target = ? and rp.status = ?"
                + " and c.verification_state <> ? order by rp.captured_at desc, rp.id desc limit 1",
                row -> row.backupId("id"), job, target, COMMITTED, VerificationState.CORRUPT);
    }

    static int deleteWithoutCopies(Connection c) throws SQLException {
        return Jdbc.update(c, "delete from recovery_point rp where not exists"
                + " (select 1 from recovery_point_copy c where c.recovery_point_id = rp.id)");
    }

    private static RecoveryPointRecord map(Row r) throws SQLException {
        return new RecoveryPointRecord(r.backupId("id"), r.string("repository_id"), r.string("job"),
                r.optionalString("service"), r.string("source_name"), r.string("source_type"),
                r.enumValue("kind", BackupKind.class), r.optionalBackupId("parent_id"), r.instant("started_at"),
                r.instant("captured_at"), r.instant("finished_at"), r.longValue("file_count"),
                r.longValue("plain_bytes"), r.longValue("stored_bytes"), r.intValue("part_count"),
                r.intValue("warning_count"), r.enumValue("verification_state", VerificationState.class));
    }
}
