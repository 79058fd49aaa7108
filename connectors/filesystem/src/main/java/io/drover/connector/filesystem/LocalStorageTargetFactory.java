package io.drover.connector.filesystem;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetFactory;
import java.util.ArrayList;
import java.util.List;

/** Creates {@code local} storage targets: objects as files under a directory. */
public final class LocalStorageTargetFactory implements StorageTargetFactory<LocalTargetConfig> {

    @Override
    public String type() {
        return "local";
    }

    @Override
    public Class<LocalTargetConfig> configType() {
        return LocalTargetConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(LocalTargetConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (!config.path().isAbsolute()) {
            problems.add(new ConfigProblem("path", "'" + config.path()
                    + "' is not an absolute path; write the full path, e.g. /var/backups/drover"));
        }
        return problems;
    }

    @Override
    public StorageTarget create(LocalTargetConfig config, ConnectorContext context) {
        return new LocalStorageTarget(config.path(), config.fsync());
    }
}
