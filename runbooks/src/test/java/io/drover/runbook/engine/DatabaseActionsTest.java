package io.drover.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.catalog.RunbookStepStatus;
import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.FakeFailoverDatabase;
import io.drover.core.spi.FakeReplicatedDatabase;
import io.drover.core.spi.action.Precondition;
import io.drover.runbook.model.Runbook;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database actions (status, fence, wait-replay, promote) run by the engine against the in-memory failover fake. */
class DatabaseActionsTest {
    static final String SWITCHOVER = """
            name: switchover
            parameters:
              database: { type: string, default: orders-pg }
              from: { type: string, default: dc1 }
              to: { type: string, default: dr1 }
            steps:
              - id: fence
                action: database-fence
                with: { database: "${params.database}", member: "${params.from}" }
              - id: catch-up
                action: database-wait-replay
                with: { database: "${params.database}", standby: "${params.to}", timeout: 5s }
              - id: promote
                action: database-promote
                with: { database: "${params.database}", member: "${params.to}" }
            """;

    @TempDir
    Path dir;

    private Catalog catalog;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final TestEngines.RecordingServices services = new TestEngines.RecordingServices();
    private final FakeFailoverDatabase.Cluster cluster = new FakeFailoverDatabase.Cluster();

    @BeforeEach
    void open() {
        catalog = Catalog.open(CatalogSettings.embedded(dir.resolve("state")));
        services.databases.put("orders-pg", new FakeFailoverDatabase(cluster, Clock.systemUTC()));
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private RunbookEngine engine() {
        return TestEngines.engine(catalog, dir.resolve("state"), "op", lines::add, services);
    }

    private static Runbook promoteOnly(String with) {
        return TestEngines.runbook("promote", """
                name: promote
                steps:
                  - id: promote
                    action: database-promote
                    with: { database: orders-pg, member: dr1%s }
                """.formatted(with));
    }

    private RunbookStepRecord step(long id, String stepId) {
        return catalog.runbookSteps(id).stream().filter(s -> s.stepId().equals(stepId)).findFirst().orElseThrow();
    }

    @Test
    void planChangesNothingShowsTheSplitBrainGuardFailingAndTheBytesTheStandbyIsBehind() throws Exception {
        cluster.write("dc1", "a");
        cluster.pause();
        cluster.write("dc1", "b");
        cluster.write("dc1", "c");

        PlanReport plan = engine().plan(TestEngines.runbook("switchover", SWITCHOVER), Map.of());

        assertThat(cluster.fences).isEmpty();
        assertThat(cluster.promotions).isEmpty();
        assertThat(cluster.role("dr1")).isEqualTo(DatabaseFailover.Role.STANDBY);
        assertThat(cluster.fenced("dc1")).isFalse();
        assertThat(cluster.has("dr1", "c")).isFalse();
        StepPlan promote = plan.steps().stream().filter(s -> s.id().equals("promote")).findFirst().orElseThrow();
        assertThat(promote.summary()).contains("promote dr1 of orders-pg to primary");
        assertThat(promote.preconditions()).filteredOn(p -> !p.passed()).singleElement().satisfies(p -> {
            assertThat(p.name()).contains("split-brain guard");
            assertThat(p.detail()).contains("dc1").contains("writable and not fenced");
        });
        assertThat(promote.dataLoss()).hasValue("200 bytes of WAL dc1 wrote that dr1 has not replayed");
        assertThat(promote.alreadyDone()).isEmpty();
        StepPlan fence = plan.steps().getFirst();
        assertThat(fence.preconditions()).allMatch(Precondition::passed);
        assertThat(fence.alreadyDone()).isEmpty();
        assertThat(plan.failedPreconditions()).isEqualTo(1);
    }

    @Test
    void promotionIsRefusedWhileTheOldPrimaryIsWritableAndNotFenced() throws Exception {
        ExecutionResult result = engine().run(promoteOnly(""), Map.of());

        assertThat(result.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(result.message()).hasValueSatisfying(m -> assertThat(m).contains("split-brain guard")
                .contains("dc1").contains("fence it first, or give force-reason"));
        assertThat(cluster.promotions).isEmpty();
        assertThat(cluster.role("dr1")).isEqualTo(DatabaseFailover.Role.STANDBY);
    }

    @Test
    void aSwitchoverFencesWaitsAndPromotesAndAfterTheWaitThePlanExpectsNoDataLoss() throws Exception {
        cluster.write("dc1", "before");
        ExecutionResult result = engine().run(TestEngines.runbook("switchover", SWITCHOVER), Map.of());

        assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(cluster.fences).containsExactly("dc1");
        assertThat(cluster.promotions).containsExactly("dr1");
        assertThat(cluster.has("dr1", "before")).isTrue();
        assertThat(step(result.id(), "promote").outputs())
                .isEqualTo("{\"promoted\":\"dr1\",\"data-loss\":\"none (dr1 has replayed everything dc1 wrote)\"}");
        assertThat(step(result.id(), "fence").outputs()).contains("\"fenced\":\"dc1\"", "\"down\":\"\"");

        // Planned again: everything is done, nothing is lost.
        PlanReport again = engine().plan(TestEngines.runbook("switchover", SWITCHOVER), Map.of());
        StepPlan promote = again.steps().get(2);
        assertThat(promote.alreadyDone()).hasValueSatisfying(d -> assertThat(d).startsWith("dr1 is a primary"));
        assertThat(promote.dataLoss()).hasValueSatisfying(d -> assertThat(d).startsWith("none"));
        assertThat(again.steps().getFirst().alreadyDone()).hasValueSatisfying(d -> assertThat(d).startsWith("dc1 is fenced"));
    }

    @Test
    void afterTheFenceAndTheWaitThePromotionPlanPassesAndExpectsNoDataLoss() throws Exception {
        cluster.write("dc1", "a");
        services.database("orders-pg");
        ((DatabaseFailover) services.databases.get("orders-pg")).fence("dc1");
        ((DatabaseFailover) services.databases.get("orders-pg")).waitForReplay("dr1", java.time.Duration.ofSeconds(1));

        PlanReport plan = engine().plan(promoteOnly(""), Map.of());

        StepPlan promote = plan.steps().getFirst();
        assertThat(promote.preconditions()).allMatch(Precondition::passed);
        assertThat(promote.dataLoss()).hasValue("none (dr1 has replayed everything dc1 wrote)");
        assertThat(cluster.promotions).isEmpty();
    }

    @Test
    void aForcedPromotionRecordsItsReasonInTheOutputsTheLogAndTheAuditLog() throws Exception {
        ExecutionResult result = engine().run(promoteOnly(", force-reason: \"dc1 is cut off, ticket 42\""), Map.of());

        assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(cluster.promotions).containsExactly("dr1");
        assertThat(step(result.id(), "promote").outputs()).contains("\"force-reason\":\"dc1 is cut off, ticket 42\"");
        assertThat(lines).anyMatch(l -> l.contains("FORCED: promoting dr1 while dc1") && l.contains("ticket 42"));
        assertThat(catalog.auditEvents(20)).anyMatch(e -> e.action().equals("runbook.step")
                && e.details().contains("forced promotion of dr1: dc1 is cut off, ticket 42"));
    }

    @Test
    void aResumedSwitchoverDoesNotPromoteTwiceBecauseTheCheckSeesAPrimary() throws Exception {
        Runbook runbook = TestEngines.runbook("switchover", SWITCHOVER);
        // A process that died after promoting but before journaling it.
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String deadOwner = java.net.InetAddress.getLocalHost().getHostName() + "/" + dead.pid() + "/0";
        Instant now = Instant.now();
        long id = catalog.createRunbookExecution("switchover", runbook.source(), runbook.text(),
                "{\"database\":\"orders-pg\",\"from\":\"dc1\",\"to\":\"dr1\"}", "op", deadOwner,
                List.of("fence", "catch-up", "promote"), now);
        for (String done : List.of("fence", "catch-up")) {
            catalog.journalRunbookStep(id, deadOwner, done, RunbookStepStatus.RUNNING, 1, Optional.empty(), Optional.empty(), now, "op");
            catalog.journalRunbookStep(id, deadOwner, done, RunbookStepStatus.SUCCEEDED, 1, Optional.of("{}"), Optional.empty(), now, "op");
        }
        catalog.journalRunbookStep(id, deadOwner, "promote", RunbookStepStatus.RUNNING, 1, Optional.empty(), Optional.empty(), now, "op");
        FakeFailoverDatabase database = (FakeFailoverDatabase) services.databases.get("orders-pg");
        database.fence("dc1");
        database.promote("dr1");

        ExecutionResult resumed = engine().resume(id, false);

        assertThat(resumed.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(cluster.promotions).containsExactly("dr1");
        assertThat(step(id, "promote").message()).hasValueSatisfying(m -> assertThat(m).startsWith("already done: dr1 is a primary"));
    }

    @Test
    void statusReportsEveryMemberAndTheWritablePrimary() throws Exception {
        cluster.write("dc1", "a");
        Runbook runbook = TestEngines.runbook("status", """
                name: status
                steps:
                  - id: status
                    action: database-status
                    with: { database: orders-pg }
                  - id: use
                    action: shell
                    with: { script: "echo ${steps.status.outputs.primary} ${steps.status.outputs.dr1-role} > %s/out" }
                """.formatted(dir));
        ExecutionResult result = engine().run(runbook, Map.of());

        assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(java.nio.file.Files.readString(dir.resolve("out"))).isEqualTo("dc1 standby\n");
        assertThat(step(result.id(), "status").outputs()).contains("\"dc1-role\":\"primary\"", "\"dc1-writable\":\"true\"",
                "\"dc1-fenced\":\"false\"", "\"dr1-reachable\":\"true\"", "\"dc1-lsn\":\"0/64\"");
    }

    @Test
    void aDatabaseWhoseConnectorCannotFailOverFailsTheStepClearly() {
        services.databases.put("lag-only", new FakeReplicatedDatabase(new FakeReplicatedDatabase.Cluster(), Clock.systemUTC(), true));
        Runbook runbook = TestEngines.runbook("fence", """
                name: fence
                steps:
                  - id: fence
                    action: database-fence
                    with: { database: lag-only, member: dc1 }
                """);
        ExecutionResult result = engine().run(runbook, Map.of());
        assertThat(result.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(result.message()).hasValueSatisfying(m -> assertThat(m).contains("database 'lag-only' (fake replicated database)"
                + " cannot fail over"));
        PlanReport plan = engine().plan(runbook, Map.of());
        assertThat(plan.steps().getFirst().note()).hasValueSatisfying(n -> assertThat(n).contains("cannot fail over"));
    }

    @Test
    void anUnknownMemberOrDatabaseIsNamed() {
        ExecutionResult result = engine().run(TestEngines.runbook("switchover", SWITCHOVER), Map.of("from", "dc9"));
        assertThat(result.message()).hasValueSatisfying(m -> assertThat(m).contains("database 'orders-pg' has no member 'dc9';"
                + " members: dc1, dr1"));
        ExecutionResult unknown = engine().run(TestEngines.runbook("switchover", SWITCHOVER), Map.of("database", "nope"));
        assertThat(unknown.message()).hasValueSatisfying(m -> assertThat(m).contains("no database 'nope'"));
        assertThat(cluster.fences).isEmpty();
    }
}
