package io.drover.connector.postgres;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.DatabaseFactory;
import io.drover.core.spi.ReplicatedDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creates {@code postgres} replicated databases: a primary and its streaming standbys, for replica lag. */
public final class PostgresDatabaseFactory implements DatabaseFactory<PostgresDatabaseConfig> {

    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public Class<PostgresDatabaseConfig> configType() {
        return PostgresDatabaseConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(PostgresDatabaseConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> primaries = new ArrayList<>();
        String firstDatabase = null;
        String firstMember = null;
        for (Map.Entry<String, PostgresDatabaseConfig.Member> entry : config.members().entrySet()) {
            String name = entry.getKey();
            PostgresDatabaseConfig.Member member = entry.getValue();
            String field = "members." + name;
            if (member.site().isBlank()) {
                problems.add(new ConfigProblem(field + ".site", "must name a site: primary for the primary, e.g. dr for a standby"));
            } else if (PostgresDatabaseConfig.PRIMARY_SITE.equals(member.site().strip())) {
                primaries.add(name);
            }
            try {
                PostgresUrl url = PostgresUrl.parse(member.url());
                if (firstDatabase == null) {
                    firstDatabase = url.database();
                    firstMember = name;
                } else if (!firstDatabase.equals(url.database())) {
                    problems.add(new ConfigProblem(field + ".url", "names database " + url.database() + " but member "
                            + firstMember + " names " + firstDatabase + "; every member must name the same database,"
                            + " where the heartbeat is written and replayed"));
                }
            } catch (IllegalArgumentException e) {
                // The message never repeats the URL: it may hold a password.
                problems.add(new ConfigProblem(field + ".url", "the URL " + e.getMessage()));
            }
            validateLocalServer(field, member, problems);
        }
        if (config.members().isEmpty()) {
            problems.add(new ConfigProblem("members", "names no members; name the primary (site: primary) and its standbys"));
        } else if (primaries.isEmpty()) {
            problems.add(new ConfigProblem("members", "no member is on site primary; exactly one must be (e.g. site: primary"
                    + " for the server that is written to)"));
        } else if (primaries.size() > 1) {
            problems.add(new ConfigProblem("members", "members " + String.join(" and ", primaries)
                    + " are both on site primary; exactly one member may be the primary"));
        }
        if (config.members().size() == 1) {
            problems.add(new ConfigProblem("members", "names only one member; name its standbys too, whose lag drover measures"));
        }
        if (!Identifiers.isValidTableName(config.heartbeatTable())) {
            problems.add(new ConfigProblem("heartbeat-table", "'" + config.heartbeatTable()
                    + "' is not a table name; write a name like drover_heartbeat or ops.drover_heartbeat"));
        }
        if (config.timeout().compareTo(Duration.ofSeconds(1)) < 0 || config.timeout().compareTo(Duration.ofMinutes(1)) > 0) {
            problems.add(new ConfigProblem("timeout", "must be between 1s and 1m, e.g. 5s"));
        }
        return problems;
    }

    /** The settings of a member's server on drover's host, which a rejoin uses. */
    private static void validateLocalServer(String field, PostgresDatabaseConfig.Member member, List<ConfigProblem> problems) {
        member.dataDir().ifPresent(dataDir -> {
            if (!dataDir.isAbsolute()) {
                problems.add(new ConfigProblem(field + ".data-dir", "must be an absolute path, e.g."
                        + " /var/lib/postgresql/15/main"));
            } else if (dataDir.getNameCount() == 0) {
                problems.add(new ConfigProblem(field + ".data-dir", "must name the data directory, not /"));
            }
        });
        if (member.osUser().isBlank()) {
            problems.add(new ConfigProblem(field + ".os-user", "must name the user that owns the data directory, e.g. postgres"));
        }
        checkCommand(field + ".start-command", member.startCommand(), member, problems);
        checkCommand(field + ".stop-command", member.stopCommand(), member, problems);
    }

    private static void checkCommand(String field, Optional<List<String>> command, PostgresDatabaseConfig.Member member,
                                     List<ConfigProblem> problems) {
        if (command.isEmpty()) {
            return;
        }
        if (command.get().isEmpty() || command.get().getFirst().isBlank()) {
            problems.add(new ConfigProblem(field, "must name a program and its arguments, e.g. [pg_ctlcluster, \"15\", main, "
                    + (field.endsWith("start-command") ? "start" : "stop") + "]"));
        } else if (member.dataDir().isEmpty()) {
            problems.add(new ConfigProblem(field, "is used only to rejoin the member, which needs data-dir too"));
        }
    }

    @Override
    public ReplicatedDatabase create(PostgresDatabaseConfig config, ConnectorContext context) {
        List<PostgresReplicatedDatabase.Member> members = new ArrayList<>();
        config.members().forEach((name, member) -> members.add(new PostgresReplicatedDatabase.Member(name,
                member.site().strip(), PostgresUrl.parse(member.url()), member.password(),
                member.dataDir().map(dataDir -> new LocalServer(dataDir, member.osUser().strip(), member.rejoin(),
                        member.startCommand(), member.stopCommand())))));
        return new PostgresReplicatedDatabase(context.name(), members, config.heartbeatTable(), config.timeout());
    }
}
