package io.drover.connector.ssh;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetFactory;
import java.nio.file.Path;
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
        if (config.host().isBlank()) {
            problems.add(new ConfigProblem("host", "must not be empty; name the SFTP server, e.g. vault.example.net"));
        }
        if (config.port() < 1 || config.port() > 65535) {
            problems.add(new ConfigProblem("port", config.port() + " is no TCP port; use 1..65535 (SSH is usually 22)"));
        }
        if (config.user().isBlank()) {
            problems.add(new ConfigProblem("user", "must not be empty; name the account drover logs in as"));
        }
        if (!config.path().startsWith("/")) {
            problems.add(new ConfigProblem("path", "'" + config.path()
                    + "' is not an absolute path on the server; write the full path, e.g. /srv/drover"));
        }
        if (config.privateKey().isPresent() == config.password().isPresent()) {
            problems.add(new ConfigProblem("", config.privateKey().isPresent()
                    ? "set only one of private-key and password, not both"
                    : "set one of private-key (e.g. ${file:/etc/drover/ssh_key}) or password (e.g. ${env:SFTP_PASSWORD})"));
        }
        if (config.knownHosts().isEmpty() && !config.trustOnFirstUse()) {
            problems.add(new ConfigProblem("known-hosts", "is required: without the server's host key drover cannot tell "
                    + "the server from an impostor that would receive the backups; create it with "
                    + "'ssh-keyscan -p " + config.port() + " " + config.host() + " > known_hosts' and check the fingerprint, "
                    + "or set trust-on-first-use: true to record the key on the first connection"));
        }
        if (config.connectTimeout().isNegative() || config.connectTimeout().isZero()) {
            problems.add(new ConfigProblem("connect-timeout", "must be positive, e.g. 30s"));
        }
        return problems;
    }

    @Override
    public StorageTarget create(SftpTargetConfig config, ConnectorContext context) {
        Path knownHosts = config.knownHosts().orElseGet(() ->
                context.stateDir().resolve("connectors").resolve(type()).resolve(context.name()).resolve("known_hosts"));
        return new SftpStorageTarget(config, knownHosts);
    }
}
