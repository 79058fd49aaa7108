package io.drover.connector.postgres;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceFactory;
import java.util.ArrayList;
import java.util.List;

/** Creates {@code postgres} sources: logical backups of one PostgreSQL database. */
public final class PostgresSourceFactory implements SourceFactory<PostgresSourceConfig> {

    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public Class<PostgresSourceConfig> configType() {
        return PostgresSourceConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(PostgresSourceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        try {
            PostgresUrl.parse(config.url());
        } catch (IllegalArgumentException e) {
            // The message never repeats the URL: it may hold a password.
            problems.add(new ConfigProblem("url", "the URL " + e.getMessage()));
        }
        if (config.jobs() < 1 || config.jobs() > 64) {
            problems.add(new ConfigProblem("jobs", "must be between 1 and 64, e.g. 2"));
        }
        if (config.jobs() != 2 && config.format() != PostgresSourceConfig.Format.DIRECTORY) {
            problems.add(new ConfigProblem("jobs", "applies only to format: directory (pg_dump -Fc dumps with one job)"));
        }
        if (!Identifiers.isValidTableName(config.canaryTable())) {
            problems.add(new ConfigProblem("canary-table", "'" + config.canaryTable()
                    + "' is not a table name; write a name like drover_canary or ops.drover_canary"));
        }
        config.clientBin().filter(dir -> !dir.isAbsolute()).ifPresent(dir -> problems.add(new ConfigProblem("client-bin",
                "'" + dir + "' is not an absolute path; write the directory of pg_dump, e.g. /usr/lib/postgresql/16/bin")));
        if (config.mode() != PostgresSourceConfig.Mode.LOGICAL) {
            String mode = config.mode().name().toLowerCase(java.util.Locale.ROOT);
            if (config.canary() && config.mode() != PostgresSourceConfig.Mode.PHYSICAL) {
                problems.add(new ConfigProblem("canary", "applies only to mode: logical and physical, not to mode: "
                        + mode));
            }
            if (config.format() != PostgresSourceConfig.Format.CUSTOM) {
                problems.add(new ConfigProblem("format", "applies only to mode: logical, not to mode: " + mode));
            }
        }
        config.slot().ifPresent(slot -> {
            if (config.mode() != PostgresSourceConfig.Mode.WAL) {
                problems.add(new ConfigProblem("slot", "applies only to mode: wal"));
            } else if (!slot.matches("[a-z0-9_]{1,63}")) {
                problems.add(new ConfigProblem("slot", "'" + slot + "' is not a replication slot name; use lower-case"
                        + " letters, digits and _ (at most 63), e.g. drover_orders"));
            }
        });
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            problems.add(new ConfigProblem("timeout", "must be positive, e.g. 12h"));
        }
        return problems;
    }

    @Override
    public Source create(PostgresSourceConfig config, ConnectorContext context) {
        return new PostgresSource(config, context);
    }
}
