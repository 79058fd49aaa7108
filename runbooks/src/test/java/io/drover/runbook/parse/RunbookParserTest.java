package io.drover.runbook.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.config.ConfigProblemReport;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.model.ParamType;
import io.drover.runbook.model.Runbook;
import io.drover.runbook.model.Step;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunbookParserTest {
    private static final Path FILE = Path.of("switch.yaml");
    private final RunbookParser parser = new RunbookParser(ActionRegistry.discover(), Optional.of(Set.of("dba")),
            Map.of("TOKEN", "t0k3n")::get);

    private RunbookParser.Result parse(String text) {
        return parser.parse(FILE, FILE.toString(), text, Optional.of("switch"));
    }

    @Test
    void readsAFullRunbook() {
        RunbookParser.Result result = parse("""
                name: switch
                description: move traffic to the standby
                parameters:
                  to: { type: string, description: the member to promote }
                  max-lag: { type: duration, default: 10s }
                  force: { type: bool, default: "false" }
                  db: { type: database, required: false }
                steps:
                  - id: announce
                    action: notify
                    with: { message: "switching to ${params.to}" }
                  - parallel:
                      - id: web
                        action: wait-tcp
                        with: { host: localhost, port: 8080, timeout: 5s }
                      - id: api
                        action: wait-http
                        with: { url: "http://localhost:8081/health" }
                  - id: gate
                    action: approval
                    with: { role: dba, timeout: 1h }
                  - id: promote
                    action: shell
                    when: params.force || steps.web.status == 'succeeded'
                    timeout: 2m
                    retries: 2
                    retry-delay: 1s
                    approval: { role: dba }
                    with:
                      command: [echo, "${params.to}", "${steps.announce.outputs.deliveries}"]
                      env: { TOKEN: "${env:TOKEN}" }
                    rollback:
                      action: shell
                      with: { command: [echo, "undo ${steps.promote.outputs.stdout}"] }
                """);
        assertThat(result.problems()).isEmpty();
        Runbook runbook = result.runbook().orElseThrow();
        assertThat(runbook.name()).isEqualTo("switch");
        assertThat(runbook.parameters().keySet()).containsExactly("to", "max-lag", "force", "db");
        assertThat(runbook.parameters().get("to").required()).isTrue();
        assertThat(runbook.parameters().get("db").required()).isFalse();
        assertThat(runbook.parameters().get("max-lag").type()).isEqualTo(ParamType.DURATION);
        assertThat(runbook.stages()).hasSize(4);
        assertThat(runbook.stages().get(1).parallel()).isTrue();
        assertThat(runbook.steps()).extracting(Step::id).containsExactly("announce", "web", "api", "gate", "promote");
        Step gate = runbook.step("gate").orElseThrow();
        assertThat(gate.approval().orElseThrow().role()).isEqualTo("dba");
        assertThat(gate.approval().orElseThrow().timeout()).contains(Duration.ofHours(1));
        Step promote = runbook.step("promote").orElseThrow();
        assertThat(promote.timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(promote.retries()).isEqualTo(2);
        assertThat(promote.retryDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(promote.when().orElseThrow().text()).isEqualTo("params.force || steps.web.status == 'succeeded'");
        assertThat(promote.rollback().orElseThrow().action()).isEqualTo("shell");
        assertThat(runbook.step("announce").orElseThrow().timeout()).isEqualTo(RunbookParser.DEFAULT_TIMEOUT);
    }

    @Test
    void reportsEveryProblemWithLineAndColumn() {
        RunbookParser.Result result = parse("""
                name: other
                descripton: typo
                parameters:
                  count: { type: int, default: many }
                  mode: { type: enum }
                steps:
                  - id: first
                    action: shel
                  - id: second
                    action: shell
                    with: { command: [echo, "${steps.third.outputs.x}"], comand: [x] }
                  - id: third
                    action: shell
                    when: params.count >> 2
                    with: { command: [echo, "${params.cnt}"] }
                    approval: { role: root }
                  - id: third
                    action: wait-tcp
                    retries: -1
                    with: { host: db, port: 70000 }
                  - parallel:
                      - id: a
                        action: shell
                        with: { command: [echo, "${steps.b.outputs.x}"] }
                      - id: b
                        action: shell
                        with: { script: "true", command: [x] }
                """);
        assertThat(result.runbook()).isEmpty();
        assertThat(result.problems()).map(ConfigProblemReport::toString).containsExactly(
                "switch.yaml:1:7: name: the runbook is named 'other' but its file is switch.yaml; name the file after the runbook",
                "switch.yaml:2:1: descripton: unknown key 'descripton' at the top level; valid keys: description, name,"
                        + " parameters, steps (did you mean 'description'?)",
                "switch.yaml:4:32: parameters.count.default: expected a whole number, got 'many'",
                "switch.yaml:5:17: parameters.mode.type: expected one of string, int, duration, bool, database, traffic"
                        + " for 'type', got 'enum'",
                "switch.yaml:8:13: steps.first.action: unknown action 'shel'; available actions: approval, database-fence,"
                        + " database-promote, database-rejoin, database-status, database-wait-replay, notify, restore-backup, shell,"
                        + " traffic-status, traffic-switch, wait-http, wait-sql, wait-tcp (did you mean 'shell'?)",
                "switch.yaml:11:29: steps.second.with.command[1]: ${steps.third.outputs.x}: step 'third' does not run"
                        + " before this one (a later step or the same parallel group)",
                "switch.yaml:14:25: steps.third.when: invalid condition: unexpected '>'; expected a value, a reference or '('",
                "switch.yaml:15:29: steps.third.with.command[1]: ${params.cnt}: no parameter 'cnt'; parameters: count, mode"
                        + " (did you mean 'count'?)",
                "switch.yaml:16:23: steps.third.approval.role: role 'root' is not defined under roles: in drover.yaml;"
                        + " defined roles: dba",
                "switch.yaml:17:9: steps[3].id: duplicate step id 'third'",
                "switch.yaml:19:14: steps.third.retries: retries must be between 0 and 100, got -1",
                "switch.yaml:20:23: steps.third.with.port: port must be between 1 and 65535, got 70000",
                "switch.yaml:24:33: steps.a.with.command[1]: ${steps.b.outputs.x}: step 'b' does not run before this one"
                        + " (a later step or the same parallel group)",
                "switch.yaml:27:17: steps.b.with.script: give either 'command' or 'script', not both");
    }

    @Test
    void checksKeysOfArgumentsThatUseReferences() {
        RunbookParser.Result result = parse("""
                name: switch
                parameters: { to: { type: string } }
                steps:
                  - id: a
                    action: shell
                    with: { comand: ["${params.to}"] }
                """);
        assertThat(result.problems()).map(ConfigProblemReport::toString).singleElement().asString()
                .startsWith("switch.yaml:6:13: steps.a.with.comand: unknown key 'comand' in steps.a.with; valid keys:")
                .contains("(did you mean 'command'?)");
    }

    @Test
    void aRunbookNeedsANameAndSteps() {
        assertThat(parse("description: nothing\n").problems()).map(ConfigProblemReport::toString).containsExactly(
                "switch.yaml:1:1: name: missing required key 'name'",
                "switch.yaml:1:1: steps: missing required key 'steps': a runbook needs at least one step");
        assertThat(parse("name: switch\nsteps: [\n").problems()).singleElement().asString().contains("YAML syntax error");
    }

    @Test
    void libraryFindsConfiguredRunbooksAndNamesThemByFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("hello.yaml"), "name: hello\nsteps: [ { id: a, action: shell, with: { command: [\"true\"] } } ]\n");
        java.nio.file.Files.writeString(dir.resolve("broken.yml"), "name: broken\nsteps: [ { id: a, action: nope } ]\n");
        java.nio.file.Files.writeString(dir.resolve("notes.txt"), "not a runbook");
        RunbookLibrary library = new RunbookLibrary(List.of(dir), getClass().getClassLoader(), parser);
        assertThat(library.find().values().stream().filter(f -> !f.shipped()).map(RunbookLibrary.Found::name))
                .containsExactly("broken", "hello");
        assertThat(library.load("hello").steps()).hasSize(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> library.load("broken"))
                .isInstanceOf(io.drover.core.error.DroverException.class)
                .hasMessage("runbook 'broken' has 1 problem")
                .satisfies(e -> assertThat(((io.drover.core.error.DroverException) e).details()).singleElement().asString()
                        .contains("broken.yml:2:27: steps.a.action: unknown action 'nope'"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> library.load("missing"))
                .hasMessage("no runbook 'missing'")
                .satisfies(e -> assertThat(((io.drover.core.error.DroverException) e).exitCode()).isEqualTo(4));
    }
}
