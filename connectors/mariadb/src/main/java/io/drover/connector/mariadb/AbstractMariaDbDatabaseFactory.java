package io.drover.connector.mariadb;

import io.drover.connector.support.HumanDuration;
import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.DatabaseFactory;
import io.drover.core.spi.ReplicatedDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The shared factory of the {@code mariadb} and {@code mysql} replicated database types. */
abstract class AbstractMariaDbDatabaseFactory implements DatabaseFactory<MariaDbDatabaseConfig> {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_$]{1,64}");

    private final Flavor flavor;

    AbstractMariaDbDatabaseFactory(Flavor flavor) {
        this.flavor = flavor;
    }

    @Override
    public String type() {
        return flavor.scheme;
    }

    @Override
    public Class<MariaDbDatabaseConfig> configType() {
        return MariaDbDatabaseConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(MariaDbDatabaseConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> primaries = new ArrayList<>();
        Map<String, DbUrl> urls = new LinkedHashMap<>();
        for (Map.Entry<String, MariaDbDatabaseConfig.Member> entry : config.members().entrySet()) {
            String name = entry.getKey();
            MariaDbDatabaseConfig.Member member = entry.getValue();
            String field = "members." + name;
            DbUrl.Result url = DbUrl.parse(member.url());
            url.problems().forEach(p -> problems.add(new ConfigProblem(field + ".url", p)));
            url.url().ifPresent(u -> urls.put(name, u));
            if (member.site().isBlank()) {
                problems.add(new ConfigProblem(field + ".site", "is empty; write primary for the primary, "
                        + "or the replica's site, e.g. dr"));
            } else if (member.site().equals(MariaDbDatabaseConfig.PRIMARY_SITE)) {
                primaries.add(name);
            }
        }
        String example = "e.g. dc1: { url: \"" + flavor.scheme + "://drover@db1:3306/shop\", site: primary }";
        if (config.members().isEmpty()) {
            problems.add(new ConfigProblem("members", "names no members; list the primary and its replicas, " + example));
        } else if (primaries.isEmpty()) {
            problems.add(new ConfigProblem("members", "no member is on site primary; mark the one drover writes "
                    + "heartbeats on with site: primary, " + example));
        } else if (primaries.size() > 1) {
            problems.add(new ConfigProblem("members", "members " + String.join(" and ", primaries)
                    + " are both on site primary; exactly one member is the primary, give the others their own site "
                    + "(e.g. dr)"));
        } else if (config.members().size() == 1) {
            problems.add(new ConfigProblem("members", "has only the primary " + primaries.getFirst()
                    + "; add the replicas whose lag drover should measure"));
        }
        Map<String, String> byHostPort = new LinkedHashMap<>();
        Optional<Map.Entry<String, DbUrl>> first = urls.entrySet().stream().findFirst();
        for (Map.Entry<String, DbUrl> entry : urls.entrySet()) {
            String other = byHostPort.putIfAbsent(entry.getValue().hostPort(), entry.getKey());
            if (other != null) {
                problems.add(new ConfigProblem("members." + entry.getKey() + ".url", "points at "
                        + entry.getValue().hostPort() + " like member " + other + "; every member is its own server"));
            }
            String database = first.get().getValue().database();
            if (!entry.getValue().database().equals(database)) {
                problems.add(new ConfigProblem("members." + entry.getKey() + ".url", "names database "
                        + entry.getValue().database() + " but member " + first.get().getKey() + " names " + database
                        + "; the heartbeat is written on the primary and read on the replicas in the same database"));
            }
        }
        if (!TABLE_NAME.matcher(config.heartbeatTable()).matches()) {
            problems.add(new ConfigProblem("heartbeat-table", "'" + config.heartbeatTable()
                    + "' is not a plain table name; use letters, digits, '_' and '$' (at most 64), e.g. drover_heartbeat"));
        }
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            problems.add(new ConfigProblem("timeout", "must be positive, e.g. 5s"));
        } else if (config.timeout().compareTo(Duration.ofMinutes(1)) > 0) {
            problems.add(new ConfigProblem("timeout", HumanDuration.format(config.timeout())
                    + " is too long for a heartbeat that comes every few seconds; use at most 1m, e.g. 5s"));
        }
        if (config.replicationUser().isPresent() && config.replicationUser().get().isBlank()) {
            problems.add(new ConfigProblem("replication-user", "is empty; name the account members replicate with, "
                    + "e.g. replication-user: repl"));
        } else if (config.replicationUser().isEmpty() && config.replicationPassword().isPresent()) {
            problems.add(new ConfigProblem("replication-password", "is set but replication-user is not; add "
                    + "replication-user: <the account with REPLICATION SLAVE> next to it"));
        }
        return problems;
    }

    @Override
    public ReplicatedDatabase create(MariaDbDatabaseConfig config, ConnectorContext context) {
        return new MariaDbReplicatedDatabase(flavor, config);
    }
}
