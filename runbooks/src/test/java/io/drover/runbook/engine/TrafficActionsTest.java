package io.drover.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.spi.FakeTrafficSwitch;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFailedException;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.CheckOutcome;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.action.TrafficSwitchAction;
import io.drover.runbook.model.Runbook;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** traffic-status and traffic-switch in the engine, against the in-memory traffic switch of core's test-jar. */
class TrafficActionsTest {
    @TempDir
    Path dir;

    private Catalog catalog;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final TestEngines.RecordingServices services = new TestEngines.RecordingServices();
    private FakeTrafficSwitch.Balancer balancer;

    private static final String SWITCHOVER = """
            name: switchover
            parameters:
              traffic: { type: traffic }
              to: { type: string }
            steps:
              - id: before
                action: traffic-status
                with: { traffic: "${params.traffic}" }
              - id: switch
                action: traffic-switch
                with: { traffic: "${params.traffic}", to: "${params.to}" }
              - id: after
                action: traffic-status
                with: { traffic: "${params.traffic}" }
            """;

    @BeforeEach
    void open() {
        catalog = Catalog.open(CatalogSettings.embedded(dir.resolve("state")));
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("dc1", "pg1");
        targets.put("dr1", "pg2");
        balancer = new FakeTrafficSwitch.Balancer(targets);
        balancer.setActive("dc1");
        services.switches.put("orders-lb", new FakeTrafficSwitch(balancer, "orders-lb"));
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private RunbookEngine engine() {
        return TestEngines.engine(catalog, dir.resolve("state"), "op", lines::add, services);
    }

    private Map<String, String> outputs(long id) {
        return catalog.runbookSteps(id).stream().collect(Collectors.toMap(RunbookStepRecord::stepId, RunbookStepRecord::outputs));
    }

    @Test
    void switchRoutesAllTrafficToTheTargetAndReportsWhereItWentBefore() {
        ExecutionResult result = engine().run(TestEngines.runbook("switchover", SWITCHOVER), Map.of("traffic", "orders-lb", "to", "dr1"));

        assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(balancer.active()).containsExactly("dr1");
        assertThat(balancer.routes).hasValue(1);
        assertThat(outputs(result.id())).containsEntry("before", "{\"active\":\"dc1\"}")
                .containsEntry("switch", "{\"previous\":\"dc1\"}").containsEntry("after", "{\"active\":\"dr1\"}");
        assertThat(lines).anyMatch(l -> l.contains("routing orders-lb to dr1; before: active dc1 (dc1 pg1 READY; dr1 pg2 MAINT)"));
    }

    @Test
    void aSwitchAlreadyInPlaceIsNotRepeated() {
        balancer.setActive("dr1");
        ExecutionResult result = engine().run(TestEngines.runbook("switchover", SWITCHOVER), Map.of("traffic", "orders-lb", "to", "dr1"));

        assertThat(result.status()).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(balancer.routes).hasValue(0);
        assertThat(catalog.runbookSteps(result.id())).filteredOn(s -> s.stepId().equals("switch")).singleElement()
                .satisfies(s -> assertThat(s.message()).hasValue("already done: only dr1 takes traffic of orders-lb"));
        assertThat(outputs(result.id())).containsEntry("switch", "{\"previous\":\"dr1\"}");
    }

    @Test
    void planShowsWhereTrafficGoesNowAndFailingPreconditionsAndChangesNothing() {
        Runbook runbook = TestEngines.runbook("switchover", SWITCHOVER);
        PlanReport good = engine().plan(runbook, Map.of("traffic", "orders-lb", "to", "dr1"));
        StepPlan step = good.steps().stream().filter(s -> s.id().equals("switch")).findFirst().orElseThrow();
        assertThat(step.summary()).hasValue("route traffic of orders-lb to dr1 (now: dc1)");
        assertThat(step.preconditions()).allMatch(p -> p.passed());
        assertThat(step.rollback()).isPresent();
        assertThat(good.failedPreconditions()).isZero();

        PlanReport unknown = engine().plan(runbook, Map.of("traffic", "orders-lb", "to", "dr9"));
        assertThat(unknown.steps().stream().flatMap(s -> s.preconditions().stream()).filter(p -> !p.passed()))
                .singleElement().satisfies(p -> {
                    assertThat(p.name()).isEqualTo("dr9 is a target of orders-lb");
                    assertThat(p.detail()).isEqualTo("its targets: dc1, dr1");
                });

        balancer.setReachable(false);
        PlanReport down = engine().plan(runbook, Map.of("traffic", "orders-lb", "to", "dr1"));
        assertThat(down.failedPreconditions()).isEqualTo(3); // before, switch, after cannot reach it
        assertThat(down.steps().stream().flatMap(s -> s.preconditions().stream()).filter(p -> !p.passed()))
                .allSatisfy(p -> assertThat(p.detail()).contains("cannot reach fake switch orders-lb"));

        PlanReport undefined = engine().plan(runbook, Map.of("traffic", "nope", "to", "dr1"));
        assertThat(undefined.steps().stream().flatMap(s -> s.preconditions().stream()).filter(p -> !p.passed()))
                .isNotEmpty().allSatisfy(p -> assertThat(p.detail()).contains("no traffic switch 'nope'"));

        assertThat(balancer.routes).as("plan changes nothing").hasValue(0);
        balancer.setReachable(true);
        assertThat(balancer.active()).containsExactly("dc1");
    }

    @Test
    void runFailsOnAnUnknownTargetAndRollbackRoutesBackToThePreviousTarget() {
        ExecutionResult bad = engine().run(TestEngines.runbook("switchover", SWITCHOVER), Map.of("traffic", "orders-lb", "to", "dr9"));
        assertThat(bad.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(balancer.active()).containsExactly("dc1");

        Runbook failsAfter = TestEngines.runbook("failing", """
                name: failing
                steps:
                  - id: switch
                    action: traffic-switch
                    with: { traffic: orders-lb, to: dr1 }
                  - id: boom
                    action: shell
                    with: { command: ["false"] }
                """);
        ExecutionResult failed = engine().run(failsAfter, Map.of());
        assertThat(failed.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(balancer.active()).containsExactly("dr1");

        ExecutionResult rolledBack = engine().rollback(failed.id(), false);
        assertThat(rolledBack.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.ROLLED_BACK);
        assertThat(balancer.active()).containsExactly("dc1");
    }

    private ActionContext context(long execution) {
        return new ActionContext(execution, "switch", "switchover", Instant.now().plusSeconds(60), Clock.systemUTC(),
                dir.resolve("state"), lines::add, services);
    }

    @SuppressWarnings("unchecked")
    private Action action(String to) {
        var factory = (io.drover.core.spi.action.ActionFactory<TrafficSwitchAction.Config>) ActionRegistry.discover()
                .find("traffic-switch").orElseThrow();
        return factory.create(new TrafficSwitchAction.Config("orders-lb", to));
    }

    @Test
    void afterACrashTheDoneStepStillReportsWhatWasActiveBeforeIt() throws Exception {
        Action action = action("dr1");
        assertThat(action.check(context(7)).done()).isFalse();
        action.run(context(7));
        // the process died before the engine journaled the outputs; on resume the check finds it done
        CheckOutcome resumed = action.check(context(7));
        assertThat(resumed.done()).isTrue();
        assertThat(resumed.outputs().values()).containsEntry("previous", "dc1");
        action.undo(context(7), resumed.outputs());
        assertThat(balancer.active()).containsExactly("dc1");
    }

    @Test
    void undoRefusesWhenSeveralTargetsTookTrafficBefore() throws Exception {
        balancer.setActive("dc1", "dr1");
        Action action = action("dr1");
        ActionOutputs outputs = action.run(context(8));
        assertThat(outputs.values()).containsEntry("previous", "dc1,dr1");
        assertThatThrownBy(() -> action.undo(context(8), outputs)).isInstanceOf(ActionFailedException.class)
                .hasMessageContaining("before the switch dc1, dr1 took traffic");
        assertThat(balancer.active()).containsExactly("dr1");
    }
}
