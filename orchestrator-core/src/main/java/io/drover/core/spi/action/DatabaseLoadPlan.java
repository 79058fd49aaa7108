package io.drover.core.spi.action;

import java.util.Objects;
import java.util.Optional;

/**
 * Where {@link ActionServices#planDatabaseLoad} would load a backup, and why it cannot, if it cannot.
 *
 * @param source  the source under {@code sources:} whose server would receive the database
 * @param server  that source as its connector describes it, e.g. {@code postgres db1:5432/orders}
 * @param problem why the backup cannot be loaded into a database there (a files backup, a PostgreSQL
 *                physical backup, a source of another type, no such source); empty when it can
 */
public record DatabaseLoadPlan(String source, String server, Optional<String> problem) {
    public DatabaseLoadPlan {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(problem, "problem");
    }
}
