package io.drover.core.testing;

import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.DatabaseFactory;
import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.Source;
import io.drover.core.spi.SourceFactory;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetFactory;
import io.drover.core.spi.TrafficFactory;
import io.drover.core.spi.TrafficSwitch;
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
        final class Factory extends Base<C, Source> implements SourceFactory<C> {
            Factory() {
                super(type, config, create);
            }
        }
        return new Factory();
    }

    public static <C extends Record> StorageTargetFactory<C> target(String type, Class<C> config,
                                                                   Function<C, StorageTarget> create) {
        final class Factory extends Base<C, StorageTarget> implements StorageTargetFactory<C> {
            Factory() {
                super(type, config, create);
            }
        }
        return new Factory();
    }

    public static <C extends Record> DatabaseFactory<C> database(String type, Class<C> config,
                                                                Function<C, ReplicatedDatabase> create) {
        final class Factory extends Base<C, ReplicatedDatabase> implements DatabaseFactory<C> {
            Factory() {
                super(type, config, create);
            }
        }
        return new Factory();
    }

    public static <C extends Record> TrafficFactory<C> traffic(String type, Class<C> config,
                                                              Function<C, TrafficSwitch> create) {
        final class Factory extends Base<C, TrafficSwitch> implements TrafficFactory<C> {
            Factory() {
                super(type, config, create);
            }
        }
        return new Factory();
    }

    /** What every test factory does: a type name, a config record, a function that creates. */
    private abstract static class Base<C extends Record, T> {
        private final String type;
        private final Class<C> config;
        private final Function<C, T> create;

        Base(String type, Class<C> config, Function<C, T> create) {
            this.type = type;
            this.config = config;
            this.create = create;
        }

        public String type() {
            return type;
        }

        public Class<C> configType() {
            return config;
        }

        public T create(C settings, ConnectorContext context) {
            return create.apply(settings);
        }
    }
}
