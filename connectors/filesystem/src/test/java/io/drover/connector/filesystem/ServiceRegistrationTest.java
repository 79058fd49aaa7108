package io.drover.connector.filesystem;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.spi.SourceFactory;
import io.drover.core.spi.StorageTargetFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceRegistrationTest {

    @Test
    @SuppressWarnings("rawtypes") // the factories are generic in their config type
    void localTargetIsFoundByServiceLoader() {
        assertThat(ServiceLoader.load(StorageTargetFactory.class).stream().map(p -> p.get().type()))
                .contains("local");
    }

    @Test
    @SuppressWarnings("rawtypes") // the factories are generic in their config type
    void filesAndCommandSourcesAreFoundByServiceLoader() {
        assertThat(ServiceLoader.load(SourceFactory.class).stream().map(p -> p.get().type()))
                .contains("files", "command");
    }
}
