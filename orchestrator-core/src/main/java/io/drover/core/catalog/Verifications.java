package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** SQL for the {@code verification_run} table. */
final class Verifications {
    private static final String COLUMNS = "id, recovery_point_id, target, level, started_at, finished_at, outcome,"
            + " findings, checked_objects, checked_bytes";

    private Verifications() {
    }

    static long insert(Connection c, VerificationRecord v) throws SQLException {
        String findings = v.findings().isEmpty() ? null : String.join("\n", v.findings());
        return Jdbc.insert(c, "insert into verification_run (recovery_point_id, target, level, started_at,"
                + " finished_at, outcome, findings, checked_objects, checked_bytes)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)", v.backupId(), v.target(), v.level(), v.startedAt(),
                v.finishedAt(), v.outcome(), findings, v.checkedObjects(), v.checkedBytes());
    }

    /** Every verification of a recovery point, oldest first. */
    static List<VerificationRecord> of(Connection c, BackupId id) throws SQLException {
        return Jdbc.query(c, "select " + COLUMNS + " from verification_run where recovery_point_id = ?"
                + " order by finished_at, id", Verifications::map, id);
    }

    /** Every verification of one copy, oldest first. */
    static List<VerificationRecord> of(Connection c, BackupId id, String target) throws SQLException {
        return Jdbc.query(c, "select " + COLUMNS + " from verification_run where recovery_point_id = ?"
                + " and target = ? order by finished_at, id", Verifications::map, id, target);
    }

    /** Verifications matching {@code condition} (on alias {@code v}), newest finished first. */
    static List<VerificationRecord> listWhere(Connection c, String condition, int limit, Object... params)
            throws SQLException {
        Object[] all = java.util.Arrays.copyOf(params, params.length + 1);
        all[params.length] = limit;
        return Jdbc.query(c, "select " + COLUMNS + " from verification_run v where " + condition
                + " order by v.finished_at desc, v.id desc limit ?", Verifications::map, all);
    }

    private static VerificationRecord map(Row r) throws SQLException {
        List<String> findings = r.optionalString("findings")
                .filter(text -> !text.isEmpty())
                .map(text -> Arrays.asList(text.split("\n", -1)))
                .orElse(List.of());
        return new VerificationRecord(r.longValue("id"), r.backupId("recovery_point_id"), r.string("target"),
                r.enumValue("level", VerificationLevel.class), r.instant("started_at"), r.instant("finished_at"),
                r.enumValue("outcome", VerificationRecord.Outcome.class), findings, r.longValue("checked_objects"),
                r.longValue("checked_bytes"));
    }
}
