package io.drover.runbook.action;

import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionFailedException;
import java.io.IOException;
import java.util.List;

/**
 * A database of the {@code databases:} section opened for a database action, as a
 * {@link DatabaseFailover}; closing it closes the database.
 */
final class FailoverDatabase implements AutoCloseable {
    final String name;
    final ReplicatedDatabase database;
    final DatabaseFailover failover;

    private FailoverDatabase(String name, ReplicatedDatabase database, DatabaseFailover failover) {
        this.name = name;
        this.database = database;
        this.failover = failover;
    }

    /**
     * Opens {@code name}; fails clearly when there is none of that name or its connector cannot fail over.
     *
     * @throws ActionFailedException saying which
     */
    static FailoverDatabase open(ActionContext context, String name) {
        ReplicatedDatabase database;
        try {
            database = context.services().database(name);
        } catch (IllegalArgumentException e) {
            throw new ActionFailedException(e.getMessage());
        }
        if (database instanceof DatabaseFailover failover) {
            return new FailoverDatabase(name, database, failover);
        }
        String what = database.describe();
        closeQuietly(database);
        throw new ActionFailedException("database '" + name + "' (" + what + ") cannot fail over: its connector does not"
                + " implement status, fence, wait for replay and promote (io.drover.core.spi.DatabaseFailover)");
    }

    /** Fails unless {@code member} is one of the database's members. */
    void requireMember(String member) {
        if (!database.sites().containsKey(member)) {
            throw new ActionFailedException("database '" + name + "' has no member '" + member + "'; members: "
                    + String.join(", ", database.sites().keySet()));
        }
    }

    /** The members other than {@code member}, in configuration order. */
    List<String> others(String member) {
        return database.sites().keySet().stream().filter(m -> !m.equals(member)).toList();
    }

    /** The reason for an {@link IOException} from the connector, as an action failure. */
    static ActionFailedException failed(String what, IOException e) {
        return new ActionFailedException(what + ": " + e.getMessage(), List.of(), e);
    }

    @Override
    public void close() {
        closeQuietly(database);
    }

    private static void closeQuietly(ReplicatedDatabase database) {
        try {
            database.close();
        } catch (Exception ignored) {
            // nothing was held open that a failed close could leak further
        }
    }
}
