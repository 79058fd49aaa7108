package io.drover.runbook.action;

import io.drover.core.spi.Default;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFactory;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import io.drover.core.spi.action.ActionServices;
import io.drover.core.spi.action.Precondition;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code action: notify}: tells people through the alert channels of drover.yaml. Keyed by
 * execution and step, so a resumed step does not notify twice within the dedupe window. Without an
 * alert channel the step fails, unless {@code optional: true} (a shipped runbook's report must not
 * fail a failover where nobody configured alerts): then the message goes only to the step's log and
 * the journal.
 */
public final class NotifyAction implements Action {
    private final Config config;

    NotifyAction(Config config) {
        this.config = config;
    }

    /** The {@code with:} of a notify step. */
    public record Config(String message, Optional<String> title, @Default("info") ActionServices.Severity severity,
                         @Default("false") boolean optional) {
    }

    /** Finds {@code action: notify}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "notify";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "send a message through the configured alert channels";
        }

        @Override
        public Action create(Config config) {
            return new NotifyAction(config);
        }
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.noneOf(ActionCapability.class);
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        List<String> channels = context.services().alertChannels();
        String name = "an alert channel is configured";
        Precondition configured = !channels.isEmpty() ? Precondition.passed(name, String.join(", ", channels))
                : config.optional() ? Precondition.passed(name + " (optional)", "none: the message goes only to the log and the journal")
                : Precondition.failed(name, "no alerts: channel in drover.yaml; nobody would hear it");
        return ActionPlan.of("notify (" + config.severity().name().toLowerCase(java.util.Locale.ROOT) + "): "
                + config.message(), configured);
    }

    @Override
    public ActionOutputs run(ActionContext context) {
        String title = config.title().orElse(context.runbook() + " (execution " + context.executionId() + "): "
                + context.stepId());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("runbook", context.runbook());
        fields.put("execution", context.executionId());
        fields.put("step", context.stepId());
        if (context.services().alertChannels().isEmpty()) {
            context.log().accept("no alert channel; the message: " + title + ": " + config.message());
            return ActionOutputs.of(Map.of("deliveries", "none (no alert channel)", "message", config.message()));
        }
        List<String> deliveries = context.services().notify("runbook:" + context.executionId() + ":" + context.stepId(),
                config.severity(), title, config.message(), fields);
        deliveries.forEach(d -> context.log().accept("notified " + d));
        return ActionOutputs.of(Map.of("deliveries", String.join(", ", deliveries)));
    }
}
