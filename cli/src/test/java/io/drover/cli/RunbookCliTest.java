package io.drover.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.core.repository.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drover runbook ...} through the whole CLI: list, plan, run, status, resume, rollback, approve, abort. */
class RunbookCliTest {
    @TempDir
    Path dir;

    private CliRun drover(String... args) {
        return CliRun.of(dir.resolve("drover.yaml"), args);
    }

    @BeforeEach
    void config() throws Exception {
        Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(dir.resolve("drover.yaml"), """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                runbooks: [runbooks, extra/other.yaml]
                roles:
                  dba: [alice, bob]
                """.formatted(dir));
        Files.createDirectories(dir.resolve("extra"));
        Files.writeString(dir.resolve("extra/other.yaml"), """
                name: other
                description: a runbook named in drover.yaml by file
                steps: [ { id: a, action: shell, with: { command: ["true"] } } ]
                """);
        Files.writeString(dir.resolve("runbooks/switch.yaml"), """
                name: switch
                description: |
                  Move the app to another site.
                parameters:
                  to: { type: string, description: the site }
                steps:
                  - id: prepare
                    action: shell
                    with: { script: "echo prepare-${params.to} >> %1$s/log", check: [test, -f, "%1$s/prepared"] }
                  - id: missing
                    action: shell
                    when: params.to == 'nowhere'
                    with: { command: [no-such-tool-here] }
                  - id: switch
                    action: shell
                    with:
                      script: "test -f %1$s/allow || { echo 'not allowed' >&2; exit 4; }; echo switch >> %1$s/log"
                      undo-script: "echo undo-switch >> %1$s/log"
                """.formatted(dir));
    }

    @SuppressWarnings("unchecked")
    private static <T> T json(String text) {
        return (T) Json.MAPPER.readValue(text, Object.class);
    }

    @Test
    void listShowsValidAndInvalidRunbooks() throws Exception {
        CliRun list = drover("runbook", "list");
        assertThat(list.exitCode()).as(list.all()).isZero();
        assertThat(list.out()).contains("other").contains("switch").contains("valid").contains("Move the app to another site.");

        Files.writeString(dir.resolve("runbooks/bad.yaml"), "name: bad\nsteps:\n  - id: x\n    action: teleport\n");
        CliRun invalid = drover("runbook", "list", "--output", "json");
        assertThat(invalid.exitCode()).as(invalid.all()).isEqualTo(3);
        List<Map<String, Object>> rows = json(invalid.out());
        // the configured runbooks and the ones shipped with drover, valid here too
        assertThat(rows).extracting(r -> r.get("name")).containsExactly("bad", "other", "pg-failover", "pg-switchover",
                "site-failback", "site-failover", "switch");
        assertThat(rows).filteredOn(r -> !r.get("name").equals("bad")).allSatisfy(r -> assertThat(r.get("valid")).isEqualTo(true));
        assertThat(rows).filteredOn(r -> r.get("generated").equals(true)).extracting(r -> r.get("name"))
                .containsExactly("site-failback", "site-failover");
        assertThat(rows.getFirst().get("valid")).isEqualTo(false);
        assertThat((List<String>) rows.getFirst().get("problems")).singleElement().asString()
                .endsWith("bad.yaml:4:13: steps.x.action: unknown action 'teleport'; available actions: approval,"
                        + " database-fence, database-promote, database-rejoin, database-status, database-wait-replay, haproxy-server, notify,"
                        + " restore-backup, shell, ssh, traffic-status, traffic-switch, wait-http, wait-sql, wait-tcp");

        CliRun plan = drover("runbook", "plan", "bad");
        assertThat(plan.exitCode()).isEqualTo(3);
        assertThat(plan.err()).contains("runbook 'bad' has 1 problem").contains("bad.yaml:4:13:");
    }

    @Test
    void siteFailoverIsGeneratedFromTheServicesAndItsPlanListsEveryStepDependenciesFirst() throws Exception {
        // nothing listens on port 1 or at the socket: the plan says what it cannot check, and changes nothing
        Files.writeString(dir.resolve("drover.yaml"), """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                databases:
                  payments-pg:
                    type: postgres
                    members:
                      dc1: { url: "postgresql://drover@127.0.0.1:1/payments", site: primary }
                      dr1: { url: "postgresql://drover@127.0.0.1:1/payments", site: dr }
                traffic:
                  payments-lb: { type: haproxy, socket: %1$s/no-haproxy.sock, backend: pay, servers: { dc1: p1, dr1: p2 } }
                  orders-lb: { type: haproxy, socket: %1$s/no-haproxy.sock, backend: web, servers: { dc1: o1, dr1: o2 } }
                services:
                  orders: { tier: 1, depends-on: [payments], traffic: [orders-lb] }
                  payments: { tier: 1, replicated-by: [payments-pg], traffic: [payments-lb] }
                """.formatted(dir));

        CliRun list = drover("runbook", "list");
        assertThat(list.out()).containsPattern("site-failover +generated +generated from services: in drover.yaml");

        CliRun plan = drover("runbook", "plan", "site-failover", "-p", "service=orders", "-p", "to=dr1");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        assertThat(plan.out()).contains("runbook site-failover (generated from drover.yaml services.orders)")
                .contains("parameters: service=orders, planned=false, to=dr1, catch-up-timeout=30s")
                .containsSubsequence("payments-pg-before", "payments-pg-fence", "payments-pg-catch-up",
                        "payments-pg-promote", "payments-lb-traffic", "payments-pg-after", "orders-lb-traffic", "report");
        assertThat(drover("runbook", "status", "--output", "json").out().strip()).isEqualTo("[ ]");

        CliRun noService = drover("runbook", "plan", "site-failback", "-p", "from=dr1", "-p", "to=dc1");
        assertThat(noService.exitCode()).isEqualTo(2);
        assertThat(noService.err()).contains("--param service=NAME is required").contains("services: orders, payments");
    }

    @Test
    void planShowsTheStepsAndPreconditionsAndChangesNothing() {
        CliRun plan = drover("runbook", "plan", "switch", "--param", "to=nowhere");
        assertThat(plan.exitCode()).as(plan.all()).isZero();
        assertThat(plan.out()).contains("runbook switch (").contains("parameters: to=nowhere")
                .contains("prepare").contains("run with /bin/sh -c: echo prepare-nowhere >> ")
                // after 'prepare', which changes something, so not a blocker yet
                .contains("LATER 'no-such-tool-here' can be executed: not found on PATH")
                .contains("rollback: undo of shell")
                .contains("1 precondition does not hold now but comes after steps that change things (marked LATER)")
                .doesNotContain("FAIL");
        assertThat(dir.resolve("log")).doesNotExist();

        CliRun json = drover("runbook", "plan", "switch", "-p", "to=dr", "--output", "json");
        Map<String, Object> report = json(json.out());
        assertThat(report.get("params")).isEqualTo(Map.of("to", "dr"));
        assertThat((List<Map<String, Object>>) report.get("steps")).extracting(s -> s.get("decision"))
                .containsExactly("run", "skip", "run");
        assertThat(drover("runbook", "status", "--output", "json").out().strip()).isEqualTo("[ ]");

        CliRun missing = drover("runbook", "plan", "switch");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--param to=... is required (string: the site)");
        CliRun unknown = drover("runbook", "plan", "swtich");
        assertThat(unknown.exitCode()).isEqualTo(4);
        assertThat(unknown.err()).contains("no runbook 'swtich'").contains("runbooks: other, pg-failover, pg-switchover, site-failback, site-failover, switch");
    }

    @Test
    void runFailsResumesAndRollsBack() throws Exception {
        CliRun run = drover("runbook", "run", "switch", "--param", "to=dr", "--yes");
        assertThat(run.exitCode()).as(run.all()).isEqualTo(6);
        assertThat(run.out()).contains("[prepare] running shell").contains("[missing] skipped").contains("[switch] failed");
        assertThat(run.err()).contains("execution 1 failed: switch: /bin/sh exited with 4").contains("  not allowed")
                .contains("drover runbook resume 1");
        assertThat(Files.readString(dir.resolve("log"))).isEqualTo("prepare-dr\n");

        Files.writeString(dir.resolve("allow"), "");
        Files.writeString(dir.resolve("prepared"), "");
        CliRun resume = drover("runbook", "resume", "1");
        assertThat(resume.exitCode()).as(resume.all()).isZero();
        assertThat(Files.readString(dir.resolve("log"))).isEqualTo("prepare-dr\nswitch\n");

        CliRun status = drover("runbook", "status", "1", "--output", "json");
        assertThat(status.exitCode()).as(status.all()).isZero();
        Map<String, Object> detail = json(status.out());
        assertThat(detail.get("status")).isEqualTo("SUCCEEDED");
        assertThat(detail.get("actor")).isEqualTo(System.getProperty("user.name"));
        assertThat((List<Map<String, Object>>) detail.get("steps")).extracting(s -> s.get("id") + " " + s.get("status"))
                .containsExactly("prepare SUCCEEDED", "missing SKIPPED", "switch SUCCEEDED");
        assertThat(drover("runbook", "status").out()).contains("switch").contains("SUCCEEDED");

        assertThat(drover("runbook", "resume", "1").exitCode()).isEqualTo(7);
        assertThat(drover("runbook", "abort", "1").exitCode()).isEqualTo(7);
        assertThat(drover("runbook", "status", "99").exitCode()).isEqualTo(4);

        CliRun rollback = drover("runbook", "rollback", "1");
        assertThat(rollback.exitCode()).as(rollback.all()).isZero();
        assertThat(rollback.out()).contains("not undone (no rollback: and no undo): prepare");
        assertThat(Files.readString(dir.resolve("log"))).isEqualTo("prepare-dr\nswitch\nundo-switch\n");
    }

    @Test
    void approvalWaitsForAPermittedUser() throws Exception {
        Files.writeString(dir.resolve("runbooks/gated.yaml"), """
                name: gated
                steps:
                  - id: ask
                    action: approval
                    with: { role: dba }
                  - id: act
                    action: shell
                    with: { script: "echo acted >> %1$s/log" }
                """.formatted(dir));
        String realUser = System.getProperty("user.name");
        try {
            System.setProperty("user.name", "carol");
            CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> drover("runbook", "run", "gated", "--yes"));
            await().atMost(Duration.ofSeconds(30)).until(() -> drover("runbook", "status", "--output", "json").out()
                    .contains("WAITING_APPROVAL"));
            long id = ((Number) ((List<Map<String, Object>>) json(drover("runbook", "status", "--output", "json").out()))
                    .getFirst().get("execution")).longValue();

            System.setProperty("user.name", "mallory");
            CliRun refused = drover("runbook", "approve", Long.toString(id), "--step", "ask");
            assertThat(refused.exitCode()).isEqualTo(7);
            assertThat(refused.err()).contains("mallory may not approve step 'ask': it needs role dba, whose members are"
                    + " alice, bob").contains("hint: ask one of them, or add mallory to roles.dba in drover.yaml");
            assertThat(run).isNotDone();
            assertThat(dir.resolve("log")).doesNotExist();

            System.setProperty("user.name", "alice");
            CliRun approved = drover("runbook", "approve", Long.toString(id), "--step", "ask", "--as", "dba");
            assertThat(approved.exitCode()).as(approved.all()).isZero();
            assertThat(approved.out()).contains("approved step ask of execution " + id + " as dba (alice)");
            CliRun finished = run.get(30, TimeUnit.SECONDS);
            assertThat(finished.exitCode()).as(finished.all()).isZero();
            assertThat(finished.out()).contains("waiting for approval by role dba (alice, bob): drover runbook approve " + id
                    + " --step ask").contains("approved by alice as dba");
            assertThat(Files.readString(dir.resolve("log"))).isEqualTo("acted\n");
            Map<String, Object> detail = json(drover("runbook", "status", Long.toString(id), "--output", "json").out());
            assertThat((List<Map<String, Object>>) detail.get("approvals")).singleElement()
                    .satisfies(a -> assertThat(a.get("approvedBy")).isEqualTo("alice"));
            assertThat(detail.get("actor")).isEqualTo("carol");
        } finally {
            System.setProperty("user.name", realUser);
        }
    }
}
