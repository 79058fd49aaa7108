package io.drover.core.rpo;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.catalog.CopyRecord;
import io.drover.core.catalog.RecoveryPointRecord;
import io.drover.core.catalog.RpoTransition;
import io.drover.core.catalog.VerificationRecord;
import io.drover.core.config.AlertsConfig;
import io.drover.core.config.DroverConfig;
import io.drover.core.model.BackupId;
import io.drover.core.model.BackupKind;
import io.drover.core.model.RpoState;
import io.drover.core.model.VerificationLevel;
import io.drover.core.model.VerificationState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RPO evaluation on a real (embedded) catalog, with time moved by hand. */
class RpoEvaluatorTest {
    private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");

    @TempDir
    Path stateDir;

    private Catalog catalog;
    private final MutableClock clock = new MutableClock(T0);

    @BeforeEach
    void open() {
        catalog = Catalog.open(CatalogSettings.embedded(stateDir));
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private DroverConfig config() {
        return TestConfigs.config(
                Map.of("orders-db", TestConfigs.job(Optional.of("0 0 * * * ?"), Optional.of(VerificationLevel.QUICK)),
                        "orders-files", TestConfigs.job(Optional.of("0 30 2 * * ?"), Optional.empty())),
                Map.of("orders", TestConfigs.service(Optional.of(Duration.ofHours(1)), Optional.of(VerificationLevel.QUICK),
                                "orders-db", "orders-files"),
                        "wiki", TestConfigs.service(Optional.empty(), Optional.empty(), "orders-files"),
                        "unprotected", TestConfigs.service(Optional.of(Duration.ofHours(4)), Optional.empty())),
                0.75, AlertsConfig.none());
    }

    private BackupId backup(String job, Instant capturedAt, Optional<VerificationLevel> verified) {
        BackupId id = BackupId.generate(capturedAt);
        catalog.upsertRecoveryPoint(new RecoveryPointRecord(id, "repo", job, Optional.empty(), "src", "files",
                BackupKind.FULL, Optional.empty(), capturedAt.minusSeconds(1), capturedAt, capturedAt.plusSeconds(30),
                1, 1, 1, 1, 0, VerificationState.UNVERIFIED));
        catalog.upsertCopy(CopyRecord.unverified(id, "local", "repo", "backups/" + id + "/manifest.json",
                capturedAt.plusSeconds(30)));
        verified.ifPresent(level -> catalog.recordVerification(VerificationRecord.of(id, "local", level,
                capturedAt.plusSeconds(31), capturedAt.plusSeconds(32), VerificationRecord.Outcome.PASSED, List.of(), 1, 1)));
        return id;
    }

    @Test
    void achievedRpoCountsOnlyPointsAtTheRequiredLevel() {
        BackupId verified = backup("orders-db", T0.minus(Duration.ofMinutes(50)), Optional.of(VerificationLevel.QUICK));
        backup("orders-files", T0.minus(Duration.ofMinutes(5)), Optional.empty());
        RpoEvaluator evaluator = new RpoEvaluator(config(), catalog, clock);

        ServiceStatus orders = evaluator.evaluate("orders");
        assertThat(orders.newestUsable().map(RecoveryPointRecord::id)).contains(verified);
        assertThat(orders.achieved()).contains(Duration.ofMinutes(50));
        assertThat(orders.state()).isEqualTo(RpoState.AT_RISK);
        assertThat(orders.nextStateChange()).contains(T0.plus(Duration.ofMinutes(10)).plusNanos(1));
        assertThat(orders.nextRun()).contains(T0.plus(Duration.ofHours(1)));
        assertThat(orders.lastVerification().map(VerificationRecord::level)).contains(VerificationLevel.QUICK);
        assertThat(orders.lastRestoreTest()).isEmpty();

        ServiceStatus wiki = evaluator.evaluate("wiki");
        assertThat(wiki.state()).isEqualTo(RpoState.UNTRACKED);
        assertThat(wiki.achieved()).contains(Duration.ofMinutes(5));

        ServiceStatus unprotected = evaluator.evaluate("unprotected");
        assertThat(unprotected.state()).isEqualTo(RpoState.BREACHED);
        assertThat(unprotected.achieved()).isEmpty();
        assertThat(unprotected.nextRun()).isEmpty();
    }

    @Test
    void transitionsAreRecordedOnceAtTheMomentsTheThresholdsArePassed() {
        Instant captured = T0.minus(Duration.ofMinutes(10));
        BackupId point = backup("orders-db", captured, Optional.of(VerificationLevel.DEEP));
        RpoEvaluator evaluator = new RpoEvaluator(config(), catalog, clock);

        List<RpoTransition> first = evaluator.evaluateAndRecord().transitions();
        assertThat(first).extracting(RpoTransition::service, RpoTransition::to).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("orders", RpoState.OK),
                org.assertj.core.groups.Tuple.tuple("unprotected", RpoState.BREACHED),
                org.assertj.core.groups.Tuple.tuple("wiki", RpoState.UNTRACKED));

        clock.advance(Duration.ofMinutes(20)); // 30 minutes old: still OK
        assertThat(evaluator.evaluateAndRecord().transitions()).isEmpty();

        clock.advance(Duration.ofMinutes(20)); // 50 minutes old: AT_RISK since it passed 45 minutes
        List<RpoTransition> atRisk = evaluator.evaluateAndRecord().transitions();
        assertThat(atRisk).singleElement().satisfies(t -> {
            assertThat(t.from()).contains(RpoState.OK);
            assertThat(t.to()).isEqualTo(RpoState.AT_RISK);
            assertThat(t.at()).isEqualTo(captured.plus(Duration.ofMinutes(45)));
            assertThat(t.recoveryPoint()).contains(point);
        });
        assertThat(evaluator.evaluateAndRecord().transitions()).isEmpty();

        clock.advance(Duration.ofHours(2)); // breached an hour after capture
        assertThat(evaluator.evaluateAndRecord().transitions()).singleElement().satisfies(t -> {
            assertThat(t.to()).isEqualTo(RpoState.BREACHED);
            assertThat(t.at()).isEqualTo(captured.plus(Duration.ofHours(1)));
            assertThat(t.achieved()).contains(Duration.ofMinutes(170));
        });

        // A fresh, verified backup: recovery is a transition too, dated now.
        backup("orders-db", clock.instant().minusSeconds(60), Optional.of(VerificationLevel.QUICK));
        assertThat(evaluator.evaluateAndRecordAfter("orders-db").transitions()).singleElement().satisfies(t -> {
            assertThat(t.from()).contains(RpoState.BREACHED);
            assertThat(t.to()).isEqualTo(RpoState.OK);
            assertThat(t.at()).isEqualTo(clock.instant());
        });
        assertThat(catalog.rpoHistory(Optional.of("orders"), 10)).extracting(RpoTransition::to)
                .containsExactly(RpoState.OK, RpoState.BREACHED, RpoState.AT_RISK, RpoState.OK);
    }

    @Test
    void anUnverifiedNewerPointDoesNotResetTheClock() {
        backup("orders-db", T0.minus(Duration.ofMinutes(70)), Optional.of(VerificationLevel.QUICK));
        backup("orders-db", T0.minus(Duration.ofMinutes(1)), Optional.empty());
        ServiceStatus orders = new RpoEvaluator(config(), catalog, clock).evaluate("orders");
        assertThat(orders.state()).isEqualTo(RpoState.BREACHED);
        assertThat(orders.achieved()).contains(Duration.ofMinutes(70));
        assertThat(orders.lastRun()).isEmpty();
    }
}
