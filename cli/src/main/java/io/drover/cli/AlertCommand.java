package io.drover.cli;

import io.drover.core.alert.AlertDispatcher;
import io.drover.core.alert.Alerts;
import io.drover.core.catalog.AlertOutcome;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.error.ErrorType;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code drover alert}: the alert channels. */
@Command(name = "alert", mixinStandardHelpOptions = true, description = "Work with the alert channels.",
        subcommands = AlertCommand.Test.class)
final class AlertCommand {

    /** {@code drover alert test}: send a test alert through every configured channel. */
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Send a test alert through every channel under alerts: and report each result.",
                "Exit code 6 if any channel failed."})
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (CliContext ctx = CliContext.of(spec)) {
                if (!ctx.config().alerts().anyChannel()) {
                    throw new DroverException(DroverErrors.CONFIG_INVALID, "no alert channels in " + ctx.config().file(),
                            "add alerts: { webhook: { url: ... } }, slack: { url: ${env:SLACK_WEBHOOK_URL} } or"
                            + " email: { smtp: { host: ... }, from: ..., to: [...] }", List.of(), null);
                }
                AlertDispatcher alerts = ctx.runtime().rpoMonitor().alerts();
                var deliveries = alerts.dispatch(Alerts.test(ctx.actor(), ctx.runtime().clock().instant()));
                if (ctx.json()) {
                    ctx.printJson(deliveries.stream().map(d -> java.util.Map.of("channel", d.channel(),
                            "outcome", d.outcome().name(), "detail", d.detail().orElse(""))).toList());
                } else {
                    for (var d : deliveries) {
                        ctx.out().printf("%-8s %s%s%n", d.channel(), d.outcome() == AlertOutcome.SENT ? "sent"
                                : d.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                                d.detail().map(x -> ": " + x).orElse(""));
                    }
                }
                boolean failed = deliveries.stream().anyMatch(d -> d.outcome() != AlertOutcome.SENT);
                return failed ? ErrorType.EXTERNAL.exitCode() : 0;
            }
        }
    }
}
