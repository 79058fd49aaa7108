package io.drover.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.catalog.RunbookExecutionRecord;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.catalog.RunbookStepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runbook killed with SIGKILL in the middle of a step, in another JVM, then resumed here: the
 * steps done before are not repeated, the interrupted one is checked again and re-run because it
 * was not done, and the rest runs.
 */
class ResumeAfterKillTest {
    @TempDir
    Path dir;

    @Test
    void resumesARunbookKilledMidStepWithoutRepeatingDoneSteps() throws Exception {
        Path state = dir.resolve("state");
        Path log = dir.resolve("log");
        Path runbook = dir.resolve("killed.yaml");
        // 'slow' appends "slow-start", then sleeps the first time only (the marker), then "slow".
        // Its check looks for "slow", so the interrupted attempt (killed while sleeping) is not done.
        Files.writeString(runbook, """
                name: killed
                steps:
                  - id: first
                    action: shell
                    with: { script: "echo first >> %1$s/log", check: [grep, -qx, first, "%1$s/log"] }
                  - id: slow
                    action: shell
                    with:
                      script: "echo slow-start >> %1$s/log; if [ ! -f %1$s/slept ]; then touch %1$s/slept; sleep 60; fi; echo slow >> %1$s/log"
                      check: [grep, -qx, slow, "%1$s/log"]
                  - id: last
                    action: shell
                    with: { script: "echo last >> %1$s/log", check: [grep, -qx, last, "%1$s/log"] }
                """.formatted(dir));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RunbookChildProcess.class.getName(), state.toString(), runbook.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("slept")) || !child.isAlive());
            assertThat(child.isAlive()).as(Files.readString(dir.resolve("child.out"))).isTrue();
            // SIGKILL: no shutdown hooks, no journal update. The shell and its sleep go too, like
            // everything in a killed service's cgroup.
            List<ProcessHandle> descendants = new ArrayList<>(child.descendants().toList());
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            descendants.forEach(ProcessHandle::destroyForcibly);
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(Files.readString(log)).isEqualTo("first\nslow-start\n");

        try (Catalog catalog = Catalog.open(CatalogSettings.embedded(state))) {
            RunbookExecutionRecord crashed = catalog.runbookExecutions(Optional.empty(), 1).getFirst();
            assertThat(crashed.status()).isEqualTo(RunbookExecutionStatus.RUNNING);
            assertThat(crashed.owner()).isPresent();
            assertThat(statuses(catalog, crashed.id())).containsExactly(Map.entry("first", RunbookStepStatus.SUCCEEDED),
                    Map.entry("slow", RunbookStepStatus.RUNNING), Map.entry("last", RunbookStepStatus.PENDING));

            List<String> lines = new ArrayList<>();
            RunbookEngine engine = TestEngines.engine(catalog, state, "parent", lines::add, new TestEngines.RecordingServices());
            ExecutionResult resumed = engine.resume(crashed.id(), false);

            assertThat(resumed.status()).as(String.join("\n", lines)).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
            // first: not repeated; slow: checked (not done), run again; last: run once.
            assertThat(Files.readString(log)).isEqualTo("first\nslow-start\nslow-start\nslow\nlast\n");
            List<RunbookStepRecord> steps = catalog.runbookSteps(crashed.id());
            assertThat(steps).extracting(RunbookStepRecord::status).containsOnly(RunbookStepStatus.SUCCEEDED);
            assertThat(steps).filteredOn(s -> s.stepId().equals("slow")).singleElement()
                    .satisfies(s -> assertThat(s.attempts()).isEqualTo(2));
            assertThat(lines).anyMatch(l -> l.contains("resumed by parent (was RUNNING); done before: first"));
            assertThat(catalog.auditEvents(50)).extracting(e -> e.actor() + " " + e.action())
                    .contains("child runbook.run", "parent runbook.resume", "parent runbook.finish");
        }
    }

    private static Map<String, RunbookStepStatus> statuses(Catalog catalog, long id) {
        return catalog.runbookSteps(id).stream().collect(Collectors.toMap(RunbookStepRecord::stepId, RunbookStepRecord::status,
                (a, b) -> a, java.util.LinkedHashMap::new));
    }
}
