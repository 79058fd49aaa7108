package io.drover.runbook.action;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.DatabaseRejoin;
import io.drover.core.spi.Default;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code action: database-rejoin}: makes former primaries standbys of {@code primary} again
 * (PostgreSQL: {@code pg_rewind}, or a new base backup), so that the database is protected again
 * and a failback loses nothing. One {@code member}, or by default every other member that does not
 * replicate from {@code primary} yet. Already done when each of them replicates from it. A rejoined
 * member's own writes that {@code primary} never had are discarded (or the connector refuses): the
 * plan says which. Output {@code rejoined}: the members rejoined.
 */
public final class DatabaseRejoinAction implements Action {
    private final Config config;

    DatabaseRejoinAction(Config config) {
        this.config = config;
    }

    /** The {@code with:} of a database-rejoin step. */
    public record Config(String database, String primary, Optional<String> member, @Default("30m") Duration timeout) {
    }

    /** Finds {@code action: database-rejoin}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "database-rejoin";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "rebuild former primaries as standbys of the new primary (pg_rewind or a new base backup)";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            List<ConfigProblem> problems = new ArrayList<>();
            if (config.timeout().isNegative() || config.timeout().isZero()) {
                problems.add(new ConfigProblem("timeout", "timeout must be positive"));
            }
            if (config.member().filter(config.primary()::equals).isPresent()) {
                problems.add(new ConfigProblem("member", "a member cannot rejoin as a standby of itself"));
            }
            return problems;
        }

        @Override
        public Action create(Config config) {
            return new DatabaseRejoinAction(config);
        }
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.of(ActionCapability.CHECK);
    }

    private static DatabaseRejoin rejoin(FailoverDatabase db) {
        if (db.database instanceof DatabaseRejoin rejoin) {
            return rejoin;
        }
        throw new ActionFailedException("database '" + db.name + "' (" + db.database.describe() + ") cannot rejoin a"
                + " former primary: its connector does not implement io.drover.core.spi.DatabaseRejoin");
    }

    private List<String> members(FailoverDatabase db) {
        db.requireMember(config.primary());
        config.member().ifPresent(db::requireMember);
        return config.member().map(List::of).orElseGet(() -> db.others(config.primary()));
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            DatabaseRejoin rejoin = rejoin(db);
            List<Precondition> preconditions = new ArrayList<>();
            DatabaseFailover.MemberStatus primary = db.failover.status(config.primary());
            preconditions.add(primary.writablePrimary()
                    ? Precondition.passed(config.primary() + " is a writable primary", primary.detail())
                    : Precondition.failed(config.primary() + " is a writable primary", primary.detail()));
            List<String> steps = new ArrayList<>();
            for (String member : members(db)) {
                try {
                    String how = rejoin.planRejoin(member, config.primary());
                    steps.add(member + ": " + how);
                    preconditions.add(Precondition.passed(member + " can rejoin " + config.primary(), how));
                } catch (IOException e) {
                    preconditions.add(Precondition.failed(member + " can rejoin " + config.primary(), e.getMessage()));
                }
            }
            return new ActionPlan("rejoin " + String.join(", ", members(db)) + " as standbys of " + config.primary()
                    + (steps.isEmpty() ? "" : " (" + String.join("; ", steps) + ")"), preconditions,
                    Optional.of("none on " + config.primary() + "; writes only a rejoined member has (it took them after"
                            + " the last one " + config.primary() + " received) are discarded"));
        }
    }

    @Override
    public CheckOutcome check(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            DatabaseRejoin rejoin = rejoin(db);
            List<String> members = members(db);
            for (String member : members) {
                try {
                    if (!rejoin.replicatesFrom(member, config.primary())) {
                        return CheckOutcome.notDone(member + " does not replicate from " + config.primary());
                    }
                } catch (IOException e) {
                    return CheckOutcome.notDone(e.getMessage());
                }
            }
            return CheckOutcome.done(String.join(", ", members) + " replicate from " + config.primary(),
                    ActionOutputs.of(Map.of("rejoined", String.join(",", members))));
        }
    }

    @Override
    public ActionOutputs run(ActionContext context) throws InterruptedException {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            DatabaseRejoin rejoin = rejoin(db);
            List<String> members = members(db);
            for (String member : members) {
                Duration left = context.remaining().compareTo(config.timeout()) < 0 ? context.remaining() : config.timeout();
                context.log().accept("rejoining " + member + " as a standby of " + config.primary());
                try {
                    context.log().accept(member + ": " + rejoin.rejoin(member, config.primary(), left));
                } catch (IOException e) {
                    throw FailoverDatabase.failed("cannot rejoin " + member + " to " + config.primary(), e);
                }
            }
            return ActionOutputs.of(Map.of("rejoined", String.join(",", members)));
        }
    }
}
