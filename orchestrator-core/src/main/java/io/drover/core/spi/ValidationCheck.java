package io.drover.core.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A check run against a restored database. Each names itself in results and messages. */
public sealed interface ValidationCheck {

    /** How the check is shown in reports, e.g. {@code table pgbench_history has at least 1 rows}. */
    String name();

    /**
     * A query whose first column of the first row must be true, or, with {@code expect}, equal to
     * it as text (e.g. {@code select count(*) from pgbench_branches} expecting {@code 10}).
     */
    record Sql(String sql, Optional<String> expect) implements ValidationCheck {
        public Sql {
            Objects.requireNonNull(sql, "sql");
            Objects.requireNonNull(expect, "expect");
        }

        @Override
        public String name() {
            return "sql: " + sql + expect.map(e -> " = " + e).orElse("");
        }
    }

    /** A table that must exist with at least {@code minRows} rows. */
    record MinRows(String table, long minRows) implements ValidationCheck {
        public MinRows {
            Objects.requireNonNull(table, "table");
        }

        @Override
        public String name() {
            return "table " + table + " has at least " + minRows + " rows";
        }
    }

    /**
     * The canary row written just before the backup must be in the restored copy: the newest
     * canary read back is the proven recovery point of the backup.
     *
     * @param written when the canary was written, from the recovery point's source position;
     *                empty if the backup recorded none (then the check fails)
     */
    record Canary(Optional<Instant> written) implements ValidationCheck {
        public Canary {
            Objects.requireNonNull(written, "written");
        }

        @Override
        public String name() {
            return "canary";
        }
    }
}
