package io.drover.cli;

import io.drover.core.rpo.BiaFinding;
import io.drover.core.rpo.BiaReview;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code drover config}: check the configuration. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Check the configuration.",
        subcommands = ConfigCommand.Validate.class)
final class ConfigCommand {

    /** {@code drover config validate}: load and check drover.yaml without running anything. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check drover.yaml without running anything: every problem is reported with line and column.",
                "Then reviews the BIA: services nothing protects, RPO targets the schedules cannot meet,"
                + " verification levels no job reaches (warnings; --strict makes them fail)."})
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Option(names = "--strict", description = "Exit with code 3 when the BIA review finds anything.")
        boolean strict;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.of(spec)) {
                var config = ctx.config();
                List<BiaFinding> findings = BiaReview.review(config, Instant.now());
                if (ctx.json()) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("file", config.file().toString());
                    json.put("valid", true);
                    json.put("targets", config.targets().keySet());
                    json.put("sources", config.sources().keySet());
                    json.put("jobs", config.jobs().keySet());
                    json.put("services", config.services().keySet());
                    json.put("warnings", findings);
                    ctx.printJson(json);
                } else {
                    ctx.out().printf("%s is valid: %d targets, %d sources, %d jobs, %d services%n", config.file(),
                            config.targets().size(), config.sources().size(), config.jobs().size(), config.services().size());
                    for (BiaFinding finding : findings) {
                        ctx.out().println("warning: " + finding.message());
                    }
                }
                return strict && !findings.isEmpty() ? io.drover.core.error.ErrorType.CONFIG.exitCode() : 0;
            }
        }
    }
}
