package io.drover.runbook.action;

import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFactory;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import io.drover.core.spi.action.Precondition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code action: database-status}: reads every member of a database. Outputs, per member {@code M}:
 * {@code M-reachable}, {@code M-role} ({@code primary}, {@code standby}, {@code unknown}),
 * {@code M-writable}, {@code M-fenced}, {@code M-lsn} (a primary's current position, else its
 * replayed one, empty when unknown) and {@code M-detail}; and {@code primary}, the writable primary
 * (empty when there is none, comma-separated when there are several).
 */
public final class DatabaseStatusAction implements Action {
    private final Config config;

    DatabaseStatusAction(Config config) {
        this.config = config;
    }

    /** The {@code with:} of a database-status step. */
    public record Config(String database) {
    }

    /** Finds {@code action: database-status}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "database-status";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "read the role, writability and position of every member of a database";
        }

        @Override
        public Action create(Config config) {
            return new DatabaseStatusAction(config);
        }
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.noneOf(ActionCapability.class);
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            // Each member's state as it is now, so that the plan shows the operator what the runbook starts from.
            List<Precondition> states = new ArrayList<>();
            states.add(Precondition.passed("database " + config.database() + " can fail over", db.database.describe()));
            for (String member : db.database.sites().keySet()) {
                states.add(Precondition.passed(member + " now", db.failover.status(member).detail()));
            }
            return new ActionPlan("read the state of " + String.join(", ", db.database.sites().keySet()) + " of "
                    + config.database(), states, java.util.Optional.empty());
        }
    }

    @Override
    public ActionOutputs run(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            Map<String, String> outputs = new LinkedHashMap<>();
            List<String> primaries = new ArrayList<>();
            for (String member : db.database.sites().keySet()) {
                DatabaseFailover.MemberStatus status = db.failover.status(member);
                outputs.put(member + "-reachable", String.valueOf(status.reachable()));
                outputs.put(member + "-role", status.role().name().toLowerCase(Locale.ROOT));
                outputs.put(member + "-writable", String.valueOf(status.writable()));
                outputs.put(member + "-fenced", String.valueOf(status.fenced()));
                outputs.put(member + "-lsn", status.currentLsn().or(status::replayLsn).orElse(""));
                outputs.put(member + "-detail", status.detail());
                if (status.writablePrimary()) {
                    primaries.add(member);
                }
                context.log().accept(member + ": " + status.detail());
            }
            outputs.put("primary", String.join(",", primaries));
            return ActionOutputs.of(outputs);
        }
    }
}
