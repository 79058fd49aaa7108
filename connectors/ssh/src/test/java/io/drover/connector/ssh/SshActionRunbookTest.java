package io.drover.connector.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.catalog.RunbookExecutionStatus;
import io.drover.core.catalog.RunbookStepRecord;
import io.drover.core.spi.action.Precondition;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.engine.ExecutionResult;
import io.drover.runbook.engine.PlanReport;
import io.drover.runbook.engine.RunbookEngine;
import io.drover.runbook.model.Runbook;
import io.drover.runbook.parse.RunbookParser;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** A runbook with {@code action: ssh} steps, parsed, planned, run and rolled back by the engine against a real sshd. */
class SshActionRunbookTest {
    @TempDir
    Path dir;

    private TestingOpenSshServer server;
    private Catalog catalog;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestingOpenSshServer.start(Files.createDirectories(dir.resolve("sshd")));
        catalog = Catalog.open(CatalogSettings.embedded(dir.resolve("state")));
    }

    @AfterEach
    void stop() {
        if (catalog != null) {
            catalog.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private String runbookText(Path flag) throws Exception {
        String login = """
                      host: 127.0.0.1
                      port: %d
                      user: %s
                      private-key: "${file:%s}"
                      known-hosts: %s
                """.formatted(server.port(), server.user(), server.clientKey(), server.knownHosts());
        return """
                name: remote-flag
                parameters:
                  flag: { type: string, default: "%s" }
                steps:
                  - id: raise
                    action: ssh
                    with:
                %s      command: [touch, "${params.flag}"]
                      check: [test, -e, "${params.flag}"]
                      undo: [rm, "${params.flag}"]
                      timeout: 10s
                  - id: read
                    action: ssh
                    with:
                %s      script: "ls '%s' >/dev/null && echo '::output seen=yes'"
                """.formatted(flag, login, login, flag);
    }

    private RunbookEngine engine() {
        return new RunbookEngine(catalog, ActionRegistry.discover(), new io.drover.core.testing.TestActionServices(), Clock.systemUTC(), dir.resolve("state"),
                Map.of(), Optional.empty(), System::getenv, lines::add, "op", Duration.ofMillis(50));
    }

    private Runbook runbook(Path flag) throws Exception {
        RunbookParser.Result result = new RunbookParser(ActionRegistry.discover(), Optional.of(Set.<String>of()), System::getenv)
                .parse(Path.of("remote-flag.yaml"), "remote-flag.yaml", runbookText(flag), Optional.of("remote-flag"));
        assertThat(result.problems()).isEmpty();
        return result.runbook().orElseThrow();
    }

    @Test
    void theEnginePlansRunsAndRollsBackRemoteSteps() throws Exception {
        Path flag = dir.resolve("flag");
        Runbook runbook = runbook(flag);

        PlanReport plan = engine().plan(runbook, Map.of());
        assertThat(flag).doesNotExist();
        assertThat(plan.steps().getFirst().summary()).hasValue("run on ssh://" + server.user() + "@127.0.0.1:"
                + server.port() + ": touch " + flag);
        assertThat(plan.steps()).allSatisfy(step -> assertThat(step.preconditions()).allMatch(Precondition::passed));

        ExecutionResult run = engine().run(runbook, Map.of());
        assertThat(run.status()).as(run.message().orElse("") + " " + run.details()).isEqualTo(RunbookExecutionStatus.SUCCEEDED);
        assertThat(flag).exists();
        RunbookStepRecord read = catalog.runbookSteps(run.id()).stream().filter(s -> s.stepId().equals("read"))
                .findFirst().orElseThrow();
        assertThat(read.outputs()).contains("\"seen\"").contains("\"yes\"");

        ExecutionResult rollback = engine().rollback(run.id(), false);
        assertThat(rollback.status()).as(rollback.message().orElse("")).isEqualTo(RunbookExecutionStatus.ROLLED_BACK);
        assertThat(flag).doesNotExist();
        assertThat(lines).noneMatch(line -> line.contains("PRIVATE KEY"));
    }

    @Test
    void aStepWithoutHostIsRejectedWhenTheRunbookIsLoaded() {
        RunbookParser.Result result = new RunbookParser(ActionRegistry.discover(), Optional.of(Set.<String>of()), System::getenv)
                .parse(Path.of("bad.yaml"), "bad.yaml", """
                        name: bad
                        steps:
                          - id: stop
                            action: ssh
                            with: { user: deploy, port: 0, command: [true], script: "true" }
                        """, Optional.of("bad"));

        assertThat(result.runbook()).isEmpty();
        assertThat(result.problems().toString()).contains("host");
    }
}
