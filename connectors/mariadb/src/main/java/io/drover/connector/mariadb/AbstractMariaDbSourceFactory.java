package io.drover.connector.mariadb;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The shared factory of the {@code mariadb} and {@code mysql} source types. */
abstract class AbstractMariaDbSourceFactory implements SourceFactory<MariaDbSourceConfig> {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_$]{1,64}");

    private final Flavor flavor;

    AbstractMariaDbSourceFactory(Flavor flavor) {
        this.flavor = flavor;
    }

    @Override
    public String type() {
        return flavor.scheme;
    }

    @Override
    public Class<MariaDbSourceConfig> configType() {
        return MariaDbSourceConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(MariaDbSourceConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        DbUrl.parse(config.url()).problems().forEach(p -> problems.add(new ConfigProblem("url", p)));
        if (!TABLE_NAME.matcher(config.canaryTable()).matches()) {
            problems.add(new ConfigProblem("canary-table", "'" + config.canaryTable()
                    + "' is not a plain table name; use letters, digits, '_' and '$' (at most 64), e.g. drover_canary"));
        }
        config.clientBin().filter(dir -> !dir.isAbsolute()).ifPresent(dir -> problems.add(new ConfigProblem("client-bin",
                "'" + dir + "' is not an absolute path; write the full path of the directory holding "
                        + flavor.dumpProgram + ", e.g. /usr/bin")));
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            problems.add(new ConfigProblem("timeout", "must be positive, e.g. 12h"));
        }
        return problems;
    }

    @Override
    public Source create(MariaDbSourceConfig config, ConnectorContext context) {
        return new MariaDbSource(flavor, config, DbUrl.require(config.url()));
    }
}
