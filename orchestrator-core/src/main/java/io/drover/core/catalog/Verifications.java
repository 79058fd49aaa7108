package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.spi.CheckResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** SQL for the {@code verification_run} table. */
final class Verifications {
    private static final String COLUMNS = "id, recovery_point_id, target, level, started_at, finished_at, outcome,"
            + " findings, checked_objects, checked_bytes, restore_millis, scratch, proven_at";

    private Verifications() {
    }

    static long insert(Connection c, VerificationRecord v) throws SQLException {
        String findings = v.findings().isEmpty() ? null : String.join("\n", v.findings());
        Optional<RestoreTest> test = v.restoreTest();
        long id = Jdbc.insert(c, "insert into verification_run (recovery_point_id, target, level, started_at,"
                + " finished_at, outcome, findings, checked_objects, checked_bytes, restore_millis, scratch, proven_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", v.backupId(), v.target(), v.level(), v.startedAt(),
                v.finishedAt(), v.outcome(), findings, v.checkedObjects(), v.checkedBytes(),
                test.map(t -> t.restoreDuration().toMillis()), test.map(t -> clip(t.scratch(), 512)),
                test.flatMap(RestoreTest::provenAt));
        if (test.isPresent()) {
            int position = 0;
            for (CheckResult check : test.get().checks()) {
                Jdbc.update(c, "insert into verification_check (verification_id, position, name, passed, detail)"
                        + " values (?, ?, ?, ?, ?)", id, position++, clip(check.check(), 2000), check.passed(),
                        clip(check.detail(), 4000));
            }
        }
        return id;
    }

    private static String clip(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }

    /** Every verification of a recovery point, oldest first. */
    static List<VerificationRecord> of(Connection c, BackupId id) throws SQLException {
        return withChecks(c, Jdbc.query(c, "select " + COLUMNS + " from verification_run where recovery_point_id = ?"
                + " order by finished_at, id", Verifications::map, id));
    }

    /** Every verification of one copy, oldest first. */
    static List<VerificationRecord> of(Connection c, BackupId id, String target) throws SQLException {
        return withChecks(c, Jdbc.query(c, "select " + COLUMNS + " from verification_run where recovery_point_id = ?"
                + " and target = ? order by finished_at, id", Verifications::map, id, target));
    }

    /** Verifications matching {@code condition} (on alias {@code v}), newest finished first. */
    static List<VerificationRecord> listWhere(Connection c, String condition, int limit, Object... params)
            throws SQLException {
        Object[] all = java.util.Arrays.copyOf(params, params.length + 1);
        all[params.length] = limit;
        return withChecks(c, Jdbc.query(c, "select " + COLUMNS + " from verification_run v where " + condition
                + " order by v.finished_at desc, v.id desc limit ?", Verifications::map, all));
    }

    /** Fills in the checks of the runs that were restore tests (the map reads only the run's own row). */
    private static List<VerificationRecord> withChecks(Connection c, List<VerificationRecord> runs) throws SQLException {
        List<VerificationRecord> complete = new java.util.ArrayList<>(runs.size());
        for (VerificationRecord run : runs) {
            if (run.restoreTest().isEmpty()) {
                complete.add(run);
                continue;
            }
            RestoreTest test = run.restoreTest().get();
            List<CheckResult> checks = Jdbc.query(c, "select name, passed, detail from verification_check"
                    + " where verification_id = ? order by position", r -> new CheckResult(r.string("name"),
                    r.bool("passed"), r.string("detail"), Optional.empty()), run.id());
            complete.add(new VerificationRecord(run.id(), run.backupId(), run.target(), run.level(), run.startedAt(),
                    run.finishedAt(), run.outcome(), run.findings(), run.checkedObjects(), run.checkedBytes(),
                    Optional.of(new RestoreTest(test.restoreDuration(), test.scratch(), checks, test.provenAt()))));
        }
        return complete;
    }

    private static VerificationRecord map(Row r) throws SQLException {
        List<String> findings = r.optionalString("findings")
                .filter(text -> !text.isEmpty())
                .map(text -> Arrays.asList(text.split("\n", -1)))
                .orElse(List.of());
        Optional<Long> restoreMillis = r.optionalLong("restore_millis");
        Optional<RestoreTest> restoreTest = restoreMillis.isEmpty() ? Optional.empty() : Optional.of(new RestoreTest(
                java.time.Duration.ofMillis(restoreMillis.get()), r.optionalString("scratch").orElse(""), List.of(),
                r.optionalInstant("proven_at")));
        return new VerificationRecord(r.longValue("id"), r.backupId("recovery_point_id"), r.string("target"),
                r.enumValue("level", VerificationLevel.class), r.instant("started_at"), r.instant("finished_at"),
                r.enumValue("outcome", VerificationRecord.Outcome.class), findings, r.longValue("checked_objects"),
                r.longValue("checked_bytes"), restoreTest);
    }
}
