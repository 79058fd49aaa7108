package io.drover.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.catalog.RunbookStepStatus;
import io.drover.core.catalog.RunbookTransitionRecord;
import io.drover.core.error.DroverException;
import io.drover.runbook.model.Runbook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunbookEngineTest {
    @TempDir
    Path dir;

    private Catalog catalog;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final TestEngines.RecordingServices services = new TestEngines.RecordingServices();

    @BeforeEach
    void open() {
        catalog = Catalog.open(CatalogSettings.embedded(dir.resolve("state")));
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private RunbookEngine engine(String actor) {
        return TestEngines.engine(catalog, dir.resolve("state"), actor, lines::add, services);
    }

    private String log() throws Exception {
        Path log = dir.resolve("log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private Map<String, RunbookStepStatus> steps(long id) {
        return catalog.runbookSteps(id).stream().collect(Collectors.toMap(RunbookStepRecord::stepId, RunbookStepRecord::status));
    }

    @Test
    void runsStepsInOrderPassingOutputsSkippingByConditionAndRunningGroupsTogether() throws Exception {
        Runbook runbook = TestEngines.runbook("flow", """
                name: flow
                parameters:
                  who: { type: string }
                  loud: { type: bool, default: "false" }
                  n: { type: int, default: "2" }
                steps:
                  - id: hello
                    action: shell
                    with: { script: "echo hello-${params.who} >> %1$s/log; echo '::output greeting=hi ${params.who}'" }
                  - id: shout
                    action: shell
                    when: params.loud
                    with: { command: [touch, "%1$s/shouted"] }
                  - parallel:
                      - id: left
                        action: shell
                        when: params.n >= 2 && steps.shout.status == 'skipped'
                        with: { script: "echo '${steps.hello.outputs.greeting}' > %1$s/left" }
                      - id: right
                        action: notify
                        with: { message: "greeted ${params.who}", severity: warning }
                """.formatted(dir));
        ExecutionResult result = engine("op").run(runbook, Map.of("who", "ann"));

        assertThat(result.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(log()).isEqualTo("hello-ann\n");
        assertThat(Files.readString(dir.resolve("left"))).isEqualTo("hi ann\n");
        assertThat(dir.resolve("shouted")).doesNotExist();
        assertThat(services.sent).containsExactly("WARNING flow (execution " + result.id() + "): right: greeted ann");
        assertThat(steps(result.id())).containsExactlyInAnyOrderEntriesOf(Map.of("hello", RunbookStepStatus.SUCCEEDED,
                "shout", RunbookStepStatus.SKIPPED, "left", RunbookStepStatus.SUCCEEDED, "right", RunbookStepStatus.SUCCEEDED));
        var execution = catalog.runbookExecution(result.id()).orElseThrow();
        assertThat(execution.actor()).isEqualTo("op");
        assertThat(execution.owner()).isEmpty();
        assertThat(execution.params()).isEqualTo("{\"who\":\"ann\",\"loud\":\"false\",\"n\":\"2\"}");
        // Every transition is journaled, RUNNING before SUCCEEDED.
        assertThat(catalog.runbookTransitions(result.id())).filteredOn(t -> t.stepId().equals(Optional.of("hello")))
                .extracting(RunbookTransitionRecord::to).containsExactly("RUNNING", "SUCCEEDED");
        assertThat(catalog.auditEvents(20)).extracting(e -> e.actor() + " " + e.action())
                .contains("op runbook.run", "op runbook.step", "op runbook.finish");
        assertThat(lines).anyMatch(l -> l.contains("[shout] skipped: when: params.loud is false"));
    }

    @Test
    void checkMakesAStepThatIsDoneSucceedWithoutRunning() throws Exception {
        Files.writeString(dir.resolve("marker"), "x");
        Runbook runbook = TestEngines.runbook("idem", """
                name: idem
                steps:
                  - id: once
                    action: shell
                    with: { script: "echo ran >> %1$s/log", check: [test, -f, "%1$s/marker"] }
                """.formatted(dir));
        ExecutionResult result = engine("op").run(runbook, Map.of());
        assertThat(result.status()).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(log()).isEmpty();
        assertThat(catalog.runbookSteps(result.id()).getFirst().message()).contains("already done: check exited 0");
    }

    @Test
    void retriesThenFailsWithTheStderrTailAndResumeRunsOnlyWhatIsNotDone() throws Exception {
        Runbook runbook = TestEngines.runbook("flaky", """
                name: flaky
                steps:
                  - id: first
                    action: shell
                    with: { script: "echo first >> %1$s/log" }
                  - id: second
                    action: shell
                    retries: 1
                    retry-delay: 10ms
                    with: { script: "echo try >> %1$s/log; test -f %1$s/fixed || { echo 'disk on fire' >&2; exit 3; }" }
                  - id: third
                    action: shell
                    with: { script: "echo third >> %1$s/log" }
                """.formatted(dir));
        ExecutionResult failed = engine("op").run(runbook, Map.of());
        assertThat(failed.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(failed.message()).contains("second: /bin/sh exited with 3; last lines of stderr below");
        assertThat(failed.details()).containsExactly("disk on fire");
        assertThat(log()).isEqualTo("first\ntry\ntry\n");
        assertThat(catalog.runbookSteps(failed.id())).filteredOn(s -> s.stepId().equals("second")).singleElement()
                .satisfies(s -> assertThat(s.attempts()).isEqualTo(2));

        Files.writeString(dir.resolve("fixed"), "");
        ExecutionResult resumed = engine("op2").resume(failed.id(), false);
        assertThat(resumed.status()).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(log()).isEqualTo("first\ntry\ntry\ntry\nthird\n");
        assertThatThrownBy(() -> engine("op").resume(failed.id(), false)).isInstanceOf(DroverException.class)
                .hasMessageContaining("is SUCCEEDED; it cannot be resumed")
                .satisfies(e -> assertThat(((DroverException) e).exitCode()).isEqualTo(7));
    }

    @Test
    void aStepRunningWhenItsProcessDiedIsCheckedAgainAndNotRepeatedIfDone() throws Exception {
        Runbook runbook = TestEngines.runbook("crashed", """
                name: crashed
                steps:
                  - id: done-before
                    action: shell
                    with: { script: "echo done-before >> %1$s/log" }
                  - id: interrupted
                    action: shell
                    with: { script: "echo interrupted >> %1$s/log", check: [grep, -qx, interrupted, "%1$s/log"] }
                  - id: never-started
                    action: shell
                    with: { script: "echo never-started >> %1$s/log" }
                """.formatted(dir));
        // The journal of a process that died after 'interrupted' had its effect but before journaling it.
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String deadOwner = java.net.InetAddress.getLocalHost().getHostName() + "/" + dead.pid() + "/0";
        Instant now = Instant.now();
        long id = catalog.createRunbookExecution("crashed", runbook.source(), runbook.text(), "{}", "op", deadOwner,
                List.of("done-before", "interrupted", "never-started"), now);
        catalog.journalRunbookStep(id, deadOwner, "done-before", RunbookStepStatus.RUNNING, 1, Optional.empty(), Optional.empty(), now, "op");
        catalog.journalRunbookStep(id, deadOwner, "done-before", RunbookStepStatus.SUCCEEDED, 1, Optional.of("{}"), Optional.empty(), now, "op");
        catalog.journalRunbookStep(id, deadOwner, "interrupted", RunbookStepStatus.RUNNING, 1, Optional.empty(), Optional.empty(), now, "op");
        Files.writeString(dir.resolve("log"), "done-before\ninterrupted\n");

        ExecutionResult resumed = engine("op").resume(id, false);

        assertThat(resumed.status()).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(log()).isEqualTo("done-before\ninterrupted\nnever-started\n");
        assertThat(catalog.runbookSteps(id)).filteredOn(s -> s.stepId().equals("interrupted")).singleElement()
                .satisfies(s -> assertThat(s.message()).contains("already done: check exited 0"));
    }

    @Test
    void refusesToResumeAnExecutionItsLiveProcessStillRuns() {
        Runbook runbook = TestEngines.runbook("live", "name: live\nsteps: [ { id: a, action: shell, with: { command: [\"true\"] } } ]\n");
        String me = ProcessOwner.current();
        long id = catalog.createRunbookExecution("live", runbook.source(), runbook.text(), "{}", "op", me, List.of("a"),
                Instant.now());
        assertThatThrownBy(() -> engine("op").resume(id, false)).hasMessageContaining("is being run by " + me
                + ", which is still alive");
    }

    @Test
    void anApprovalGatePausesUntilAPermittedUserApprovesAndRefusesOthers() throws Exception {
        Runbook runbook = TestEngines.runbook("gated", """
                name: gated
                steps:
                  - id: before
                    action: shell
                    with: { script: "echo before >> %1$s/log" }
                  - id: promote
                    action: shell
                    approval: { role: dba }
                    with: { script: "echo promote >> %1$s/log" }
                """.formatted(dir));
        CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> engine("carol").run(runbook, Map.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> catalog.runbookExecutions(Optional.empty(), 1).stream()
                .anyMatch(e -> e.status() == RunbookExecutionStatus.WAITING_APPROVAL));
        long id = catalog.runbookExecutions(Optional.empty(), 1).getFirst().id();
        assertThat(steps(id)).containsEntry("promote", RunbookStepStatus.WAITING_APPROVAL);
        assertThat(log()).isEqualTo("before\n");

        assertThatThrownBy(() -> engine("mallory").approve(id, "promote", Optional.empty()))
                .hasMessage("mallory may not approve step 'promote': it needs role dba, whose members are alice, bob")
                .satisfies(e -> assertThat(((DroverException) e).exitCode()).isEqualTo(7));
        assertThatThrownBy(() -> engine("alice").approve(id, "promote", Optional.of("ops")))
                .hasMessage("step 'promote' needs approval by role dba, not ops");
        assertThatThrownBy(() -> engine("alice").approve(id, "before", Optional.empty()))
                .hasMessageContaining("has no approval gate");
        assertThat(run).isNotDone();
        assertThat(log()).isEqualTo("before\n");

        engine("alice").approve(id, "promote", Optional.of("dba"));
        assertThat(run.get(20, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(log()).isEqualTo("before\npromote\n");
        assertThat(catalog.runbookApprovals(id)).singleElement()
                .satisfies(a -> assertThat(a.approvedBy() + " " + a.role()).isEqualTo("alice dba"));
        assertThat(catalog.auditEvents(50)).extracting(e -> e.actor() + " " + e.action())
                .contains("alice runbook.approve", "mallory runbook.approve.refused");
        assertThatThrownBy(() -> engine("bob").approve(id, "promote", Optional.empty()))
                .hasMessageContaining("is SUCCEEDED; there is nothing to approve");
    }

    @Test
    void abortStopsARunningStepAndTheExecutionCanBeResumed() throws Exception {
        Runbook runbook = TestEngines.runbook("slow", """
                name: slow
                steps:
                  - id: sleep
                    action: shell
                    with: { script: "touch %1$s/started; sleep 30", check: [test, -f, "%1$s/skip"] }
                """.formatted(dir));
        CompletableFuture<ExecutionResult> run = CompletableFuture.supplyAsync(() -> engine("op").run(runbook, Map.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("started")));
        long id = catalog.runbookExecutions(Optional.empty(), 1).getFirst().id();
        engine("boss").abort(id, "wrong datacenter");
        ExecutionResult result = run.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(result.status()).isEqualTo(RunbookExecutionStatus.ABORTED);
        assertThat(catalog.runbookExecution(id).orElseThrow().message()).contains("aborted by boss: wrong datacenter");

        Files.writeString(dir.resolve("skip"), "");
        assertThat(engine("op").resume(id, false).status()).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
    }

    @Test
    void aStepThatOutlivesItsTimeoutIsKilledAndFails() {
        Runbook runbook = TestEngines.runbook("timeout", """
                name: timeout
                steps:
                  - id: hang
                    action: shell
                    timeout: 300ms
                    with: { command: [sleep, "30"] }
                """);
        long start = System.nanoTime();
        ExecutionResult result = engine("op").run(runbook, Map.of());
        assertThat(result.status()).isEqualTo(RunbookExecutionStatus.FAILED);
        assertThat(result.message().orElseThrow()).contains("hang:").contains("timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void rollbackUndoesCompletedStepsInReverseOrder() throws Exception {
        Runbook runbook = TestEngines.runbook("undoable", """
                name: undoable
                steps:
                  - id: one
                    action: shell
                    with: { script: "echo one >> %1$s/log", undo-script: "echo undo-one >> %1$s/log" }
                  - id: two
                    action: shell
                    with: { script: "echo two >> %1$s/log; echo '::output token=t2'" }
                    rollback:
                      action: shell
                      with: { script: "echo rollback-two-${steps.two.outputs.token} >> %1$s/log" }
                  - id: three
                    action: shell
                    with: { script: "echo three >> %1$s/log" }
                  - id: four
                    action: shell
                    with: { script: "exit 1" }
                """.formatted(dir));
        ExecutionResult failed = engine("op").run(runbook, Map.of());
        assertThat(failed.status()).isEqualTo(RunbookExecutionStatus.FAILED);

        ExecutionResult rolledBack = engine("op").rollback(failed.id(), false);

        assertThat(rolledBack.status()).isEqualTo(RunbookExecutionStatus.ROLLED_BACK);
        assertThat(rolledBack.message()).contains("not undone (no rollback: and no undo): three");
        assertThat(log()).isEqualTo("one\ntwo\nthree\nrollback-two-t2\nundo-one\n");
        assertThat(steps(failed.id())).containsEntry("one", RunbookStepStatus.ROLLED_BACK)
                .containsEntry("two", RunbookStepStatus.ROLLED_BACK).containsEntry("three", RunbookStepStatus.SUCCEEDED);
        assertThatThrownBy(() -> engine("op").resume(failed.id(), false)).hasMessageContaining("ROLLED_BACK");
    }

    @Test
    void planShowsPreconditionsAndChangesNothing() throws Exception {
        Runbook runbook = TestEngines.runbook("planned", """
                name: planned
                parameters:
                  db: { type: database }
                  go: { type: bool, default: "true" }
                steps:
                  - id: write
                    action: shell
                    when: params.go
                    with: { script: "echo wrote >> %1$s/log", check: [test, -f, "%1$s/log"] }
                  - id: missing-tool
                    action: shell
                    with: { command: [no-such-tool-here, x] }
                  - id: later
                    action: shell
                    when: steps.write.status == 'succeeded'
                    with: { command: [echo, "${steps.write.outputs.stdout}"] }
                """.formatted(dir));
        int executionsBefore = catalog.runbookExecutions(Optional.empty(), 100).size();

        PlanReport plan = engine("op").plan(runbook, Map.of("db", "orders-pg"));

        assertThat(plan.params()).containsExactly(Map.entry("db", "orders-pg"), Map.entry("go", "true"));
        assertThat(plan.steps()).extracting(StepPlan::decision).containsExactly("run", "run", "decided at run time");
        assertThat(plan.steps().get(0).summary()).contains("run with /bin/sh -c: echo wrote >> " + dir + "/log");
        assertThat(plan.steps().get(0).alreadyDone()).isEmpty();
        assertThat(plan.steps().get(1).preconditions()).singleElement()
                .satisfies(p -> assertThat(p.passed()).isFalse())
                .satisfies(p -> assertThat(p.detail()).isEqualTo("not found on PATH"));
        assertThat(plan.steps().get(2).note()).contains("its arguments use outputs of earlier steps; planned when they are known");
        assertThat(plan.failedPreconditions()).isEqualTo(1);
        assertThat(dir.resolve("log")).doesNotExist();
        assertThat(catalog.runbookExecutions(Optional.empty(), 100)).hasSize(executionsBefore);

        assertThatThrownBy(() -> engine("op").plan(runbook, Map.of("db", "nope", "go", "maybe", "extra", "1")))
                .isInstanceOf(DroverException.class)
                .satisfies(e -> assertThat(((DroverException) e).exitCode()).isEqualTo(2))
                .satisfies(e -> assertThat(((DroverException) e).details()).containsExactly(
                        "--param extra: runbook 'planned' has no parameter 'extra'; parameters: db, go",
                        "--param db: no database 'nope' under databases: in drover.yaml; defined: orders-pg",
                        "--param go: expected true or false, got 'maybe'"));
    }
}
