package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.TrafficSwitch;
import io.drover.core.spi.action.ActionServices;
import io.drover.core.spi.action.BackupSelector;
import io.drover.core.spi.action.RestorableBackup;
import io.drover.core.spi.action.RestoredBackup;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.engine.ExecutionResult;
import io.drover.runbook.engine.PlanReport;
import io.drover.runbook.engine.RunbookEngine;
import io.drover.runbook.engine.StepPlan;
import io.drover.runbook.model.Runbook;
import io.drover.runbook.parse.RunbookParser;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
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
 * The runbook engine runs a planned switchover (fence dc1, wait until dr1 replayed, promote dr1)
 * against a real primary and streaming standby.
 */
class PostgresSwitchoverRunbookTest {
    private static final String SWITCHOVER = """
            name: pg-switchover
            parameters:
              database: { type: database }
              from: { type: string, default: dc1 }
              to: { type: string, default: dr1 }
            steps:
              - id: fence
                action: database-fence
                with: { database: "${params.database}", member: "${params.from}" }
              - id: catch-up
                action: database-wait-replay
                with: { database: "${params.database}", standby: "${params.to}", timeout: 30s }
              - id: promote
                action: database-promote
                with: { database: "${params.database}", member: "${params.to}" }
              - id: status
                action: database-status
                with: { database: "${params.database}" }
            """;

    @TempDir
    Path dir;

    private PostgresReplicaPair pair;
    private Catalog catalog;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        pair = PostgresReplicaPair.start();
        catalog = Catalog.open(CatalogSettings.embedded(dir.resolve("state")));
    }

    @AfterEach
    void stop() throws Exception {
        if (catalog != null) {
            catalog.close();
        }
        if (pair != null) {
            pair.close();
        }
    }

    /** Core's services as far as these actions need them: the database orders-pg. */
    private io.drover.core.testing.TestActionServices services() {
        return new io.drover.core.testing.TestActionServices().withDatabase("orders-pg",
                () -> PostgresDatabaseFailoverTest.database(pair.primaryPort(), pair.standbyPort()));
    }

    private RunbookEngine engine() {
        return new RunbookEngine(catalog, ActionRegistry.discover(), services(), Clock.systemUTC(), dir.resolve("state"),
                Map.of(), Optional.of(List.of("orders-pg")), System::getenv, lines::add, "op", Duration.ofMillis(50));
    }

    private static Runbook runbook() {
        RunbookParser.Result result = new RunbookParser(ActionRegistry.discover(), Optional.of(Set.<String>of()), System::getenv)
                .parse(Path.of("pg-switchover.yaml"), "pg-switchover.yaml", SWITCHOVER, Optional.of("pg-switchover"));
        assertThat(result.problems()).isEmpty();
        return result.runbook().orElseThrow();
    }

    private DatabaseFailover.MemberStatus status(String member) throws Exception {
        try (ReplicatedDatabase database = services().database("orders-pg")) {
            return ((DatabaseFailover) database).status(member);
        }
    }

    @Test
    void aSwitchoverFencesTheOldPrimaryWaitsAndPromotesTheStandbyWithoutLosingAWrite() throws Exception {
        pair.executeOnPrimary("create table orders (id text primary key)");
        pair.executeOnPrimary("insert into orders values ('before-fence')");
        Map<String, String> params = Map.of("database", "orders-pg");

        // The plan changes nothing and shows the guard failing: dc1 still takes writes.
        PlanReport plan = engine().plan(runbook(), params);
        StepPlan promote = plan.steps().get(2);
        assertThat(promote.preconditions()).filteredOn(p -> !p.passed()).singleElement()
                .satisfies(p -> assertThat(p.name()).contains("split-brain guard"));
        assertThat(promote.dataLoss()).isPresent();
        assertThat(status("dc1").writablePrimary()).isTrue();
        assertThat(status("dr1").role()).isEqualTo(DatabaseFailover.Role.STANDBY);

        long start = System.nanoTime();
        ExecutionResult result = engine().run(runbook(), params);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        DatabaseFailover.MemberStatus dr1 = status("dr1");
        assertThat(dr1.role()).as(dr1.detail()).isEqualTo(DatabaseFailover.Role.PRIMARY);
        assertThat(dr1.writable()).isTrue();
        DatabaseFailover.MemberStatus dc1 = status("dc1");
        assertThat(dc1.writable()).as(dc1.detail()).isFalse();
        assertThat(dc1.fenced()).isTrue();
        assertThat(PostgresReplicaPair.query(pair.standbyUrl(), "select id from orders")).isEqualTo("before-fence");
        PostgresReplicaPair.execute(pair.standbyUrl(), "insert into orders values ('on-the-new-primary')");
        assertThatThrownBy(() -> pair.executeOnPrimary("insert into orders values ('on-the-old-primary')"))
                .isInstanceOf(SQLException.class).hasMessageContaining("read-only");
        assertThat(catalog.runbookSteps(result.id())).filteredOn(s -> s.stepId().equals("status")).singleElement()
                .satisfies(s -> assertThat(s.outputs()).contains("\"primary\":\"dr1\"", "\"dc1-fenced\":\"true\""));
        System.out.println("pg-switchover took " + took.toMillis() + " ms");

        // A second run finds dc1 fenced already and stops at the wait: dr1 is no standby any more.
        ExecutionResult again = engine().run(runbook(), params);
        assertThat(again.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(again.message()).hasValueSatisfying(m -> assertThat(m).startsWith("catch-up: precondition failed: dr1 is a"
                + " reachable standby"));
        assertThat(catalog.runbookSteps(again.id()).getFirst().message()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("already done: dc1 is fenced"));
    }
}
