package io.drover.core.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.StorageTarget;
import io.drover.core.spi.StorageTargetFactory;
import io.drover.core.testing.InMemoryStorageTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectorRegistryTest {
    record NoConfig() {
    }

    static final class MemoryFactory implements StorageTargetFactory<NoConfig> {
        @Override
        public String type() {
            return "memory";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public StorageTarget create(NoConfig config, ConnectorContext context) {
            return new InMemoryStorageTarget();
        }
    }

    @Test
    void findsFactoriesByType() {
        ConnectorRegistry registry = new ConnectorRegistry(List.of(new MemoryFactory()), List.of());
        assertThat(registry.storageTarget("memory")).isPresent();
        assertThat(registry.storageTarget("s3")).isEmpty();
        assertThat(registry.storageTargetTypes()).containsExactly("memory");
    }

    @Test
    void aDuplicateTypeFailsFast() {
        assertThatThrownBy(() -> new ConnectorRegistry(List.of(new MemoryFactory(), new MemoryFactory()), List.of()))
                .hasMessageContaining("claim type 'memory'");
    }
}
