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
 * execution and step, so a resumed step does not notify twice within the dedupe window.
 */
public final class NotifyAction implements Action {
    private final Config config;

    NotifyAction(Config config) {
        this.config = config;
    }

    /** The {@code with:} of a notify step. */
    public record Config(String message, Optional<String> title, @Default("info") ActionServices.Severity severity) {
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
        Precondition configured = channels.isEmpty()
                ? Precondition.failed("an alert channel is configured", "no alerts: channel in drover.yaml; nobody would hear it")
                : Precondition.passed("an alert channel is configured", String.join(", ", channels));
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
        List<String> deliveries = context.services().notify("runbook:" + context.executionId() + ":" + context.stepId(),
                config.severity(), title, config.message(), fields);
        deliveries.forEach(d -> context.log().accept("notified " + d));
        return ActionOutputs.of(Map.of("deliveries", String.join(", ", deliveries)));
    }
}
