package io.drover.runbook.action;

import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFactory;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code action: approval}: a step that is only a gate. The engine pauses the execution before it
 * until someone in {@code role} runs {@code drover runbook approve}; the step itself does nothing.
 * Any other step can carry the same gate with {@code approval: { role: ... }}.
 */
public final class ApprovalAction implements Action {
    private final Config config;

    ApprovalAction(Config config) {
        this.config = config;
    }

    /**
     * The {@code with:} of an approval step.
     *
     * @param timeout how long to wait for the approval; absent waits until approved or aborted
     */
    public record Config(String role, Optional<Duration> timeout) {
    }

    /** Finds {@code action: approval}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "approval";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "pause until a person in a role approves (drover runbook approve)";
        }

        @Override
        public Action create(Config config) {
            return new ApprovalAction(config);
        }
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.noneOf(ActionCapability.class);
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        return ActionPlan.of("wait for approval by role " + config.role());
    }

    @Override
    public ActionOutputs run(ActionContext context) {
        return ActionOutputs.NONE;
    }
}
