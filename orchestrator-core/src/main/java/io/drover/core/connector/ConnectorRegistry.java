package io.drover.core.connector;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.spi.ConnectorFactory;
import io.drover.core.spi.DatabaseFactory;
import io.drover.core.spi.SourceFactory;
import io.drover.core.spi.StorageTargetFactory;
import io.drover.core.spi.TrafficFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The connector factories found on the class path with {@link ServiceLoader}, by {@code type}.
 * Core never names a connector: adding one is adding a jar.
 */
public final class ConnectorRegistry {
    private final Map<String, StorageTargetFactory<?>> targets;
    private final Map<String, SourceFactory<?>> sources;
    private final Map<String, DatabaseFactory<?>> databases;
    private final Map<String, TrafficFactory<?>> traffic;

    public ConnectorRegistry(List<? extends StorageTargetFactory<?>> targets, List<? extends SourceFactory<?>> sources) {
        this(targets, sources, List.of());
    }

    public ConnectorRegistry(List<? extends StorageTargetFactory<?>> targets, List<? extends SourceFactory<?>> sources,
                             List<? extends DatabaseFactory<?>> databases) {
        this(targets, sources, databases, List.of());
    }

    public ConnectorRegistry(List<? extends StorageTargetFactory<?>> targets, List<? extends SourceFactory<?>> sources,
                             List<? extends DatabaseFactory<?>> databases, List<? extends TrafficFactory<?>> traffic) {
        this.targets = index("storage target", targets);
        this.sources = index("source", sources);
        this.databases = index("database", databases);
        this.traffic = index("traffic switch", traffic);
    }

    /** Discovers every factory on the class path of {@code loader}. */
    public static ConnectorRegistry discover(ClassLoader loader) {
        List<StorageTargetFactory<?>> targets = new ArrayList<>();
        ServiceLoader.load(StorageTargetFactory.class, loader).forEach(targets::add);
        List<SourceFactory<?>> sources = new ArrayList<>();
        ServiceLoader.load(SourceFactory.class, loader).forEach(sources::add);
        List<DatabaseFactory<?>> databases = new ArrayList<>();
        ServiceLoader.load(DatabaseFactory.class, loader).forEach(databases::add);
        List<TrafficFactory<?>> traffic = new ArrayList<>();
        ServiceLoader.load(TrafficFactory.class, loader).forEach(traffic::add);
        return new ConnectorRegistry(targets, sources, databases, traffic);
    }

    public static ConnectorRegistry discover() {
        return discover(ConnectorRegistry.class.getClassLoader());
    }

    private static <F extends ConnectorFactory<?, ?>> Map<String, F> index(String role, List<? extends F> factories) {
        Map<String, F> byType = new TreeMap<>();
        for (F factory : factories) {
            F previous = byType.putIfAbsent(factory.type(), factory);
            if (previous != null) {
                throw new DroverException(DroverErrors.DUPLICATE_CONNECTOR_TYPE, "two " + role + " connectors claim type '"
                        + factory.type() + "': " + previous.getClass().getName() + " and " + factory.getClass().getName()
                        + "; remove one of the jars from the class path");
            }
        }
        return Collections.unmodifiableMap(byType);
    }

    /** Every storage-target factory, by type. */
    public List<StorageTargetFactory<?>> storageTargetFactories() {
        return List.copyOf(targets.values());
    }

    public Optional<StorageTargetFactory<?>> storageTarget(String type) {
        return Optional.ofNullable(targets.get(type));
    }

    public Optional<SourceFactory<?>> source(String type) {
        return Optional.ofNullable(sources.get(type));
    }

    /** Types of storage targets available, sorted, for error messages. */
    public List<String> storageTargetTypes() {
        return List.copyOf(targets.keySet());
    }

    public List<String> sourceTypes() {
        return List.copyOf(sources.keySet());
    }

    /** The factory of replicated databases of {@code type} (the {@code databases:} section). */
    public Optional<DatabaseFactory<?>> database(String type) {
        return Optional.ofNullable(databases.get(type));
    }

    public List<String> databaseTypes() {
        return List.copyOf(databases.keySet());
    }

    /** The factory of traffic switches of {@code type} (the {@code traffic:} section). */
    public Optional<TrafficFactory<?>> traffic(String type) {
        return Optional.ofNullable(traffic.get(type));
    }

    public List<String> trafficTypes() {
        return List.copyOf(traffic.keySet());
    }
}
