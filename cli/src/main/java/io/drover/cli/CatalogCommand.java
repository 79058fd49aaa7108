package io.drover.cli;

import io.drover.core.app.CatalogRebuildService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code drover catalog}: maintain the catalog. */
@Command(name = "catalog", mixinStandardHelpOptions = true, description = "Maintain the catalog (an index of the repositories).",
        subcommands = CatalogCommand.Rebuild.class)
final class CatalogCommand {

    /** {@code drover catalog rebuild}. */
    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = {"Recreate the catalog's recovery points from the manifests in every configured target.",
                "The repositories are the source of truth; verification history is kept."})
    static final class Rebuild implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.of(spec)) {
                var results = new CatalogRebuildService(ctx.runtime()).rebuild(ctx.actor());
                if (ctx.json()) {
                    ctx.printJson(results);
                } else {
                    for (var r : results) {
                        ctx.out().printf("%-12s %d recovery points%n", r.target(), r.recoveryPoints());
                        r.problems().forEach(p -> ctx.out().println("    problem: " + p));
                    }
                }
                boolean problems = results.stream().anyMatch(r -> !r.problems().isEmpty());
                return problems ? io.drover.core.error.ErrorType.INTEGRITY.exitCode() : 0;
            }
        }
    }
}
