package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.repository.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Every scheduled execution the catalog recorded ({@code drover jobs runs}), with the checks the
 * scheduler must pass: each fire completed exactly once, never two executions of a job at once.
 */
public final class RunLedger {
    /** One row of {@code drover jobs runs --output json}. */
    public record Run(long id, String job, Instant scheduledAt, String node, boolean recovering, Instant startedAt,
                      Optional<Instant> finishedAt, String status, String message) {
        boolean completed() {
            return status.equals("SUCCEEDED") || status.equals("FAILED");
        }
    }

    private final List<Run> runs;

    private RunLedger(List<Run> runs) {
        this.runs = runs;
    }

    /** Reads the ledger with the CLI, in-process, from the catalog of {@code config}. */
    public static RunLedger read(Path config) {
        CliResult result = DroverWorkspace.run("--config", config.toString(), "--output", "json", "jobs", "runs",
                "--limit", "100000");
        assertThat(result.exitCode()).as("jobs runs\n%s", result).isZero();
        List<Run> runs = new ArrayList<>();
        for (JsonNode node : Json.MAPPER.readTree(result.out())) {
            runs.add(new Run(node.get("id").asLong(), node.get("job").asString(),
                    Instant.parse(node.get("scheduledAt").asString()), node.get("node").asString(),
                    node.get("recovering").asBoolean(), Instant.parse(node.get("startedAt").asString()),
                    node.get("finishedAt").isNull() ? Optional.empty() : Optional.of(Instant.parse(node.get("finishedAt").asString())),
                    node.get("status").asString(), node.get("message").isNull() ? "" : node.get("message").asString()));
        }
        runs.sort(Comparator.comparing(Run::startedAt));
        return new RunLedger(runs);
    }

    /** How many runs each job had, by status: {@code {backup:a={SUCCEEDED=12}, ...}}. */
    public Map<String, Map<String, Long>> summary() {
        return runs.stream().collect(Collectors.groupingBy(Run::job, TreeMap::new,
                Collectors.groupingBy(Run::status, TreeMap::new, Collectors.counting())));
    }

    /** One line per run, for assertion messages. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        for (Run r : runs) {
            text.append(r.id()).append(' ').append(r.job()).append(" due ").append(r.scheduledAt()).append(" on ")
                    .append(r.node()).append(r.recovering() ? " (recovering)" : "").append(' ').append(r.startedAt())
                    .append(" - ").append(r.finishedAt().map(Object::toString).orElse("...")).append(' ')
                    .append(r.status()).append('\n');
        }
        return text.toString();
    }

    public List<Run> runs() {
        return runs;
    }

    public List<Run> of(String job) {
        return runs.stream().filter(r -> r.job().equals(job)).toList();
    }

    /** Every fire of every job ended exactly once as SUCCEEDED or FAILED; none is left RUNNING. */
    public void assertEveryFireCompletedExactlyOnce() {
        assertThat(runs).as("runs still RUNNING").noneMatch(r -> r.status().equals("RUNNING"));
        Map<String, List<Run>> byFire = runs.stream().filter(Run::completed)
                .collect(Collectors.groupingBy(r -> r.job() + "@" + r.scheduledAt(), TreeMap::new, Collectors.toList()));
        byFire.forEach((fire, completed) -> assertThat(completed).as("completed executions of %s", fire).hasSize(1));
        // An interrupted execution is always followed by the recovery of the same fire.
        for (Run interrupted : runs.stream().filter(r -> r.status().equals("INTERRUPTED")).toList()) {
            assertThat(byFire).as("recovery of interrupted run %s in\n%s", interrupted, describe())
                    .containsKey(interrupted.job() + "@" + interrupted.scheduledAt());
        }
    }

    /**
     * No two executions of one job overlap in time. An interrupted execution ended when its node was
     * killed ({@code killedAt}), not when the catalog noticed.
     */
    public void assertNoOverlaps(Map<String, List<Instant>> killedAt) {
        Map<String, List<Run>> byJob = runs.stream().collect(Collectors.groupingBy(Run::job));
        byJob.forEach((job, list) -> {
            List<Run> sorted = list.stream().sorted(Comparator.comparing(Run::startedAt)).toList();
            for (int i = 1; i < sorted.size(); i++) {
                Run before = sorted.get(i - 1);
                Run after = sorted.get(i);
                Instant end = end(before, killedAt);
                assertThat(end).as("%s: run %d (%s on %s) ended before run %d (%s on %s) started", job, before.id(),
                        before.status(), before.node(), after.id(), after.status(), after.node())
                        .isBeforeOrEqualTo(after.startedAt());
            }
        });
    }

    private static Instant end(Run run, Map<String, List<Instant>> killedAt) {
        Instant recorded = run.finishedAt().orElseThrow();
        if (!run.status().equals("INTERRUPTED")) {
            return recorded;
        }
        return killedAt.getOrDefault(run.node(), List.of()).stream().filter(k -> !k.isBefore(run.startedAt()))
                .min(Instant::compareTo).orElse(recorded);
    }
}
