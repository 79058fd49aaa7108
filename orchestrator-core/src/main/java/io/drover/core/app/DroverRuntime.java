package io.drover.core.app;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CatalogSettings;
import io.drover.core.config.ConnectorDefinition;
import io.drover.core.config.DroverConfig;
import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.crypto.AgeEncryption;
import io.drover.core.crypto.AgeKeys;
import io.drover.core.crypto.Decryption;
import io.drover.core.crypto.Encryption;
import io.drover.core.crypto.NoEncryption;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.repository.Repository;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.ConnectorFactory;
import io.drover.core.spi.Source;
import io.drover.core.spi.StorageTarget;
import io.drover.core.storage.StorageDecorators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One drover process's view of a loaded config: creates targets, sources, repositories and the
 * catalog on first use and closes them at the end. The CLI and the daemon both work through it.
 */
public final class DroverRuntime implements AutoCloseable {
    private final DroverConfig config;
    private final ConnectorRegistry registry;
    private final Clock clock;
    private final Path stateDir;
    /** Guarded by itself, not by this runtime: a target may be created ahead while the catalog opens. */
    private final Map<String, StorageTarget> targets = new LinkedHashMap<>();
    private final Map<String, Repository> repositories = new LinkedHashMap<>();
    private Catalog catalog;
    private RpoMonitor rpoMonitor;
    private volatile boolean closed;
    private Optional<Path> identityOverride = Optional.empty();

    public DroverRuntime(DroverConfig config, ConnectorRegistry registry, Clock clock, Function<String, String> env) {
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.stateDir = StateDirectory.resolve(config.stateDir(), env);
    }

    public DroverConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Uses this identity file instead of {@code encryption.identity} (CLI {@code --identity}). */
    public void useIdentityFile(Path file) {
        this.identityOverride = Optional.of(file);
    }

    public synchronized Catalog catalog() {
        if (catalog == null) {
            var settings = config.catalog();
            catalog = Catalog.open(new CatalogSettings(settings.flatMap(c -> c.url()), settings.flatMap(c -> c.user()),
                    settings.flatMap(c -> c.password()), stateDir));
        }
        return catalog;
    }

    /** RPO evaluation and alerting with this runtime's config, catalog and clock. */
    public synchronized RpoMonitor rpoMonitor() {
        if (rpoMonitor == null) {
            var alerts = new io.drover.core.alert.AlertDispatcher(
                    io.drover.core.alert.AlertDispatcher.channels(config.alerts()), catalog(), clock, config.alerts(),
                    io.drover.core.storage.Sleeper.SYSTEM);
            rpoMonitor = new RpoMonitor(config, new io.drover.core.rpo.RpoEvaluator(config, catalog(), clock), alerts, clock);
        }
        return rpoMonitor;
    }

    public Path indexCacheDir() {
        return stateDir.resolve("index-cache");
    }

    public StorageTarget target(String name) {
        synchronized (targets) {
            StorageTarget existing = targets.get(name);
            if (existing != null) {
                return existing;
            }
            ConnectorDefinition definition = config.targets().get(name);
            if (definition == null) {
                throw new DroverException(DroverErrors.TARGET_NOT_FOUND, "no target '" + name + "' in " + config.file(),
                        "targets defined: " + String.join(", ", config.targets().keySet()), List.of(), null);
            }
            ConnectorFactory<?, StorageTarget> factory = registry.storageTarget(definition.type()).orElseThrow();
            // Limits wrap every connector; they use real time, not this runtime's clock, which tests may fix.
            StorageTarget target = StorageDecorators.wrap(create(factory, definition), name, definition.limits());
            targets.put(name, target);
            return target;
        }
    }

    /**
     * Creates the targets {@code names} and tells each that {@code streams} objects are about to be
     * used at once (see {@link StorageTarget#prepareConcurrentUse}), on a thread of its own: an S3
     * client takes a few hundred milliseconds to build, an SSH login longer. For work that is
     * likely to follow (the CLI guesses a command's targets from its arguments); a name that is no
     * target, or a target that cannot be created, is left to the command to report.
     */
    public void prepareTargetsAhead(List<String> names, int streams) {
        if (names.isEmpty()) {
            return;
        }
        Thread.ofPlatform().name("drover-prepare-targets").daemon().start(() -> {
            for (String name : names) {
                if (closed) {
                    return;
                }
                try {
                    StorageTarget target = target(name);
                    target.prepareConcurrentUse(streams);
                    if (closed) {
                        target.close(); // created after close() closed the others
                    }
                } catch (RuntimeException | IOException e) {
                    // reported when the command uses the target
                }
            }
        });
    }

    public Source source(String name) {
        ConnectorDefinition definition = config.sources().get(name);
        if (definition == null) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "no source '" + name + "' in " + config.file());
        }
        return create(registry.source(definition.type()).orElseThrow(), definition);
    }

    /** The replicated database {@code name} from {@code databases:}; the caller closes it. */
    public io.drover.core.spi.ReplicatedDatabase database(String name) {
        ConnectorDefinition definition = config.databases().get(name);
        if (definition == null) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "no database '" + name + "' under databases: in "
                    + config.file());
        }
        return create(registry.database(definition.type()).orElseThrow(), definition);
    }

    /** The traffic switch {@code name} from {@code traffic:}; the caller closes it. */
    public io.drover.core.spi.TrafficSwitch traffic(String name) {
        ConnectorDefinition definition = config.traffic().get(name);
        if (definition == null) {
            throw new DroverException(DroverErrors.CONFIG_INVALID, "no traffic switch '" + name + "' under traffic: in "
                    + config.file());
        }
        return create(registry.traffic(definition.type()).orElseThrow(), definition);
    }

    @SuppressWarnings("unchecked")
    private <C extends Record, T> T create(ConnectorFactory<C, T> factory, ConnectorDefinition definition) {
        return factory.create((C) definition.settings(), new ConnectorContext(definition.name(), stateDir, clock));
    }

    /** The repository on target {@code name}; fails with a hint to run {@code drover init} if there is none. */
    public synchronized Repository repository(String name) {
        Repository existing = repositories.get(name);
        if (existing == null) {
            existing = Repository.open(name, target(name));
            repositories.put(name, existing);
        }
        return existing;
    }

    public List<Repository> repositories(List<String> names) {
        List<Repository> list = new ArrayList<>();
        for (String name : names) {
            list.add(repository(name));
        }
        return list;
    }

    public Encryption encryption() {
        if (config.encryption().insecureNoEncryption()) {
            return new NoEncryption();
        }
        return new AgeEncryption(config.encryption().recipients());
    }

    /** Decryption with the configured identity (or {@code --identity}); without one, only unencrypted data opens. */
    public Decryption decryption() {
        if (identityOverride.isPresent()) {
            Path file = identityOverride.get();
            try {
                return Decryption.withIdentities(AgeKeys.parseIdentities(Files.readString(file), file.toString()));
            } catch (IOException e) {
                throw new DroverException(DroverErrors.KEY_INVALID, "cannot read identity file " + file + ": " + io.drover.core.repository.StorageErrors.describe(e));
            }
        }
        return config.encryption().identity()
                .map(secret -> Decryption.withIdentities(AgeKeys.parseIdentities(secret.reveal(), secret.reference())))
                .orElseGet(Decryption::none);
    }

    /** Closes targets and the catalog; a second call does nothing (a shutdown hook and the CLI may both close). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<StorageTarget> created;
        synchronized (targets) {
            created = List.copyOf(targets.values());
        }
        for (StorageTarget target : created) {
            try {
                target.close();
            } catch (IOException ignored) {
                // closing connections at exit; nothing left to protect
            }
        }
        if (catalog != null) {
            catalog.close();
        }
    }
}
