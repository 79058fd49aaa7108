package io.drover.runbook.action;

import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.Default;
import io.drover.core.spi.action.Action;
import io.drover.core.spi.action.ActionCapability;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFactory;
import io.drover.core.spi.action.ActionOutputs;
import io.drover.core.spi.action.ActionPlan;
import io.drover.core.spi.action.Precondition;
import io.drover.core.model.DurationText;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code action: database-wait-replay}: waits until a standby has replayed everything its primary
 * had written when the step started (after a fence: everything). Output {@code replayed}: the
 * standby's replayed position afterwards. With {@code max-lag} (e.g. {@code 64MiB}) its plan, and so
 * each attempt, fails while the standby is further behind than that.
 */
public final class DatabaseWaitReplayAction implements Action {
    private final Config config;

    DatabaseWaitReplayAction(Config config) {
        this.config = config;
    }

    /** The {@code with:} of a database-wait-replay step. */
    public record Config(String database, String standby, @Default("60s") Duration timeout,
                         Optional<io.drover.core.model.DataSize> maxLag) {
    }

    /** Finds {@code action: database-wait-replay}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "database-wait-replay";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "wait until a standby has replayed the primary's current position";
        }

        @Override
        public List<io.drover.core.spi.ConfigProblem> validate(Config config) {
            return config.timeout().isNegative() || config.timeout().isZero()
                    ? List.of(new io.drover.core.spi.ConfigProblem("timeout", "timeout must be positive"))
                    : List.of();
        }

        @Override
        public Action create(Config config) {
            return new DatabaseWaitReplayAction(config);
        }
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.noneOf(ActionCapability.class);
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            db.requireMember(config.standby());
            DatabaseFailover.MemberStatus standby = db.failover.status(config.standby());
            Precondition isStandby = standby.reachable() && standby.role() == DatabaseFailover.Role.STANDBY
                    ? Precondition.passed(config.standby() + " is a reachable standby", standby.detail())
                    : Precondition.failed(config.standby() + " is a reachable standby", standby.detail());
            List<Precondition> preconditions = new java.util.ArrayList<>(List.of(isStandby));
            config.maxLag().ifPresent(limit -> preconditions.add(lagWithin(db, limit)));
            return new ActionPlan("wait up to " + DurationText.format(config.timeout()) + " until " + config.standby()
                    + " of " + config.database() + " has replayed its primary's current position",
                    preconditions, Optional.of("none once it has replayed everything"));
        }
    }

    /**
     * Whether the standby is at most {@code limit} behind now, from a replication sample: a standby
     * far behind would keep a fenced primary's clients waiting long, so a runbook refuses early.
     */
    private Precondition lagWithin(FailoverDatabase db, io.drover.core.model.DataSize limit) {
        String name = config.standby() + " is at most " + limit + " behind its primary";
        io.drover.core.spi.ReplicationSample sample;
        try {
            sample = db.database.sample();
        } catch (IOException e) {
            return Precondition.failed(name, "cannot read the primary: " + e.getMessage());
        }
        return sample.standbys().stream().filter(s -> s.member().equals(config.standby())).findFirst()
                .map(s -> s.bytesBehind().map(bytes -> bytes <= limit.bytes()
                                ? Precondition.passed(name, io.drover.core.model.DataSize.format(bytes) + " behind " + sample.primary())
                                : Precondition.failed(name, io.drover.core.model.DataSize.format(bytes) + " behind "
                                + sample.primary() + ", above the limit of " + limit + ": let it catch up first"))
                        .orElse(Precondition.failed(name, "its lag is unknown: " + s.detail())))
                .orElse(Precondition.failed(name, config.standby() + " is not a standby of " + sample.primary()));
    }

    @Override
    public ActionOutputs run(ActionContext context) throws InterruptedException {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            db.requireMember(config.standby());
            Duration wait = config.timeout().compareTo(context.remaining()) < 0 ? config.timeout() : context.remaining();
            context.log().accept("waiting up to " + DurationText.format(wait) + " for " + config.standby() + " to replay");
            try {
                db.failover.waitForReplay(config.standby(), wait);
            } catch (IOException e) {
                throw FailoverDatabase.failed(config.standby() + " has not caught up", e);
            }
            DatabaseFailover.MemberStatus standby = db.failover.status(config.standby());
            context.log().accept(config.standby() + " caught up: " + standby.detail());
            return ActionOutputs.of(Map.of("replayed", standby.replayLsn().orElse("")));
        }
    }
}
