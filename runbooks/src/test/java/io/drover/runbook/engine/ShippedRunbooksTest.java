package io.drover.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.FakeFailoverDatabase;
import io.drover.core.spi.FakeTrafficSwitch;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.model.Runbook;
import io.drover.runbook.parse.RunbookLibrary;
import io.drover.runbook.parse.RunbookParser;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook files shipped with drover (pg-switchover, pg-failover), run by the engine against the
 * in-memory failover database and traffic switches; site-failover and site-failback are generated
 * from services: and tested in SiteRunbooksTest. The real PostgreSQL, HAProxy, nginx and DNS runs
 * are in it-tests.
 */
class ShippedRunbooksTest {
    private static final List<String> SHIPPED = List.of("pg-switchover", "pg-failover");

    @TempDir
    Path dir;

    private Catalog catalog;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final TestEngines.RecordingServices services = new TestEngines.RecordingServices();
    private final FakeFailoverDatabase.Cluster cluster = new FakeFailoverDatabase.Cluster();
    private final FakeTrafficSwitch.Balancer lb = new FakeTrafficSwitch.Balancer(Map.of("dc1", "pg1", "dr1", "pg2"));

    @BeforeEach
    void open() {
        catalog = Catalog.open(CatalogSettings.embedded(dir.resolve("state")));
        services.databases.put("orders-pg", new FakeFailoverDatabase(cluster, Clock.systemUTC()));
        services.switches.put("orders-lb", new FakeTrafficSwitch(lb, "orders-lb"));
        lb.setActive("dc1");
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private RunbookEngine engine() {
        return TestEngines.engine(catalog, dir.resolve("state"), "op", lines::add, services);
    }

    private static Runbook shipped(String name) {
        RunbookLibrary library = new RunbookLibrary(List.of(), ShippedRunbooksTest.class.getClassLoader(),
                new RunbookParser(ActionRegistry.discover(), Optional.of(Set.of()), System::getenv));
        return library.load(name);
    }

    private RunbookStepRecord step(long id, String stepId) {
        return catalog.runbookSteps(id).stream().filter(s -> s.stepId().equals(stepId)).findFirst().orElseThrow();
    }

    private ExecutionResult run(String runbook, Map<String, String> params) {
        ExecutionResult result = engine().run(shipped(runbook), params);
        assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        return result;
    }

    @Test
    void everyShippedRunbookIsListedAndValid() {
        RunbookLibrary library = new RunbookLibrary(List.of(), getClass().getClassLoader(),
                new RunbookParser(ActionRegistry.discover(), Optional.of(Set.of()), System::getenv));
        assertThat(library.find()).containsKeys(SHIPPED.toArray(String[]::new));
        for (String name : SHIPPED) {
            RunbookLibrary.Found found = library.find().get(name);
            assertThat(found.shipped()).isTrue();
            assertThat(library.validate(found)).as(name).isEmpty();
            assertThat(library.load(name).description()).as(name).isNotBlank();
        }
    }

    @Test
    void aSwitchoverPlanChangesNothingThenTheRunMovesTheDatabaseAndTrafficAndRejoinsTheOldPrimary() throws Exception {
        cluster.write("dc1", "before");
        Map<String, String> params = Map.of("database", "orders-pg", "traffic", "orders-lb", "to", "dr1");

        PlanReport plan = engine().plan(shipped("pg-switchover"), params);
        assertThat(plan.steps()).extracting(StepPlan::id)
                .containsExactly("before", "sync", "fence", "catch-up", "promote", "traffic", "rejoin", "after");
        assertThat(plan.steps().stream().filter(s -> s.id().equals("fence")).findFirst().orElseThrow().summary())
                .hasValueSatisfying(s -> assertThat(s).contains("fence dc1"));
        assertThat(cluster.fences).isEmpty();
        assertThat(cluster.promotions).isEmpty();
        assertThat(lb.routes.get()).isZero();
        assertThat(lb.active()).containsExactly("dc1");

        ExecutionResult result = run("pg-switchover", params);

        assertThat(cluster.fences).containsExactly("dc1");
        assertThat(cluster.promotions).containsExactly("dr1");
        assertThat(cluster.rejoins).containsExactly("dc1->dr1");
        assertThat(lb.active()).containsExactly("dr1");
        assertThat(cluster.role("dc1")).isEqualTo(DatabaseFailover.Role.STANDBY);
        cluster.write("dr1", "after");
        assertThat(cluster.has("dc1", "before")).isTrue();
        assertThat(cluster.has("dc1", "after")).as("the old primary replicates from the new one").isTrue();
        assertThat(step(result.id(), "after").outputs()).contains("\"primary\":\"dr1\"", "\"dc1-role\":\"standby\"");
    }

    @Test
    void aSwitchoverWhoseStandbyIsTooFarBehindIsRefusedBeforeTheFenceAndTheClientsKeepWriting() throws Exception {
        cluster.write("dc1", "before");
        cluster.pause();
        cluster.write("dc1", "not-replayed-1");
        cluster.write("dc1", "not-replayed-2");
        Map<String, String> params = Map.of("database", "orders-pg", "traffic", "orders-lb", "to", "dr1",
                "max-lag", "150B", "catch-up-timeout", "300ms");

        PlanReport plan = engine().plan(shipped("pg-switchover"), params);
        StepPlan sync = plan.steps().stream().filter(s -> s.id().equals("sync")).findFirst().orElseThrow();
        assertThat(sync.preconditions()).filteredOn(p -> !p.passed()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("dr1 is at most 150 B behind its primary");
            assertThat(p.detail()).contains("200 B behind dc1, above the limit");
        });

        ExecutionResult failed = engine().run(shipped("pg-switchover"), params);
        assertThat(failed.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(failed.message()).hasValueSatisfying(m -> assertThat(m).startsWith("sync").contains("above the limit"));
        assertThat(cluster.fences).isEmpty();
        cluster.write("dc1", "still-writable");
    }

    @Test
    void aFenceWhoseStandbyThenCannotCatchUpIsRolledBackAndThePrimaryTakesWritesAgain() throws Exception {
        Runbook fenceThenWait = TestEngines.runbook("fence-then-wait", """
                name: fence-then-wait
                steps:
                  - { id: fence, action: database-fence, with: { database: orders-pg, except: dr1 } }
                  - { id: catch-up, action: database-wait-replay, with: { database: orders-pg, standby: dr1, timeout: 300ms } }
                """);
        cluster.pause();
        cluster.write("dc1", "not-replayed");

        ExecutionResult failed = engine().run(fenceThenWait, Map.of());
        assertThat(failed.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(failed.message()).hasValueSatisfying(m -> assertThat(m).startsWith("catch-up").contains("bytes"));
        assertThat(cluster.fenced("dc1")).isTrue();

        assertThat(engine().rollback(failed.id(), false).status()).as(String.join("\n", lines))
                .isEqualTo(RunbookExecutionStatus.ROLLED_BACK);
        assertThat(cluster.fenced("dc1")).as("the rollback lifted the fence").isFalse();
        cluster.write("dc1", "after-rollback");
    }

    @Test
    void theFenceIsNotLiftedOnceTheStandbyWasPromoted() throws Exception {
        ExecutionResult result = run("pg-switchover", Map.of("database", "orders-pg", "traffic", "orders-lb", "to", "dr1",
                "rejoin", "false"));
        assertThat(cluster.fenced("dc1")).isTrue();

        ExecutionResult rollback = engine().rollback(result.id(), false);

        assertThat(rollback.status()).isEqualTo(RunbookExecutionStatus.ROLLBACK_FAILED);
        assertThat(String.join("\n", lines)).contains("refusing to unfence dc1: dr1 is a writable primary");
        assertThat(cluster.fenced("dc1")).as("two primaries would take writes").isTrue();
    }

    @Test
    void aFailoverWithThePrimaryDownCountsItAsDownPromotesAndReportsTheDataLossWindow() throws Exception {
        cluster.write("dc1", "replicated");
        cluster.reachable("dc1", false);
        Map<String, String> params = Map.of("database", "orders-pg", "traffic", "orders-lb", "to", "dr1");

        PlanReport plan = engine().plan(shipped("pg-failover"), params);
        StepPlan fence = plan.steps().stream().filter(s -> s.id().equals("fence")).findFirst().orElseThrow();
        assertThat(fence.preconditions()).allMatch(p -> p.passed())
                .anySatisfy(p -> assertThat(p.detail()).contains("DOWN"));
        StepPlan promote = plan.steps().stream().filter(s -> s.id().equals("promote")).findFirst().orElseThrow();
        assertThat(promote.dataLoss()).hasValueSatisfying(d -> assertThat(d).contains("no primary can be read (dc1:",
                "dr1 has replayed up to"));

        ExecutionResult result = run("pg-failover", params);

        assertThat(cluster.promotions).containsExactly("dr1");
        assertThat(cluster.fences).isEmpty();
        assertThat(step(result.id(), "fence").outputs()).contains("\"down\":\"dc1\"");
        assertThat(lb.active()).containsExactly("dr1");
        assertThat(services.sent).singleElement().satisfies(text -> assertThat(text)
                .contains("failover of orders-pg to dr1", "Down (keep them down until rebuilt): dc1", "Data loss: unknown"));
    }

    @Test
    void aFailoverWithoutAlertChannelsStillSucceedsAndKeepsItsReportInTheJournal() throws Exception {
        services.channels = List.of();
        cluster.reachable("dc1", false);
        ExecutionResult result = run("pg-failover", Map.of("database", "orders-pg", "traffic", "orders-lb", "to", "dr1"));
        assertThat(services.sent).isEmpty();
        assertThat(step(result.id(), "report").outputs()).contains("no alert channel", "Down (keep them down until rebuilt): dc1");
        assertThat(String.join("\n", lines)).contains("no alert channel; the message: failover of orders-pg to dr1");
    }

    @Test
    void aFailoverWithThePrimaryStillAnsweringFencesItFirst() throws Exception {
        cluster.write("dc1", "a");
        run("pg-failover", Map.of("database", "orders-pg", "traffic", "orders-lb", "to", "dr1"));
        assertThat(cluster.fences).containsExactly("dc1");
        assertThat(cluster.promotions).containsExactly("dr1");
        assertThat(services.sent).singleElement().satisfies(text -> assertThat(text).contains("Fenced: dc1", "Data loss: none"));
    }
}
