package io.drover.runbook.action;

import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFactory;
import io.drover.core.spi.action.ActionFailedException;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import io.drover.core.spi.action.CheckOutcome;
import io.drover.core.spi.action.Precondition;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code action: database-fence}: stops a member taking writes (PostgreSQL: read-only for every new
 * transaction, other client sessions ended). Already done when the member is fenced. Output
 * {@code fenced}: the member.
 */
public final class DatabaseFenceAction implements Action {
    private final Config config;

    DatabaseFenceAction(Config config) {
        this.config = config;
    }

    /** The {@code with:} of a database-fence step. */
    public record Config(String database, String member) {
    }

    /** Finds {@code action: database-fence}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "database-fence";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "fence a database member so that it takes no more writes";
        }

        @Override
        public Action create(Config config) {
            return new DatabaseFenceAction(config);
        }
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.of(ActionCapability.CHECK);
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            db.requireMember(config.member());
            DatabaseFailover.MemberStatus status = db.failover.status(config.member());
            Precondition reachable = status.reachable()
                    ? Precondition.passed(config.member() + " is reachable", status.detail())
                    : Precondition.failed(config.member() + " is reachable", status.detail());
            return new ActionPlan("fence " + config.member() + " of " + config.database()
                    + ": no more writes; its open transactions are ended without committing", List.of(reachable),
                    Optional.of("none committed (transactions open on " + config.member() + " are rolled back)"));
        }
    }

    @Override
    public CheckOutcome check(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            db.requireMember(config.member());
            DatabaseFailover.MemberStatus status = db.failover.status(config.member());
            if (!status.reachable()) {
                return CheckOutcome.notDone(status.detail());
            }
            return status.fenced()
                    ? CheckOutcome.done(config.member() + " is fenced: " + status.detail(), outputs())
                    : CheckOutcome.notDone(config.member() + " is not fenced: " + status.detail());
        }
    }

    private ActionOutputs outputs() {
        return ActionOutputs.of(Map.of("fenced", config.member()));
    }

    @Override
    public ActionOutputs run(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            db.requireMember(config.member());
            try {
                db.failover.fence(config.member());
                if (!db.failover.fenced(config.member())) {
                    throw new ActionFailedException(config.member() + " is still not fenced after fencing it");
                }
            } catch (IOException e) {
                throw FailoverDatabase.failed("cannot fence " + config.member(), e);
            }
            context.log().accept("fenced " + config.member() + ": " + db.failover.status(config.member()).detail());
            return outputs();
        }
    }
}
