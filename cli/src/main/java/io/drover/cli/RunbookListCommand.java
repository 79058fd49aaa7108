package io.drover.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.drover.core.config.ConfigProblemReport;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.parse.RunbookLibrary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code drover runbook list}: every runbook found, valid or not. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List the runbooks found: the runbooks: entries of drover.yaml, then those shipped with drover,",
            "including site-failover and site-failback, generated from services: when planned or run.",
            "Invalid runbooks are listed with their problems. Exit code 3 if any is invalid."})
final class RunbookListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** One row; a generated runbook is written from drover.yaml when planned or run, so it has no problems to list here. */
    record Row(String name, String source, boolean shipped, boolean generated, String description, List<String> problems) {
    }

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            ActionRegistry actions = Runbooks.actions();
            RunbookLibrary library = Runbooks.library(ctx, actions);
            List<Row> rows = new ArrayList<>();
            List<RunbookLibrary.Generatable> generatable = library.generatable();
            Set<String> generated = generatable.stream().map(RunbookLibrary.Generatable::name).collect(Collectors.toSet());
            for (RunbookLibrary.Found found : library.find().values()) {
                if (found.shipped() && generated.contains(found.name())) {
                    continue;
                }
                List<ConfigProblemReport> problems = library.validate(found);
                String description = problems.isEmpty() ? library.parse(found).description().strip().lines().findFirst()
                        .orElse("") : "";
                rows.add(new Row(found.name(), found.source(), found.shipped(), false, description,
                        problems.stream().map(ConfigProblemReport::toString).toList()));
            }
            generatable.forEach(g -> rows.add(new Row(g.name(), g.origin(), true, true, g.description(), List.of())));
            rows.sort(Comparator.comparing(Row::name));
            if (ctx.json()) {
                ctx.printJson(rows.stream().map(r -> {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("name", r.name());
                    json.put("source", r.source());
                    json.put("shipped", r.shipped());
                    json.put("generated", r.generated());
                    json.put("valid", r.problems().isEmpty());
                    json.put("description", r.description());
                    json.put("problems", r.problems());
                    return json;
                }).toList());
            } else if (rows.isEmpty()) {
                ctx.out().println("no runbooks: list directories or files under runbooks: in " + ctx.config().file());
            } else {
                ctx.out().println(AsciiTable.getTable(AsciiTable.NO_BORDERS, rows, List.of(
                        new Column().header("NAME").dataAlign(HorizontalAlign.LEFT).with(Row::name),
                        new Column().header("STATE").dataAlign(HorizontalAlign.LEFT).with(r -> r.generated() ? "generated" : r.problems().isEmpty() ? "valid"
                                : r.problems().size() + " problem" + (r.problems().size() == 1 ? "" : "s")),
                        new Column().header("SOURCE").dataAlign(HorizontalAlign.LEFT).with(Row::source),
                        new Column().header("DESCRIPTION").dataAlign(HorizontalAlign.LEFT).with(Row::description))));
                rows.forEach(r -> r.problems().forEach(p -> ctx.out().println("  " + p)));
            }
            return rows.stream().anyMatch(r -> !r.problems().isEmpty()) ? 3 : 0;
        }
    }
}
