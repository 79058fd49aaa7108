package io.drover.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.RecoveryPointQuery;
import io.drover.core.catalog.RecoveryPointRecord;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.DataSize;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code drover backup list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List recovery points, newest first.")
final class BackupListCommand implements Callable<Integer> {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Option(names = "--service", paramLabel = "SERVICE", description = "Only backups of jobs that protect this service.")
    String service;

    @Option(names = "--job", paramLabel = "JOB", description = "Only backups of this job.")
    String job;

    @Option(names = "--target", paramLabel = "TARGET", description = "Only backups with a copy on this target.")
    String target;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        try (CliContext ctx = CliContext.of(spec)) {
            List<String> jobs = jobsToList(ctx);
            Catalog catalog = ctx.runtime().catalog();
            List<RecoveryPointRecord> points = new ArrayList<>();
            for (String j : jobs) {
                points.addAll(catalog.listRecoveryPoints(new RecoveryPointQuery(Optional.ofNullable(j), Optional.empty(),
                        Optional.ofNullable(target), limit)));
            }
            points.sort(Comparator.comparing(RecoveryPointRecord::capturedAt).reversed());
            if (points.size() > limit) {
                points = points.subList(0, limit);
            }
            List<RecoveryPointView> views = points.stream().map(p -> RecoveryPointView.of(p, catalog.copies(p.id()))).toList();
            if (ctx.json()) {
                ctx.printJson(views);
                return 0;
            }
            if (views.isEmpty()) {
                ctx.out().println("no backups yet" + (service != null ? " of service " + service : "")
                        + " (run 'drover backup run JOB')");
                return 0;
            }
            ctx.out().println(AsciiTable.getTable(AsciiTable.NO_BORDERS, views, List.of(
                    new Column().header("ID").dataAlign(HorizontalAlign.LEFT).with(RecoveryPointView::id),
                    new Column().header("JOB").dataAlign(HorizontalAlign.LEFT).with(RecoveryPointView::job),
                    new Column().header("KIND").dataAlign(HorizontalAlign.LEFT).with(v -> v.kind().toLowerCase(java.util.Locale.ROOT)),
                    new Column().header("CAPTURED").dataAlign(HorizontalAlign.LEFT).with(v -> TIME.format(v.capturedAt())),
                    new Column().header("FILES").dataAlign(HorizontalAlign.RIGHT).with(v -> Long.toString(v.files())),
                    new Column().header("SIZE").dataAlign(HorizontalAlign.RIGHT).with(v -> DataSize.format(v.plainBytes())),
                    new Column().header("STORED").dataAlign(HorizontalAlign.RIGHT).with(v -> DataSize.format(v.storedBytes())),
                    new Column().header("VERIFIED").dataAlign(HorizontalAlign.LEFT).with(v -> v.verification().toLowerCase(java.util.Locale.ROOT)),
                    new Column().header("TARGETS").dataAlign(HorizontalAlign.LEFT).with(v -> String.join(",",
                            v.copies().stream().map(RecoveryPointView.CopyView::target).toList())))));
            return 0;
        }
    }

    private List<String> jobsToList(CliContext ctx) {
        if (service == null) {
            List<String> one = new ArrayList<>();
            one.add(job);
            return one;
        }
        var serviceConfig = ctx.config().services().get(service);
        if (serviceConfig == null) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "no service '" + service + "' in " + ctx.config().file(),
                    "services defined: " + String.join(", ", ctx.config().services().keySet()), List.of(), null);
        }
        return serviceConfig.protectedBy().stream().filter(j -> job == null || j.equals(job)).toList();
    }
}
