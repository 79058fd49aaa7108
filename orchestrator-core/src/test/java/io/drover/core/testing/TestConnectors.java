package io.drover.core.testing;

import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.DatabaseFactory;
import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceFactory;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetFactory;
import java.util.function.Function;

/**
 * Connector factories for tests that need a few fake connectors in a {@code drover.yaml}: a type
 * name, the config record the YAML binds to, and what to create from it.
 */
public final class TestConnectors {
    private TestConnectors() {
    }

    /** The config of a test connector that only needs a name, e.g. {@code mem: { type: mem, name: one }}. */
    public record Named(String name) {
    }

    public static <C extends Record> SourceFactory<C> source(String type, Class<C> config, Function<C, Source> create) {
        return new SourceFactory<>() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Class<C> configType() {
                return config;
            }

            @Override
            public Source create(C settings, ConnectorContext context) {
                return create.apply(settings);
            }
        };
    }

    public static <C extends Record> StorageTargetFactory<C> target(String type, Class<C> config,
                                                                   Function<C, StorageTarget> create) {
        return new StorageTargetFactory<>() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Class<C> configType() {
                return config;
            }

            @Override
            public StorageTarget create(C settings, ConnectorContext context) {
                return create.apply(settings);
            }
        };
    }

    public static <C extends Record> DatabaseFactory<C> database(String type, Class<C> config,
                                                                Function<C, ReplicatedDatabase> create) {
        return new DatabaseFactory<>() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public Class<C> configType() {
                return config;
            }

            @Override
            public ReplicatedDatabase create(C settings, ConnectorContext context) {
                return create.apply(settings);
            }
        };
    }
}
