package io.drover.runbook.action;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.DatabaseFailover;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code action: database-fence}: stops members taking writes (PostgreSQL: read-only for every new
 * transaction, other client sessions ended). Either one {@code member}, or with {@code except: M}
 * every member but {@code M} that is a primary now — what a switchover to {@code M} must fence,
 * known when the plan is made, so the plan can check it. Standbys take no writes and are left alone.
 *
 * <p>With {@code unreachable-is-down: true} (an unplanned failover) a member that cannot be reached
 * counts as down rather than failing the step: it is listed in the output {@code down}, and the
 * operator must make sure it stays down (STONITH) — the plan says so. Outputs {@code fenced} (the
 * members fenced, comma-separated) and {@code down}. Undo lifts the fences this step set, and is
 * refused once another member is a writable primary (the switchover got as far as its promotion).
 */
public final class DatabaseFenceAction implements Action {
    private final Config config;

    DatabaseFenceAction(Config config) {
        this.config = config;
    }

    /** The {@code with:} of a database-fence step: exactly one of {@code member} and {@code except}. */
    public record Config(String database, Optional<String> member, Optional<String> except,
                         @Default("false") boolean unreachableIsDown) {
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
            return "fence database members so that they take no more writes";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            return config.member().isPresent() == config.except().isPresent()
                    ? List.of(new ConfigProblem("member", "give either member (the one to fence) or except (fence every"
                    + " primary but this member), not " + (config.member().isPresent() ? "both" : "neither")))
                    : List.of();
        }

        @Override
        public Action create(Config config) {
            return new DatabaseFenceAction(config);
        }
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.of(ActionCapability.CHECK, ActionCapability.UNDO);
    }

    /** What fencing finds now: per member to consider, its state. */
    private Map<String, DatabaseFailover.MemberStatus> targets(FailoverDatabase db) {
        Map<String, DatabaseFailover.MemberStatus> targets = new LinkedHashMap<>();
        if (config.member().isPresent()) {
            db.requireMember(config.member().get());
            targets.put(config.member().get(), db.failover.status(config.member().get()));
            return targets;
        }
        db.requireMember(config.except().get());
        for (String other : db.others(config.except().get())) {
            DatabaseFailover.MemberStatus status = db.failover.status(other);
            if (!status.reachable() || status.role() == DatabaseFailover.Role.PRIMARY) {
                targets.put(other, status);
            }
        }
        return targets;
    }

    private String what() {
        return config.member().map(m -> m).orElseGet(() -> "every primary of " + config.database() + " but "
                + config.except().get());
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            Map<String, DatabaseFailover.MemberStatus> targets = targets(db);
            List<Precondition> preconditions = new ArrayList<>();
            for (DatabaseFailover.MemberStatus status : targets.values()) {
                String name = status.member() + " is reachable";
                if (status.reachable()) {
                    preconditions.add(Precondition.passed(name, status.detail()));
                } else if (config.unreachableIsDown()) {
                    preconditions.add(Precondition.passed(status.member() + " is reachable or counted as down",
                            "DOWN (" + status.detail() + "): make sure it stays down until it is rebuilt"));
                } else {
                    preconditions.add(Precondition.failed(name, status.detail()));
                }
            }
            String summary = targets.isEmpty() ? "fence " + what() + ": no member is a primary, nothing to fence"
                    : "fence " + String.join(", ", targets.keySet()) + " of " + config.database()
                    + ": no more writes; their open transactions are ended without committing";
            return new ActionPlan(summary, preconditions,
                    Optional.of("none committed (open transactions on the fenced members are rolled back)"));
        }
    }

    @Override
    public CheckOutcome check(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            List<String> fenced = new ArrayList<>();
            List<String> down = new ArrayList<>();
            for (DatabaseFailover.MemberStatus status : targets(db).values()) {
                if (!status.reachable()) {
                    if (!config.unreachableIsDown()) {
                        return CheckOutcome.notDone(status.detail());
                    }
                    down.add(status.member());
                } else if (status.fenced()) {
                    fenced.add(status.member());
                } else if (status.role() == DatabaseFailover.Role.PRIMARY) {
                    return CheckOutcome.notDone(status.member() + " is not fenced: " + status.detail());
                }
            }
            List<String> found = new ArrayList<>();
            fenced.forEach(m -> found.add(m + " is fenced"));
            down.forEach(m -> found.add(m + " cannot be reached and counts as down"));
            return CheckOutcome.done(found.isEmpty() ? "no member to fence for " + what() : String.join("; ", found),
                    outputs(fenced, down));
        }
    }

    private static ActionOutputs outputs(List<String> fenced, List<String> down) {
        return ActionOutputs.of(Map.of("fenced", String.join(",", fenced), "down", String.join(",", down)));
    }

    @Override
    public ActionOutputs run(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            List<String> fenced = new ArrayList<>();
            List<String> down = new ArrayList<>();
            for (DatabaseFailover.MemberStatus status : targets(db).values()) {
                String member = status.member();
                if (!status.reachable() && config.unreachableIsDown()) {
                    context.log().accept(member + " cannot be reached and counts as down: " + status.detail());
                    down.add(member);
                    continue;
                }
                try {
                    db.failover.fence(member);
                    if (!db.failover.fenced(member)) {
                        throw new ActionFailedException(member + " is still not fenced after fencing it");
                    }
                } catch (IOException e) {
                    throw FailoverDatabase.failed("cannot fence " + member, e);
                }
                context.log().accept("fenced " + member + ": " + db.failover.status(member).detail());
                fenced.add(member);
            }
            return outputs(fenced, down);
        }
    }

    /** Lifts the fences this step set (for a switchover rolled back before its promotion). */
    @Override
    public void undo(ActionContext context, ActionOutputs outputs) {
        String fenced = outputs.values().getOrDefault("fenced", "");
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            List<String> members = Arrays.stream(fenced.split(",")).filter(m -> !m.isBlank()).toList();
            for (String other : db.database.sites().keySet()) {
                DatabaseFailover.MemberStatus status = db.failover.status(other);
                if (!members.contains(other) && status.writablePrimary()) {
                    throw new ActionFailedException("refusing to unfence " + String.join(", ", members) + ": " + other
                            + " is a writable primary now (" + status.detail() + "), and two primaries would take writes;"
                            + " rejoin " + String.join(", ", members) + " as a standby of " + other + " instead");
                }
            }
            for (String member : members) {
                try {
                    db.failover.unfence(member);
                } catch (IOException e) {
                    throw FailoverDatabase.failed("cannot unfence " + member, e);
                }
                context.log().accept("unfenced " + member + ": " + db.failover.status(member).detail());
            }
        }
    }
}
