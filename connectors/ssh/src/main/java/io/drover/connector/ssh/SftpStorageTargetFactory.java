package io.drover.connector.ssh;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetFactory;
import java.util.ArrayList;
import java.util.List;

/** Creates {@code sftp} storage targets: objects as files under a directory of an SFTP server. */
public final class SftpStorageTargetFactory implements StorageTargetFactory<SftpTargetConfig> {

    @Override
    public String type() {
        return "sftp";
    }

    @Override
    public Class<SftpTargetConfig> configType() {
        return SftpTargetConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(SftpTargetConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        config.login().validate(problems);
        if (!config.path().startsWith("/")) {
            problems.add(new ConfigProblem("path", "'" + config.path()
                    + "' is not an absolute path on the server; write the full path, e.g. /srv/drover"));
        }
        return problems;
    }

    @Override
    public StorageTarget create(SftpTargetConfig config, ConnectorContext context) {
        return new SftpStorageTarget(config, config.login().knownHostsFile(context, type()));
    }
}
