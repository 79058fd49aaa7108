package io.drover.runbook.action;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.ReplicationSample;
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
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code action: database-promote}: makes a standby the primary. Already done when the member is a
 * primary, so a resumed runbook never promotes twice.
 *
 * <p>Split-brain guard: refused (a failing precondition in the plan, and again in run) while another
 * member is reachable, a primary, writable and not fenced, unless {@code force-reason} says why the
 * operator accepts two primaries; the reason then goes into the outputs ({@code force-reason}), the
 * step's log and the audit log. An empty {@code force-reason} does not force. Output {@code data-loss}:
 * what the member had not replayed when it was promoted, in bytes when the primary could be read.
 */
public final class DatabasePromoteAction implements Action {
    static final String GUARD = "no other member is a writable primary (split-brain guard)";

    private final Config config;

    DatabasePromoteAction(Config config) {
        this.config = config;
    }

    /** The {@code with:} of a database-promote step. */
    public record Config(String database, String member, Optional<String> forceReason) {
    }

    /** Finds {@code action: database-promote}. */
    public static final class Factory implements ActionFactory<Config> {
        @Override
        public String type() {
            return "database-promote";
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public String description() {
            return "promote a standby to primary, refused while the old primary still takes writes";
        }

        @Override
        public List<ConfigProblem> validate(Config config) {
            // Empty means "not forced", so that a runbook can pass an optional parameter through.
            return config.forceReason().filter(r -> !r.isEmpty() && r.isBlank()).isPresent()
                    ? List.of(new ConfigProblem("force-reason", "force-reason must say why; leave it out or empty not to force"))
                    : List.of();
        }

        @Override
        public Action create(Config config) {
            return new DatabasePromoteAction(config);
        }
    }

    @Override
    public Set<ActionCapability> capabilities() {
        return EnumSet.of(ActionCapability.CHECK);
    }

    private Optional<String> forceReason() {
        return config.forceReason().filter(r -> !r.isBlank());
    }

    /** The other members taking writes now, with what was found. */
    private List<String> writablePrimaries(FailoverDatabase db) {
        List<String> writable = new ArrayList<>();
        for (String other : db.others(config.member())) {
            DatabaseFailover.MemberStatus status = db.failover.status(other);
            if (status.writablePrimary()) {
                writable.add(other + " (" + status.detail() + ")");
            }
        }
        return writable;
    }

    private Precondition guard(FailoverDatabase db) {
        List<String> writable = writablePrimaries(db);
        if (writable.isEmpty()) {
            return Precondition.passed(GUARD, "no other member takes writes");
        }
        String found = String.join("; ", writable) + " is reachable and writable and not fenced";
        return forceReason().isPresent()
                ? Precondition.passed(GUARD, "FORCED (" + forceReason().get() + "): " + found)
                : Precondition.failed(GUARD, found + "; fence it first, or give force-reason to accept two primaries");
    }

    @Override
    public ActionPlan plan(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            db.requireMember(config.member());
            DatabaseFailover.MemberStatus status = db.failover.status(config.member());
            List<Precondition> preconditions = new ArrayList<>();
            preconditions.add(status.reachable()
                    ? Precondition.passed(config.member() + " is reachable", status.detail())
                    : Precondition.failed(config.member() + " is reachable", status.detail()));
            preconditions.add(guard(db));
            return new ActionPlan("promote " + config.member() + " of " + config.database() + " to primary"
                    + forceReason().map(r -> " (forced: " + r + ")").orElse(""), preconditions,
                    Optional.of(dataLoss(db, status)));
        }
    }

    /** What promoting now would lose: how far the member's replay is behind the primary, from a sample. */
    private String dataLoss(FailoverDatabase db, DatabaseFailover.MemberStatus status) {
        if (status.role() == DatabaseFailover.Role.PRIMARY) {
            return "none (" + config.member() + " is a primary already)";
        }
        List<String> primaries = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String other : db.others(config.member())) {
            DatabaseFailover.MemberStatus s = db.failover.status(other);
            if (s.reachable() && s.role() == DatabaseFailover.Role.PRIMARY) {
                primaries.add(other);
            }
            others.add(other + ": " + s.detail());
        }
        String replayed = config.member() + status.replayLsn().map(lsn -> " has replayed up to " + lsn)
                .orElse(" has an unknown replay position");
        if (primaries.isEmpty()) {
            // The primary is down (an unplanned failover): say up to where the standby has what it wrote.
            return "unknown: no primary can be read (" + String.join("; ", others) + "); " + replayed
                    + ": whatever the primary committed after that is lost";
        }
        ReplicationSample sample;
        try {
            sample = db.database.sample();
        } catch (IOException e) {
            return "unknown, the primary cannot be read (" + e.getMessage() + "); " + replayed
                    + ": whatever the primary committed after that is lost";
        }
        return sample.standbys().stream().filter(s -> s.member().equals(config.member())).findFirst()
                .map(s -> s.bytesBehind().map(bytes -> bytes == 0 ? "none (" + config.member() + " has replayed everything "
                                + sample.primary() + " wrote)" : bytes + " bytes of WAL " + sample.primary() + " wrote that "
                                + config.member() + " has not replayed")
                        .orElse("unknown: " + s.detail()))
                .orElse("unknown: " + config.member() + " is not a standby of " + sample.primary());
    }

    @Override
    public CheckOutcome check(ActionContext context) {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            db.requireMember(config.member());
            DatabaseFailover.MemberStatus status = db.failover.status(config.member());
            return status.reachable() && status.role() == DatabaseFailover.Role.PRIMARY
                    ? CheckOutcome.done(config.member() + " is a primary: " + status.detail(), outputs(Optional.empty(),
                    "unknown here: " + config.member() + " was a primary before this step ran (see the step that promoted it)"))
                    : CheckOutcome.notDone(config.member() + " is not a primary: " + status.detail());
        }
    }

    private ActionOutputs outputs(Optional<String> forced, String dataLoss) {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("promoted", config.member());
        outputs.put("data-loss", dataLoss);
        forced.ifPresent(reason -> {
            outputs.put("force-reason", reason);
            outputs.put("audit", "forced promotion of " + config.member() + ": " + reason);
        });
        return ActionOutputs.of(outputs);
    }

    @Override
    public ActionOutputs run(ActionContext context) throws InterruptedException {
        try (FailoverDatabase db = FailoverDatabase.open(context, config.database())) {
            db.requireMember(config.member());
            List<String> writable = writablePrimaries(db);
            Optional<String> forced = Optional.empty();
            if (!writable.isEmpty()) {
                if (forceReason().isEmpty()) {
                    throw new ActionFailedException("refusing to promote " + config.member() + ": "
                            + String.join("; ", writable) + " is reachable and writable and not fenced (two primaries"
                            + " would take writes); fence it first, or give force-reason");
                }
                forced = forceReason();
                context.log().accept("FORCED: promoting " + config.member() + " while " + String.join("; ", writable)
                        + " takes writes; reason: " + forced.get());
            }
            String dataLoss = dataLoss(db, db.failover.status(config.member()));
            context.log().accept("data loss: " + dataLoss);
            try {
                db.failover.promote(config.member());
            } catch (IOException e) {
                throw FailoverDatabase.failed("cannot promote " + config.member(), e);
            }
            DatabaseFailover.MemberStatus status = db.failover.status(config.member());
            if (status.role() != DatabaseFailover.Role.PRIMARY) {
                throw new ActionFailedException(config.member() + " is not a primary after its promotion: " + status.detail());
            }
            context.log().accept("promoted " + config.member() + ": " + status.detail());
            return outputs(forced, dataLoss);
        }
    }
}
