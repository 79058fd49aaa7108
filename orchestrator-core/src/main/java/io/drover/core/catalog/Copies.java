package io.drover.core.catalog;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.model.VerificationState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL for the {@code recovery_point_copy} table. */
final class Copies {
    private static final String COLUMNS = "recovery_point_id, target, repository_id, manifest_key, committed_at,"
            + " verification_state, verified_at, verified_level";

    private Copies() {
    }

    static List<CopyRecord> of(Connection c, BackupId id) throws SQLException {
        return Jdbc.query(c, "select " + COLUMNS + " from recovery_point_copy where recovery_point_id = ?"
                + " order by target", Copies::map, id);
    }

    static Optional<CopyRecord> find(Connection c, BackupId id, String target) throws SQLException {
        return Jdbc.queryOne(c, "select " + COLUMNS + " from recovery_point_copy where recovery_point_id = ?"
                + " and target = ? for update", Copies::map, id, target);
    }

    /**
     * Inserts or updates a copy. Its verification status is merged with what is known: the existing
     * row or, for a re-imported copy, the replayed verification history.
     */
    static void upsert(Connection c, CopyRecord copy) throws SQLException {
        if (RecoveryPoints.find(c, copy.id(), true).isEmpty()) {
            throw new DroverException(DroverErrors.BACKUP_NOT_FOUND, "catalog: cannot record a copy of "
                    + copy.id() + " on " + copy.target() + ": the recovery point is not in the catalog");
        }
        Optional<CopyRecord> existing = find(c, copy.id(), copy.target());
        VerificationStates.Status known = existing.isPresent()
                ? VerificationStates.Status.of(existing.get())
                : VerificationStates.replay(Verifications.of(c, copy.id(), copy.target()));
        write(c, copy, VerificationStates.merge(known, VerificationStates.Status.of(copy)), existing.isPresent());
        RecoveryPoints.refreshState(c, copy.id());
    }

    /** Applies a finished verification to its copy, if the catalog knows the copy. */
    static void apply(Connection c, VerificationRecord run) throws SQLException {
        Optional<CopyRecord> existing = find(c, run.backupId(), run.target());
        Optional<VerificationStates.Status> evidence = VerificationStates.evidence(run);
        if (existing.isPresent() && evidence.isPresent()) {
            CopyRecord copy = existing.get();
            write(c, copy, VerificationStates.merge(VerificationStates.Status.of(copy), evidence.get()), true);
            RecoveryPoints.refreshState(c, copy.id());
        }
    }

    static int deleteOfTarget(Connection c, String target) throws SQLException {
        List<BackupId> affected = Jdbc.query(c, "select recovery_point_id from recovery_point_copy where target = ?",
                row -> row.backupId("recovery_point_id"), target);
        int deleted = Jdbc.update(c, "delete from recovery_point_copy where target = ?", target);
        for (BackupId id : affected) {
            RecoveryPoints.refreshState(c, id);
        }
        return deleted;
    }

    /** Deletes one copy, and its recovery point if that was the last copy; returns whether the point is gone. */
    static boolean delete(Connection c, BackupId id, String target) throws SQLException {
        Jdbc.update(c, "delete from recovery_point_copy where recovery_point_id = ? and target = ?", id, target);
        if (!of(c, id).isEmpty()) {
            RecoveryPoints.refreshState(c, id);
            return false;
        }
        Jdbc.update(c, "delete from recovery_point where id = ?", id);
        return true;
    }

    private static void write(Connection c, CopyRecord copy, VerificationStates.Status status, boolean exists)
            throws SQLException {
        Object[] values = {copy.repositoryId(), copy.manifestKey(), copy.committedAt(), status.state(),
            status.at(), status.level(), copy.id(), copy.target()};
        if (exists) {
            Jdbc.update(c, "update recovery_point_copy set repository_id = ?, manifest_key = ?, committed_at = ?,"
                    + " verification_state = ?, verified_at = ?, verified_level = ?"
                    + " where recovery_point_id = ? and target = ?", values);
        } else {
            Jdbc.update(c, "insert into recovery_point_copy (repository_id, manifest_key, committed_at,"
                    + " verification_state, verified_at, verified_level, recovery_point_id, target)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?)", values);
        }
    }

    private static CopyRecord map(Row r) throws SQLException {
        return new CopyRecord(r.backupId("recovery_point_id"), r.string("target"), r.string("repository_id"),
                r.string("manifest_key"), r.instant("committed_at"),
                r.enumValue("verification_state", VerificationState.class), r.optionalInstant("verified_at"),
                r.optionalEnum("verified_level", VerificationLevel.class));
    }
}
