package io.drover.core.catalog;

import io.drover.core.model.VerificationLevel;
import io.drover.core.model.VerificationState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Queries that gather what the catalog knows about a set of jobs (the jobs protecting one service). */
final class Evidence {
    private Evidence() {
    }

    /** The newest committed recovery point of {@code jobs} whose state satisfies {@code required}. */
    static Optional<RecoveryPointRecord> newestUsable(Connection c, List<String> jobs, VerificationState required)
            throws SQLException {
        if (jobs.isEmpty()) {
            return Optional.empty();
        }
        List<VerificationState> accepted = Arrays.stream(VerificationState.values()).filter(s -> s.satisfies(required))
                .toList();
        List<Object> params = new ArrayList<>(jobs);
        params.addAll(accepted);
        return RecoveryPoints.listWhere(c, "rp.job in (" + marks(jobs.size()) + ") and rp.status = 'COMMITTED'"
                + " and rp.verification_state in (" + marks(accepted.size()) + ")", 1, params.toArray())
                .stream().findFirst();
    }

    static Optional<RunRecord> latestRun(Connection c, List<String> jobs) throws SQLException {
        if (jobs.isEmpty()) {
            return Optional.empty();
        }
        return Runs.listWhere(c, "job in (" + marks(jobs.size()) + ")", 1, jobs.toArray()).stream().findFirst();
    }

    /** The newest verification of any recovery point of {@code jobs}, of one level or of any. */
    static Optional<VerificationRecord> latestVerification(Connection c, List<String> jobs,
                                                           Optional<VerificationLevel> level) throws SQLException {
        if (jobs.isEmpty()) {
            return Optional.empty();
        }
        List<Object> params = new ArrayList<>(jobs);
        level.ifPresent(params::add);
        return Verifications.listWhere(c, "v.recovery_point_id in (select rp.id from recovery_point rp where rp.job in ("
                + marks(jobs.size()) + "))" + (level.isPresent() ? " and v.level = ?" : ""), 1, params.toArray())
                .stream().findFirst();
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
