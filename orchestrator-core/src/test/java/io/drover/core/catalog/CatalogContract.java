package io.drover.core.catalog;

import static io.drover.core.catalog.TestRecords.T0;
import static io.drover.core.catalog.TestRecords.copy;
import static io.drover.core.catalog.TestRecords.id;
import static io.drover.core.catalog.TestRecords.point;
import static io.drover.core.catalog.TestRecords.run;
import static io.drover.core.catalog.VerificationRecord.Outcome.ERROR;
import static io.drover.core.catalog.VerificationRecord.Outcome.FAILED;
import static io.drover.core.catalog.VerificationRecord.Outcome.PASSED;
import static io.drover.core.model.VerificationLevel.DEEP;
import static io.drover.core.model.VerificationLevel.QUICK;
import static io.drover.core.model.VerificationLevel.RESTORE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.model.BackupKind;
import io.drover.core.model.VerificationState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour every catalog database (H2, PostgreSQL) must show. */
abstract class CatalogContract {
    protected Catalog catalog;

    /** Settings of an empty (or emptied by {@link #reset()}) catalog database. */
    protected abstract CatalogSettings settings();

    /** Empties the database before each test if it is shared between tests. */
    protected void reset() throws Exception {
    }

    @BeforeEach
    void openCatalog() throws Exception {
        catalog = Catalog.open(settings());
        reset();
    }

    @AfterEach
    void closeCatalog() {
        catalog.close();
    }

    @Test
    void oldFinishedRunsOfTheGivenKindsAreForgottenAndNothingElse() {
        long oldRpo = catalog.startScheduledRun("rpo", "rpo", T0, "f1", "n1", false, T0);
        catalog.finishScheduledRun(oldRpo, RunStatus.SUCCEEDED, Optional.empty(), T0.plusSeconds(1));
        long oldBackup = catalog.startScheduledRun("backup:a", "backup", T0, "f2", "n1", false, T0);
        catalog.finishScheduledRun(oldBackup, RunStatus.SUCCEEDED, Optional.empty(), T0.plusSeconds(1));
        long running = catalog.startScheduledRun("replication", "replication", T0, "f3", "n1", false, T0);
        long recent = catalog.startScheduledRun("rpo", "rpo", T0.plusSeconds(100), "f4", "n1", false, T0.plusSeconds(100));
        catalog.finishScheduledRun(recent, RunStatus.SUCCEEDED, Optional.empty(), T0.plusSeconds(101));

        assertThat(catalog.forgetScheduledRuns(List.of("rpo", "replication"), T0.plusSeconds(50))).isEqualTo(1);

        assertThat(catalog.scheduledRuns(Optional.empty(), Optional.empty(), 10)).extracting(ScheduledRunRecord::id)
                .containsExactlyInAnyOrder(oldBackup, running, recent);
        assertThat(catalog.forgetScheduledRuns(List.of(), T0.plusSeconds(500))).isZero();
    }

    @Test
    void recoveryPointRoundTripsEveryField() {
        BackupId parent = id(0);
        BackupId id = id(1);
        RecoveryPointRecord p = new RecoveryPointRecord(id, "repo-7", "db", Optional.of("shop"), "orders",
                "postgresql", BackupKind.INCREMENTAL, Optional.of(parent), T0, T0.plusMillis(1500),
                T0.plusSeconds(90), 1L << 40, 5_000_000_000L, 3_000_000_000L, 7, 2, VerificationState.UNVERIFIED);
        catalog.upsertRecoveryPoint(p);
        assertThat(catalog.findRecoveryPoint(id)).contains(p);

        RecoveryPointRecord noOptionals = new RecoveryPointRecord(parent, "repo-7", "db", Optional.empty(), "orders",
                "postgresql", BackupKind.FULL, Optional.empty(), T0, T0, T0, 0, 0, 0, 0, 0,
                VerificationState.VERIFIED_DEEP);
        catalog.upsertRecoveryPoint(noOptionals);
        assertThat(catalog.findRecoveryPoint(parent)).contains(noOptionals);
        assertThat(catalog.findRecoveryPoint(id(2))).isEmpty();
    }

    @Test
    void timeStampsKeepMicrosecondsAndDropNanoseconds() {
        Instant nanos = Instant.parse("2026-11-27T23:59:59.999999999Z");
        BackupId id = id(1);
        catalog.upsertRecoveryPoint(point(id, "db", nanos));
        assertThat(catalog.findRecoveryPoint(id).orElseThrow().capturedAt())
                .isEqualTo(Instant.parse("2026-11-27T23:59:59.999999Z"));
    }

    @Test
    void upsertRecoveryPointIsIdempotentAndUpdates() {
        BackupId id = id(1);
        catalog.upsertRecoveryPoint(point(id, "db"));
        catalog.upsertRecoveryPoint(point(id, "db"));
        RecoveryPointRecord changed = new RecoveryPointRecord(id, "repo-2", "db", Optional.empty(), "files",
                "filesystem", BackupKind.FULL, Optional.empty(), T0, T0, T0, 1, 2, 3, 4, 5,
                VerificationState.UNVERIFIED);
        catalog.upsertRecoveryPoint(changed);
        assertThat(catalog.listRecoveryPoints(RecoveryPointQuery.newest(10))).containsExactly(changed);
    }

    @Test
    void reimportingAPointDoesNotLoseItsVerificationState() {
        BackupId id = id(1);
        catalog.upsertRecoveryPoint(point(id, "db").withVerificationState(VerificationState.VERIFIED_DEEP));
        catalog.upsertRecoveryPoint(point(id, "db"));
        assertThat(state(id)).isEqualTo(VerificationState.VERIFIED_DEEP);
        catalog.upsertRecoveryPoint(point(id, "db").withVerificationState(VerificationState.VERIFIED_QUICK));
        assertThat(state(id)).isEqualTo(VerificationState.VERIFIED_DEEP);
        catalog.upsertRecoveryPoint(point(id, "db").withVerificationState(VerificationState.CORRUPT));
        catalog.upsertRecoveryPoint(point(id, "db"));
        assertThat(state(id)).isEqualTo(VerificationState.CORRUPT);
    }

    @Test
    void copiesRoundTripAndNeedTheirRecoveryPoint() {
        BackupId id = id(1);
        catalog.upsertRecoveryPoint(point(id, "db"));
        CopyRecord local = copy(id, "local");
        CopyRecord offsite = new CopyRecord(id, "offsite", "repo-9", "m/key", T0.plusNanos(7000),
                VerificationState.VERIFIED_QUICK, Optional.of(T0.plusSeconds(3)), Optional.of(QUICK));
        catalog.upsertCopy(offsite);
        catalog.upsertCopy(local);
        catalog.upsertCopy(local);
        assertThat(catalog.copies(id)).containsExactly(local, offsite);
        assertThat(state(id)).isEqualTo(VerificationState.VERIFIED_QUICK);

        assertThatThrownBy(() -> catalog.upsertCopy(copy(id(2), "local")))
                .isInstanceOfSatisfying(DroverException.class,
                        e -> assertThat(e.code()).isEqualTo(DroverErrors.BACKUP_NOT_FOUND));
    }

    @Test
    void listFiltersByJobServiceAndTargetNewestFirst() {
        BackupId a = id(1);
        BackupId b = id(2);
        BackupId c = id(3);
        catalog.upsertRecoveryPoint(point(a, "db", T0));
        catalog.upsertRecoveryPoint(point(b, "db", T0.plusSeconds(60)));
        RecoveryPointRecord other = new RecoveryPointRecord(c, "repo-1", "files", Optional.empty(), "www",
                "filesystem", BackupKind.FULL, Optional.empty(), T0, T0.plusSeconds(120), T0, 0, 0, 0, 0, 0,
                VerificationState.UNVERIFIED);
        catalog.upsertRecoveryPoint(other);
        catalog.upsertCopy(copy(a, "local"));
        catalog.upsertCopy(copy(b, "offsite"));
        catalog.upsertCopy(copy(c, "local"));

        assertThat(ids(RecoveryPointQuery.newest(10))).containsExactly(c, b, a);
        assertThat(ids(RecoveryPointQuery.newest(2))).containsExactly(c, b);
        assertThat(ids(RecoveryPointQuery.newest(10).withJob("db"))).containsExactly(b, a);
        assertThat(ids(RecoveryPointQuery.newest(10).withService("shop"))).containsExactly(b, a);
        assertThat(ids(RecoveryPointQuery.newest(10).withTarget("local"))).containsExactly(c, a);
        assertThat(ids(RecoveryPointQuery.newest(10).withJob("db").withTarget("local"))).containsExactly(a);
        assertThat(ids(RecoveryPointQuery.newest(10).withJob("nope"))).isEmpty();
    }

    @Test
    void latestRecoveryPointSkipsOtherTargetsAndCorruptCopies() {
        BackupId old = id(1);
        BackupId newer = id(2);
        catalog.upsertRecoveryPoint(point(old, "db", T0));
        catalog.upsertRecoveryPoint(point(newer, "db", T0.plusSeconds(60)));
        catalog.upsertCopy(copy(old, "local"));
        catalog.upsertCopy(copy(newer, "local"));
        catalog.upsertCopy(copy(newer, "offsite"));

        assertThat(catalog.latestRecoveryPoint("db", "local")).contains(newer);
        assertThat(catalog.latestRecoveryPoint("db", "elsewhere")).isEmpty();
        assertThat(catalog.latestRecoveryPoint("files", "local")).isEmpty();

        catalog.recordVerification(run(newer, "local", QUICK, FAILED, T0.plusSeconds(600)));
        assertThat(catalog.latestRecoveryPoint("db", "local")).contains(old);
        assertThat(catalog.latestRecoveryPoint("db", "offsite")).contains(newer);
    }

    @Test
    void passedVerificationsRaiseTheStateAndNeverLowerIt() {
        BackupId id = id(1);
        catalog.upsertRecoveryPoint(point(id, "db"));
        catalog.upsertCopy(copy(id, "local"));
        Instant t1 = T0.plusSeconds(100);
        Instant t2 = T0.plusSeconds(200);

        catalog.recordVerification(run(id, "local", DEEP, PASSED, t1));
        assertThat(copyOn(id, "local").verificationState()).isEqualTo(VerificationState.VERIFIED_DEEP);
        assertThat(state(id)).isEqualTo(VerificationState.VERIFIED_DEEP);

        catalog.recordVerification(run(id, "local", QUICK, PASSED, t2));
        CopyRecord copy = copyOn(id, "local");
        assertThat(copy.verificationState()).isEqualTo(VerificationState.VERIFIED_DEEP);
        assertThat(copy.verifiedLevel()).contains(DEEP);
        assertThat(copy.verifiedAt()).contains(t1);

        catalog.recordVerification(run(id, "local", RESTORE, ERROR, t2));
        assertThat(state(id)).isEqualTo(VerificationState.VERIFIED_DEEP);
        catalog.recordVerification(run(id, "local", RESTORE, PASSED, t2));
        assertThat(state(id)).isEqualTo(VerificationState.RESTORE_TESTED);
    }

    @Test
    void pointIsCorruptOnlyWhenEveryCopyIs() {
        BackupId id = id(1);
        catalog.upsertRecoveryPoint(point(id, "db"));
        catalog.upsertCopy(copy(id, "local"));
        catalog.upsertCopy(copy(id, "offsite"));
        catalog.recordVerification(run(id, "offsite", QUICK, PASSED, T0.plusSeconds(100)));
        catalog.recordVerification(run(id, "local", DEEP, FAILED, T0.plusSeconds(200)));

        CopyRecord local = copyOn(id, "local");
        assertThat(local.verificationState()).isEqualTo(VerificationState.CORRUPT);
        assertThat(local.verifiedLevel()).contains(DEEP);
        assertThat(state(id)).isEqualTo(VerificationState.VERIFIED_QUICK);

        catalog.recordVerification(run(id, "offsite", QUICK, FAILED, T0.plusSeconds(300)));
        assertThat(state(id)).isEqualTo(VerificationState.CORRUPT);

        // A repaired copy that passes again is no longer corrupt.
        catalog.recordVerification(run(id, "local", QUICK, PASSED, T0.plusSeconds(400)));
        assertThat(state(id)).isEqualTo(VerificationState.VERIFIED_QUICK);
    }

    @Test
    void verificationsRoundTripWithFindings() {
        BackupId id = id(1);
        catalog.upsertRecoveryPoint(point(id, "db"));
        catalog.upsertCopy(copy(id, "local"));
        VerificationRecord failed = VerificationRecord.of(id, "local", DEEP, T0, T0.plusSeconds(5), FAILED,
                List.of("parts/0001: hash mismatch", "parts/0002: missing\nobject"), 12, 1L << 33);
        VerificationRecord passed = VerificationRecord.of(id, "local", QUICK, T0.plusSeconds(6), T0.plusSeconds(7),
                PASSED, List.of(), 12, 0);
        long first = catalog.recordVerification(failed);
        long second = catalog.recordVerification(passed);

        assertThat(second).isGreaterThan(first);
        assertThat(catalog.verifications(id)).containsExactly(failed.withId(first), passed.withId(second));
        assertThat(catalog.verifications(id).get(0).findings())
                .containsExactly("parts/0001: hash mismatch", "parts/0002: missing object");
        assertThat(catalog.verifications(id(2))).isEmpty();
    }

    @Test
    void rebuildKeepsVerificationResultsAndDropsVanishedPoints() {
        BackupId kept = id(1);
        BackupId gone = id(2);
        catalog.upsertRecoveryPoint(point(kept, "db"));
        catalog.upsertRecoveryPoint(point(gone, "db"));
        catalog.upsertCopy(copy(kept, "local"));
        catalog.upsertCopy(copy(gone, "local"));
        catalog.recordVerification(run(kept, "local", DEEP, PASSED, T0.plusSeconds(100)));
        CopyRecord before = copyOn(kept, "local");

        assertThat(catalog.deleteCopiesOfTarget("local")).isEqualTo(2);
        assertThat(catalog.copies(kept)).isEmpty();
        // Re-import from the repository: the manifests know nothing about verification.
        catalog.upsertRecoveryPoint(point(kept, "db"));
        catalog.upsertCopy(copy(kept, "local"));
        assertThat(catalog.deleteRecoveryPointsWithoutCopies()).isEqualTo(1);

        assertThat(catalog.copies(kept)).containsExactly(before);
        assertThat(state(kept)).isEqualTo(VerificationState.VERIFIED_DEEP);
        assertThat(catalog.findRecoveryPoint(gone)).isEmpty();
        assertThat(catalog.verifications(kept)).hasSize(1);
    }

    @Test
    void runsAreStartedFinishedAndListedNewestFirst() {
        long first = catalog.startRun("db", T0, "scheduler");
        long second = catalog.startRun("db", T0.plusSeconds(60), "alice");
        long other = catalog.startRun("files", T0.plusSeconds(30), "scheduler");
        BackupId id = id(1);
        catalog.finishRun(first, RunStatus.SUCCEEDED, Optional.of(id), Optional.empty(), T0.plusSeconds(10));
        catalog.finishRun(other, RunStatus.FAILED, Optional.empty(), Optional.of("source unreachable"),
                T0.plusSeconds(40));

        assertThat(catalog.runs(Optional.of("db"), 10)).containsExactly(
                new RunRecord(second, "db", T0.plusSeconds(60), Optional.empty(), RunStatus.RUNNING,
                        Optional.empty(), Optional.empty(), "alice"),
                new RunRecord(first, "db", T0, Optional.of(T0.plusSeconds(10)), RunStatus.SUCCEEDED,
                        Optional.of(id), Optional.empty(), "scheduler"));
        assertThat(catalog.runs(Optional.empty(), 10)).extracting(RunRecord::id).containsExactly(second, other, first);
        assertThat(catalog.runs(Optional.empty(), 1)).extracting(RunRecord::id).containsExactly(second);
        assertThat(catalog.runs(Optional.of("files"), 10).get(0).message()).contains("source unreachable");

        assertThatThrownBy(() -> catalog.finishRun(first + 1000, RunStatus.FAILED, Optional.empty(),
                Optional.empty(), T0)).isInstanceOf(DroverException.class);
    }

    @Test
    void auditEventsRoundTripNewestFirst() {
        catalog.audit("alice", "restore", "db/" + id(1), "to /srv/restore", T0);
        catalog.audit("bob", "catalog.rebuild", "local", "", T0.plus(Duration.ofMinutes(1)));
        List<AuditEvent> events = catalog.auditEvents(10);
        assertThat(events).extracting(AuditEvent::actor).containsExactly("bob", "alice");
        AuditEvent first = events.get(1);
        assertThat(first.at()).isEqualTo(T0);
        assertThat(first.action()).isEqualTo("restore");
        assertThat(first.details()).isEqualTo("to /srv/restore");
        assertThat(events.get(0).details()).isEmpty();
        assertThat(catalog.auditEvents(1)).hasSize(1);
    }

    @Test
    void reopeningAnExistingDatabaseKeepsDataAndMigratesAsANoOp() {
        BackupId id = id(1);
        catalog.upsertRecoveryPoint(point(id, "db"));
        catalog.close();
        catalog = Catalog.open(settings());
        assertThat(catalog.findRecoveryPoint(id)).isPresent();
        catalog.close();
        catalog = Catalog.open(settings());
        assertThat(catalog.listRecoveryPoints(RecoveryPointQuery.newest(5))).hasSize(1);
    }

    private VerificationState state(BackupId id) {
        return catalog.findRecoveryPoint(id).orElseThrow().verificationState();
    }

    private CopyRecord copyOn(BackupId id, String target) {
        return catalog.copies(id).stream().filter(c -> c.target().equals(target)).findFirst().orElseThrow();
    }

    private List<BackupId> ids(RecoveryPointQuery query) {
        return catalog.listRecoveryPoints(query).stream().map(RecoveryPointRecord::id).toList();
    }

    // ---- RPO tracking -------------------------------------------------------------------------

    private static final BackupId NEWEST = id(1);

    private static RpoStateRecord evaluation(String service, io.drover.core.model.RpoState state, Instant at) {
        return new RpoStateRecord(service, state, at, at, Optional.of(Duration.ofMinutes(5)),
                Optional.of(Duration.ofHours(1)), Optional.of(NEWEST));
    }

    @Test
    void rpoEvaluationRecordsATransitionOnlyWhenTheStateChanges() {
        var ok = io.drover.core.model.RpoState.OK;
        var atRisk = io.drover.core.model.RpoState.AT_RISK;
        Optional<RpoTransition> first = catalog.recordRpoEvaluation(evaluation("orders", ok, T0));
        assertThat(first).isPresent();
        assertThat(first.get().from()).isEmpty();
        assertThat(catalog.recordRpoEvaluation(evaluation("orders", ok, T0.plusSeconds(60)))).isEmpty();
        Optional<RpoTransition> change = catalog.recordRpoEvaluation(evaluation("orders", atRisk, T0.plusSeconds(120)));
        assertThat(change).isPresent();
        assertThat(change.get().from()).contains(ok);
        assertThat(change.get().to()).isEqualTo(atRisk);
        assertThat(change.get().achieved()).contains(Duration.ofMinutes(5));

        RpoStateRecord stored = catalog.rpoState("orders").orElseThrow();
        assertThat(stored.state()).isEqualTo(atRisk);
        assertThat(stored.since()).isEqualTo(T0.plusSeconds(120));
        assertThat(stored.recoveryPoint()).contains(NEWEST);
        assertThat(catalog.rpoHistory(Optional.of("orders"), 10)).extracting(RpoTransition::to).containsExactly(atRisk, ok);
        assertThat(catalog.rpoHistory(Optional.empty(), 10)).hasSize(2);

        catalog.recordRpoEvaluation(evaluation("billing", ok, T0));
        assertThat(catalog.forgetRpoStatesExcept(List.of("billing"))).isEqualTo(1);
        assertThat(catalog.rpoStates()).extracting(RpoStateRecord::service).containsExactly("billing");
        assertThat(catalog.rpoHistory(Optional.of("orders"), 10)).hasSize(2); // history survives
    }

    @Test
    void ofConcurrentEvaluatorsExactlyOneRecordsEachTransition() throws Exception {
        var states = List.of(io.drover.core.model.RpoState.OK, io.drover.core.model.RpoState.AT_RISK,
                io.drover.core.model.RpoState.BREACHED, io.drover.core.model.RpoState.OK);
        int evaluators = 4;
        for (int round = 0; round < states.size(); round++) {
            var state = states.get(round);
            Instant at = T0.plusSeconds(60L * round);
            var start = new java.util.concurrent.CountDownLatch(1);
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(evaluators)) {
                List<java.util.concurrent.Future<Optional<RpoTransition>>> results = new java.util.ArrayList<>();
                for (int i = 0; i < evaluators; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return catalog.recordRpoEvaluation(evaluation("orders", state, at));
                    }));
                }
                start.countDown();
                int recorded = 0;
                for (var result : results) {
                    recorded += result.get().isPresent() ? 1 : 0;
                }
                assertThat(recorded).as("transitions recorded in round %d", round).isEqualTo(1);
            }
        }
        assertThat(catalog.rpoHistory(Optional.of("orders"), 100)).hasSize(states.size());
    }

    @Test
    void newestUsableRecoveryPointHonoursTheRequiredVerification() {
        BackupId verified = id(1);
        BackupId newer = id(2);
        BackupId otherJob = id(3);
        catalog.upsertRecoveryPoint(point(verified, "db", T0));
        catalog.upsertCopy(copy(verified, "local"));
        catalog.recordVerification(run(verified, "local", DEEP, PASSED, T0.plusSeconds(100)));
        catalog.upsertRecoveryPoint(point(newer, "db", T0.plusSeconds(3600)));
        catalog.upsertCopy(copy(newer, "local"));
        catalog.upsertRecoveryPoint(point(otherJob, "other", T0.plusSeconds(7200)));

        assertThat(catalog.newestUsableRecoveryPoint(List.of("db"), VerificationState.UNVERIFIED))
                .map(RecoveryPointRecord::id).contains(newer);
        assertThat(catalog.newestUsableRecoveryPoint(List.of("db"), VerificationState.VERIFIED_QUICK))
                .map(RecoveryPointRecord::id).contains(verified);
        assertThat(catalog.newestUsableRecoveryPoint(List.of("db"), VerificationState.RESTORE_TESTED)).isEmpty();
        assertThat(catalog.newestUsableRecoveryPoint(List.of("db", "other"), VerificationState.UNVERIFIED))
                .map(RecoveryPointRecord::id).contains(otherJob);
        assertThat(catalog.newestUsableRecoveryPoint(List.of(), VerificationState.UNVERIFIED)).isEmpty();
        assertThat(catalog.latestVerification(List.of("db"), Optional.empty())).map(VerificationRecord::level).contains(DEEP);
        assertThat(catalog.latestVerification(List.of("db"), Optional.of(RESTORE))).isEmpty();
        long runId = catalog.startRun("db", T0.plusSeconds(3500), "tester");
        assertThat(catalog.latestRun(List.of("db", "other"))).map(RunRecord::id).contains(runId);
    }

    // ---- alerts --------------------------------------------------------------------------------

    @Test
    void alertClaimsDedupeByKeyAndRateLimitPerChannel() {
        Duration dedupe = Duration.ofHours(1);
        Duration window = Duration.ofMinutes(10);
        AlertClaim first = catalog.claimAlert("webhook", "job-failed:db:1", T0, dedupe, 2, window);
        assertThat(first.send()).isTrue();
        catalog.finishAlert(first.id(), AlertOutcome.SENT, Optional.empty());
        assertThat(catalog.claimAlert("webhook", "job-failed:db:1", T0.plusSeconds(60), dedupe, 2, window).outcome())
                .isEqualTo(AlertOutcome.DEDUPLICATED);
        // Another channel has its own memory.
        assertThat(catalog.claimAlert("email", "job-failed:db:1", T0.plusSeconds(60), dedupe, 2, window).send()).isTrue();

        AlertClaim second = catalog.claimAlert("webhook", "rpo:orders:7", T0.plusSeconds(120), dedupe, 2, window);
        assertThat(second.send()).isTrue();
        catalog.finishAlert(second.id(), AlertOutcome.SENT, Optional.empty());
        assertThat(catalog.claimAlert("webhook", "rpo:orders:8", T0.plusSeconds(180), dedupe, 2, window).outcome())
                .isEqualTo(AlertOutcome.RATE_LIMITED);
        assertThat(catalog.claimAlert("webhook", "rpo:orders:9", T0.plusSeconds(190), dedupe, 2, window).outcome())
                .isEqualTo(AlertOutcome.RATE_LIMITED);

        // Once the window has passed, the next alert goes out and mentions the two held back.
        AlertClaim later = catalog.claimAlert("webhook", "rpo:orders:10", T0.plusSeconds(700), dedupe, 2, window);
        assertThat(later.send()).isTrue();
        assertThat(later.suppressed()).isEqualTo(2);
        catalog.finishAlert(later.id(), AlertOutcome.FAILED, Optional.of("HTTP 500"));
        // A failed delivery does not count as sent: the same alert may be tried again.
        assertThat(catalog.claimAlert("webhook", "rpo:orders:10", T0.plusSeconds(710), dedupe, 2, window).send()).isTrue();
        // After the dedupe window the first key may go out again.
        assertThat(catalog.claimAlert("webhook", "job-failed:db:1", T0.plusSeconds(3700), dedupe, 5, window).send()).isTrue();
        assertThat(catalog.alertDeliveries(100)).hasSize(9);
        assertThat(catalog.alertDeliveries(100).getFirst().outcome()).isEqualTo(AlertOutcome.PENDING);
    }
}
