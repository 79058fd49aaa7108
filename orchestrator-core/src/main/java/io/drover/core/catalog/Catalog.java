package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The catalog: an index of recovery points, their copies, verifications, backup runs and audit
 * events, kept in embedded H2 or PostgreSQL. Thread-safe; open once per process and close on exit.
 * Time stamps are stored to the microsecond (finer digits are truncated). Every database failure is
 * a {@code DroverException} with code {@code CATALOG_FAILED}.
 */
public final class Catalog implements AutoCloseable {
    private final CatalogDatabase database;
    private final Jdbc jdbc;

    private Catalog(CatalogDatabase database) {
        this.database = database;
        this.jdbc = database.jdbc();
    }

    /** Connects (creating the embedded database if needed) and migrates the schema to the current version. */
    public static Catalog open(CatalogSettings settings) {
        return new Catalog(CatalogDatabase.open(settings));
    }

    /**
     * Inserts or replaces a recovery point; idempotent. Its verification state is never made worse
     * by a re-import ({@code UNVERIFIED} keeps what is known), and while it has copies it is the
     * summary of the copies' states.
     */
    public void upsertRecoveryPoint(RecoveryPointRecord point) {
        Objects.requireNonNull(point, "point");
        jdbc.transaction("saving recovery point " + point.id(), c -> {
            RecoveryPoints.upsert(c, point);
            return null;
        });
    }

    /**
     * Inserts or replaces a copy of a recovery point that is already in the catalog (else
     * {@code BACKUP_NOT_FOUND}). A re-imported copy regains the state its verification history gives.
     */
    public void upsertCopy(CopyRecord copy) {
        Objects.requireNonNull(copy, "copy");
        jdbc.transaction("saving copy of " + copy.id() + " on " + copy.target(), c -> {
            Copies.upsert(c, copy);
            return null;
        });
    }

    public Optional<RecoveryPointRecord> findRecoveryPoint(BackupId id) {
        Objects.requireNonNull(id, "id");
        return jdbc.call("reading recovery point " + id, c -> RecoveryPoints.find(c, id, false));
    }

    /** Matching recovery points, newest captured first. */
    public List<RecoveryPointRecord> listRecoveryPoints(RecoveryPointQuery query) {
        Objects.requireNonNull(query, "query");
        return jdbc.call("listing recovery points", c -> RecoveryPoints.list(c, query));
    }

    /** Copies of a recovery point, by target name. */
    public List<CopyRecord> copies(BackupId id) {
        Objects.requireNonNull(id, "id");
        return jdbc.call("reading copies of " + id, c -> Copies.of(c, id));
    }

    /** The newest recovery point of {@code job} with a copy on {@code target} that is not known to be corrupt. */
    public Optional<BackupId> latestRecoveryPoint(String job, String target) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(target, "target");
        return jdbc.call("finding the latest recovery point of " + job, c -> RecoveryPoints.latest(c, job, target));
    }

    /**
     * Stores a finished verification (its {@code id} is ignored) and updates the copy's and the
     * recovery point's verification state; returns the new id. A run for a copy the catalog does
     * not know is kept and applied when the copy is imported.
     */
    public long recordVerification(VerificationRecord run) {
        Objects.requireNonNull(run, "run");
        return jdbc.transaction("recording verification of " + run.backupId(), c -> {
            long id = Verifications.insert(c, run);
            Copies.apply(c, run);
            return id;
        });
    }

    /** Every verification of a recovery point on any target, oldest first. */
    public List<VerificationRecord> verifications(BackupId id) {
        Objects.requireNonNull(id, "id");
        return jdbc.call("reading verifications of " + id, c -> Verifications.of(c, id));
    }

    /** Records that a backup run of {@code job} started; returns its id for {@link #finishRun}. */
    public long startRun(String job, Instant startedAt, String actor) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(actor, "actor");
        return jdbc.call("recording start of a run of " + job, c -> Runs.start(c, job, startedAt, actor));
    }

    public void finishRun(long runId, RunStatus status, Optional<BackupId> recoveryPoint, Optional<String> message,
                          Instant finishedAt) {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(recoveryPoint, "recoveryPoint");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(finishedAt, "finishedAt");
        jdbc.call("recording end of run " + runId, c -> {
            Runs.finish(c, runId, status, recoveryPoint, message, finishedAt);
            return null;
        });
    }

    /** The newest {@code limit} runs, of one job or of all. */
    public List<RunRecord> runs(Optional<String> job, int limit) {
        Objects.requireNonNull(job, "job");
        requirePositive(limit);
        return jdbc.call("listing runs", c -> Runs.list(c, job, limit));
    }

    public void audit(String actor, String action, String subject, String details, Instant at) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(at, "at");
        jdbc.call("writing the audit log", c -> AuditLog.append(c, actor, action, subject, details, at));
    }

    /** The newest {@code limit} audit events, newest first. */
    public List<AuditEvent> auditEvents(int limit) {
        requirePositive(limit);
        return jdbc.call("reading the audit log", c -> AuditLog.newest(c, limit));
    }

    // ---- runbook executions -----------------------------------------------------------------------

    /**
     * Journals a new execution, RUNNING and owned by {@code owner}, with every step PENDING in
     * {@code stepIds} order; returns its id.
     */
    public long createRunbookExecution(String runbook, String source, String definition, String params, String actor,
                                       String owner, List<String> stepIds, Instant at) {
        Objects.requireNonNull(runbook, "runbook");
        Objects.requireNonNull(owner, "owner");
        return jdbc.durableTransaction("journaling a new execution of runbook " + runbook, c ->
                RunbookExecutions.create(c, runbook, source, definition, params, actor, owner, List.copyOf(stepIds), at));
    }

    public Optional<RunbookExecutionRecord> runbookExecution(long id) {
        return jdbc.call("reading runbook execution " + id, c -> RunbookExecutions.find(c, id, false));
    }

    /** The newest {@code limit} executions, of one runbook or of all, newest first. */
    public List<RunbookExecutionRecord> runbookExecutions(Optional<String> runbook, int limit) {
        Objects.requireNonNull(runbook, "runbook");
        requirePositive(limit);
        return jdbc.call("listing runbook executions", c -> RunbookExecutions.list(c, runbook, limit));
    }

    /**
     * Moves an execution to {@code to} with owner {@code owner} if {@code allowed} accepts its current
     * status and owner, atomically; returns the execution as it was, or empty if refused (or unknown).
     */
    public Optional<RunbookExecutionRecord> updateRunbookExecution(
            long id, java.util.function.BiPredicate<RunbookExecutionStatus, Optional<String>> allowed,
            RunbookExecutionStatus to, Optional<String> owner, Optional<String> message, Instant at, String actor,
            String detail) {
        Objects.requireNonNull(allowed, "allowed");
        Objects.requireNonNull(to, "to");
        return jdbc.durableTransaction("updating runbook execution " + id, c ->
                RunbookExecutions.update(c, id, allowed, to, owner, message, at, actor, detail));
    }

    /**
     * Journals a step's new state, only while {@code owner} still drives the execution (it was not
     * aborted or taken over); returns whether it did. {@code outputs} (JSON) empty keeps the old ones.
     */
    public boolean journalRunbookStep(long id, String owner, String stepId, RunbookStepStatus to, int attempts,
                                      Optional<String> outputs, Optional<String> message, Instant at, String actor) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(to, "to");
        return jdbc.durableTransaction("journaling step " + stepId + " of runbook execution " + id, c ->
                RunbookExecutions.updateStep(c, id, owner, stepId, to, attempts, outputs, message, at, actor));
    }

    /** The steps of an execution in runbook order. */
    public List<RunbookStepRecord> runbookSteps(long id) {
        return jdbc.call("reading steps of runbook execution " + id, c -> RunbookExecutions.steps(c, id));
    }

    /** Every journaled transition of an execution, oldest first. */
    public List<RunbookTransitionRecord> runbookTransitions(long id) {
        return jdbc.call("reading the journal of runbook execution " + id, c -> RunbookExecutions.transitions(c, id));
    }

    /** Records an approval of a gate; false if the gate was approved already. */
    public boolean approveRunbookStep(RunbookApprovalRecord approval) {
        Objects.requireNonNull(approval, "approval");
        return jdbc.durableTransaction("approving step " + approval.stepId() + " of runbook execution " + approval.executionId(),
                c -> RunbookExecutions.approve(c, approval));
    }

    public List<RunbookApprovalRecord> runbookApprovals(long id) {
        return jdbc.call("reading approvals of runbook execution " + id, c -> RunbookExecutions.approvals(c, id));
    }

    /** Forgets every copy on {@code target} (before re-importing it); verification history is kept. */
    public int deleteCopiesOfTarget(String target) {
        Objects.requireNonNull(target, "target");
        return jdbc.transaction("forgetting copies on " + target, c -> Copies.deleteOfTarget(c, target));
    }

    /**
     * Forgets the copy of {@code id} on {@code target} (after prune removed it) and the recovery point
     * too once no copy is left; returns whether the point is gone. Verification history is kept.
     */
    public boolean deleteCopy(BackupId id, String target) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        return jdbc.transaction("forgetting the copy of " + id + " on " + target, c -> Copies.delete(c, id, target));
    }

    /** Forgets recovery points that no target holds any more; returns how many. */
    public int deleteRecoveryPointsWithoutCopies() {
        return jdbc.transaction("forgetting recovery points without copies", RecoveryPoints::deleteWithoutCopies);
    }

    // ---- RPO tracking ------------------------------------------------------------------------------

    /**
     * Stores an RPO evaluation of a service; returns the state change if this call made one. Of several
     * processes evaluating at once, exactly one gets the transition (the row is locked while deciding).
     */
    public Optional<RpoTransition> recordRpoEvaluation(RpoStateRecord evaluation) {
        Objects.requireNonNull(evaluation, "evaluation");
        return jdbc.transaction("recording the RPO state of " + evaluation.service(), c -> RpoStates.record(c, evaluation));
    }

    /** Replaces the stored measurement of each standby in {@code states}. */
    public void recordReplicaStates(List<ReplicaStateRecord> states) {
        List<ReplicaStateRecord> all = List.copyOf(states);
        jdbc.transaction("recording replica lag", c -> {
            for (ReplicaStateRecord state : all) {
                ReplicaStates.replace(c, state);
            }
            return null;
        });
    }

    /** The newest measurement of every standby of {@code databases}. */
    public List<ReplicaStateRecord> replicaStates(List<String> databases) {
        List<String> names = List.copyOf(databases);
        return jdbc.call("reading replica lag", c -> ReplicaStates.of(c, names));
    }

    public Optional<RpoStateRecord> rpoState(String service) {
        Objects.requireNonNull(service, "service");
        return jdbc.call("reading the RPO state of " + service, c -> RpoStates.find(c, service, false));
    }

    public List<RpoStateRecord> rpoStates() {
        return jdbc.call("reading RPO states", RpoStates::all);
    }

    /** State changes, newest first, of one service or of all. */
    public List<RpoTransition> rpoHistory(Optional<String> service, int limit) {
        Objects.requireNonNull(service, "service");
        requirePositive(limit);
        return jdbc.call("reading RPO history", c -> RpoStates.history(c, service, limit));
    }

    /** Drops the current state of services no longer configured (their history stays). */
    public int forgetRpoStatesExcept(List<String> services) {
        return jdbc.transaction("forgetting removed services", c -> RpoStates.retainOnly(c, List.copyOf(services)));
    }

    /** The newest committed recovery point of {@code jobs} whose verification state satisfies {@code required}. */
    public Optional<RecoveryPointRecord> newestUsableRecoveryPoint(List<String> jobs,
                                                                   io.drover.core.model.VerificationState required) {
        Objects.requireNonNull(required, "required");
        return jdbc.call("finding the newest usable recovery point", c -> Evidence.newestUsable(c, List.copyOf(jobs), required));
    }

    /** The newest run of any of {@code jobs}. */
    public Optional<RunRecord> latestRun(List<String> jobs) {
        return jdbc.call("finding the latest run", c -> Evidence.latestRun(c, List.copyOf(jobs)));
    }

    /** The newest verification of a recovery point of {@code jobs}, of {@code level} or of any level. */
    public Optional<VerificationRecord> latestVerification(List<String> jobs,
                                                           Optional<io.drover.core.model.VerificationLevel> level) {
        Objects.requireNonNull(level, "level");
        return jdbc.call("finding the latest verification", c -> Evidence.latestVerification(c, List.copyOf(jobs), level));
    }

    // ---- alerts ------------------------------------------------------------------------------------

    /**
     * Decides whether an alert may go out on {@code channel} now (dedupe by {@code key}, rate limit per
     * channel) and records the decision; a PENDING claim must be finished with {@link #finishAlert}.
     */
    public AlertClaim claimAlert(String channel, String key, Instant now, java.time.Duration dedupeWindow, int rateLimit,
                                 java.time.Duration rateWindow) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(key, "key");
        return jdbc.transaction("recording an alert", c -> AlertDeliveries.claim(c, channel, key, now, dedupeWindow,
                rateLimit, rateWindow));
    }

    public void finishAlert(long id, AlertOutcome outcome, Optional<String> detail) {
        Objects.requireNonNull(outcome, "outcome");
        jdbc.call("recording an alert's outcome", c -> {
            AlertDeliveries.finish(c, id, outcome, detail);
            return null;
        });
    }

    /** The newest {@code limit} alert deliveries, newest first. */
    public List<AlertDeliveryRecord> alertDeliveries(int limit) {
        requirePositive(limit);
        return jdbc.call("reading the alert log", c -> AlertDeliveries.newest(c, limit));
    }

    // ---- scheduler ---------------------------------------------------------------------------------

    /** Records the start of a scheduled execution (earlier RUNNING executions of the same fire become INTERRUPTED). */
    public long startScheduledRun(String jobKey, String kind, Instant scheduledAt, String fireId, String node,
                                  boolean recovering, Instant startedAt) {
        return jdbc.durableTransaction("recording start of " + jobKey, c -> ScheduledRuns.start(c, jobKey, kind, scheduledAt,
                fireId, node, recovering, startedAt));
    }

    public void finishScheduledRun(long id, RunStatus status, Optional<String> message, Instant at) {
        Objects.requireNonNull(status, "status");
        jdbc.durableTransaction("recording end of scheduled run " + id, c -> {
            ScheduledRuns.finish(c, id, status, message, at);
            return null;
        });
    }

    /** Marks a node's unfinished scheduled runs INTERRUPTED; returns them as they were. */
    public List<ScheduledRunRecord> interruptScheduledRuns(String node, String reason, Instant at) {
        return jdbc.durableTransaction("closing interrupted runs of " + node, c -> ScheduledRuns.interruptRunsOf(c, node, reason, at));
    }

    /** Scheduled executions, newest first: of one job key or all, started at or after {@code since}. */
    public List<ScheduledRunRecord> scheduledRuns(Optional<String> jobKey, Optional<Instant> since, int limit) {
        requirePositive(limit);
        return jdbc.call("listing scheduled runs", c -> ScheduledRuns.list(c, jobKey, since, limit));
    }

    /**
     * Forgets finished scheduled runs of {@code kinds} (e.g. the every-few-seconds {@code rpo} and
     * {@code replication} runs) that ended before {@code before}; returns how many. The runs of
     * backups, verifications and prunes are kept: they are the schedule's evidence.
     */
    public int forgetScheduledRuns(List<String> kinds, Instant before) {
        List<String> all = List.copyOf(kinds);
        if (all.isEmpty()) {
            return 0;
        }
        return jdbc.transaction("forgetting old scheduled runs", c -> Jdbc.update(c, "delete from scheduled_run where"
                + " job_kind in (" + String.join(", ", java.util.Collections.nCopies(all.size(), "?")) + ")"
                + " and finished_at is not null and finished_at < ?", java.util.stream.Stream.concat(all.stream(),
                java.util.stream.Stream.of(before)).toArray()));
    }

    /** When each scheduled job key last succeeded, on any node. */
    public java.util.Map<String, Instant> lastScheduledSuccess() {
        return jdbc.call("reading last successful runs", ScheduledRuns::lastSuccess);
    }

    public void schedulerHeartbeat(SchedulerNodeRecord node) {
        jdbc.transaction("recording the heartbeat of " + node.node(), c -> {
            ScheduledRuns.heartbeat(c, node);
            return null;
        });
    }

    public List<SchedulerNodeRecord> schedulerNodes() {
        return jdbc.call("listing scheduler nodes", ScheduledRuns::nodes);
    }

    /** The database server's current time (every node compares its clock with it). */
    public Instant databaseNow() {
        return jdbc.call("reading the database clock", ScheduledRuns::databaseNow);
    }

    /**
     * A second connection pool on the same database, for Quartz's JDBC JobStore (which holds
     * connections while it fires triggers and must not starve the catalog). The caller closes it.
     */
    public javax.sql.DataSource openSchedulerDataSource(int maxConnections) {
        return database.openExtraPool("drover-scheduler", maxConnections);
    }

    /** Whether this catalog is PostgreSQL (clustered scheduling needs it) rather than embedded H2. */
    public boolean isPostgres() {
        return database.redactedUrl().startsWith("jdbc:postgresql:");
    }

    /** The database URL without passwords. */
    public String redactedUrl() {
        return database.redactedUrl();
    }

    @Override
    public void close() {
        database.close();
    }

    private static void requirePositive(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
    }
}
