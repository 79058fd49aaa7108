package io.drover.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/** SQL for the {@code runbook_execution}, {@code runbook_step}, {@code runbook_transition} and {@code runbook_approval} tables. */
final class RunbookExecutions {
    private static final String COLUMNS = "id, runbook, source, definition, params, status, actor, owner, started_at,"
            + " updated_at, finished_at, message";
    private static final String STEP_COLUMNS = "execution_id, step_id, position, status, attempts, started_at,"
            + " finished_at, outputs, message";

    private RunbookExecutions() {
    }

    static long create(Connection c, String runbook, String source, String definition, String params, String actor,
                       String owner, List<String> stepIds, Instant at) throws SQLException {
        long id = Jdbc.insert(c, "insert into runbook_execution (runbook, source, definition, params, status, actor,"
                + " owner, started_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", runbook, source, definition,
                params, RunbookExecutionStatus.RUNNING, actor, owner, at, at);
        for (int i = 0; i < stepIds.size(); i++) {
            Jdbc.update(c, "insert into runbook_step (" + STEP_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?)", id,
                    stepIds.get(i), i, RunbookStepStatus.PENDING, 0, null, null, "{}", null);
        }
        transition(c, id, null, null, RunbookExecutionStatus.RUNNING.name(), at, actor, "started by " + actor);
        return id;
    }

    static Optional<RunbookExecutionRecord> find(Connection c, long id, boolean lock) throws SQLException {
        return Jdbc.queryOne(c, "select " + COLUMNS + " from runbook_execution where id = ?" + (lock ? " for update" : ""),
                RunbookExecutions::map, id);
    }

    static List<RunbookExecutionRecord> list(Connection c, Optional<String> runbook, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from runbook_execution");
        List<Object> params = new ArrayList<>();
        runbook.ifPresent(r -> {
            sql.append(" where runbook = ?");
            params.add(r);
        });
        sql.append(" order by started_at desc, id desc limit ?");
        params.add(limit);
        return Jdbc.query(c, sql.toString(), RunbookExecutions::map, params.toArray());
    }

    /**
     * Changes the execution's status and owner if {@code allowed} accepts its current status and
     * owner (checked under a row lock); returns the state before the change, or empty if refused.
     */
    static Optional<RunbookExecutionRecord> update(Connection c, long id,
                                                   BiPredicate<RunbookExecutionStatus, Optional<String>> allowed,
                                                   RunbookExecutionStatus to, Optional<String> owner,
                                                   Optional<String> message, Instant at, String actor, String detail)
            throws SQLException {
        Optional<RunbookExecutionRecord> current = find(c, id, true);
        if (current.isEmpty() || !allowed.test(current.get().status(), current.get().owner())) {
            return Optional.empty();
        }
        boolean finished = switch (to) {
            case SUCCEEDED, FAILED, ABORTED, ROLLED_BACK, ROLLBACK_FAILED -> true;
            case RUNNING, WAITING_APPROVAL, ROLLING_BACK -> false;
        };
        Jdbc.update(c, "update runbook_execution set status = ?, owner = ?, updated_at = ?, finished_at = ?,"
                + " message = ? where id = ?", to, owner, at, finished ? at : null,
                message.isPresent() ? message : current.get().message(), id);
        if (current.get().status() != to || !detail.isEmpty()) {
            transition(c, id, null, current.get().status().name(), to.name(), at, actor, detail);
        }
        return current;
    }

    /**
     * Journals a step's new state, but only while {@code owner} drives a live execution; returns
     * whether it did. {@code outputs} empty keeps the recorded outputs.
     */
    static boolean updateStep(Connection c, long id, String owner, String stepId, RunbookStepStatus to, int attempts,
                              Optional<String> outputs, Optional<String> message, Instant at, String actor)
            throws SQLException {
        Optional<RunbookExecutionRecord> execution = find(c, id, true);
        if (execution.isEmpty() || !execution.get().owner().equals(Optional.of(owner))
                || !(execution.get().status() == RunbookExecutionStatus.RUNNING
                || execution.get().status() == RunbookExecutionStatus.WAITING_APPROVAL
                || execution.get().status() == RunbookExecutionStatus.ROLLING_BACK)) {
            return false;
        }
        RunbookStepRecord step = Jdbc.queryOne(c, "select " + STEP_COLUMNS + " from runbook_step where execution_id = ?"
                + " and step_id = ?", RunbookExecutions::mapStep, id, stepId)
                .orElseThrow(() -> new SQLException("execution " + id + " has no step " + stepId));
        Optional<Instant> startedAt = step.startedAt().isEmpty() && to == RunbookStepStatus.RUNNING
                ? Optional.of(at) : step.startedAt();
        boolean finished = switch (to) {
            case SUCCEEDED, SKIPPED, FAILED, ABORTED, ROLLED_BACK, ROLLBACK_FAILED -> true;
            case PENDING, RUNNING, WAITING_APPROVAL -> false;
        };
        Jdbc.update(c, "update runbook_step set status = ?, attempts = ?, started_at = ?, finished_at = ?, outputs = ?,"
                + " message = ? where execution_id = ? and step_id = ?", to, attempts, startedAt,
                finished ? Optional.of(at) : Optional.empty(), outputs.orElse(step.outputs()), message, id, stepId);
        Jdbc.update(c, "update runbook_execution set updated_at = ? where id = ?", at, id);
        transition(c, id, stepId, step.status().name(), to.name(), at, actor, message.orElse(""));
        return true;
    }

    static List<RunbookStepRecord> steps(Connection c, long id) throws SQLException {
        return Jdbc.query(c, "select " + STEP_COLUMNS + " from runbook_step where execution_id = ? order by position",
                RunbookExecutions::mapStep, id);
    }

    static List<RunbookTransitionRecord> transitions(Connection c, long id) throws SQLException {
        return Jdbc.query(c, "select id, execution_id, step_id, from_status, to_status, at, actor, detail"
                + " from runbook_transition where execution_id = ? order by id", r -> new RunbookTransitionRecord(
                r.longValue("id"), r.longValue("execution_id"), r.optionalString("step_id"), r.optionalString("from_status"),
                r.string("to_status"), r.instant("at"), r.string("actor"), r.string("detail")), id);
    }

    /** Records an approval; false if the step was already approved. */
    static boolean approve(Connection c, RunbookApprovalRecord approval) throws SQLException {
        if (Jdbc.queryOne(c, "select step_id from runbook_approval where execution_id = ? and step_id = ?",
                r -> r.string("step_id"), approval.executionId(), approval.stepId()).isPresent()) {
            return false;
        }
        Jdbc.update(c, "insert into runbook_approval (execution_id, step_id, role, approved_by, approved_at)"
                + " values (?, ?, ?, ?, ?)", approval.executionId(), approval.stepId(), approval.role(),
                approval.approvedBy(), approval.approvedAt());
        transition(c, approval.executionId(), approval.stepId(), null, "APPROVED", approval.approvedAt(),
                approval.approvedBy(), "approved as " + approval.role());
        return true;
    }

    static List<RunbookApprovalRecord> approvals(Connection c, long id) throws SQLException {
        return Jdbc.query(c, "select execution_id, step_id, role, approved_by, approved_at from runbook_approval"
                + " where execution_id = ? order by approved_at", r -> new RunbookApprovalRecord(r.longValue("execution_id"),
                r.string("step_id"), r.string("role"), r.string("approved_by"), r.instant("approved_at")), id);
    }

    private static void transition(Connection c, long id, String stepId, String from, String to, Instant at,
                                   String actor, String detail) throws SQLException {
        Jdbc.update(c, "insert into runbook_transition (execution_id, step_id, from_status, to_status, at, actor, detail)"
                + " values (?, ?, ?, ?, ?, ?, ?)", id, stepId, from, to, at, actor, detail);
    }

    private static RunbookExecutionRecord map(Row r) throws SQLException {
        return new RunbookExecutionRecord(r.longValue("id"), r.string("runbook"), r.string("source"),
                r.string("definition"), r.string("params"), r.enumValue("status", RunbookExecutionStatus.class),
                r.string("actor"), r.optionalString("owner"), r.instant("started_at"), r.instant("updated_at"),
                r.optionalInstant("finished_at"), r.optionalString("message"));
    }

    private static RunbookStepRecord mapStep(Row r) throws SQLException {
        return new RunbookStepRecord(r.longValue("execution_id"), r.string("step_id"), r.intValue("position"),
                r.enumValue("status", RunbookStepStatus.class), r.intValue("attempts"), r.optionalInstant("started_at"),
                r.optionalInstant("finished_at"), r.string("outputs"), r.optionalString("message"));
    }
}
