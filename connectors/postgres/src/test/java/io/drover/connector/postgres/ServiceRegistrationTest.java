package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.spi.DatabaseFactory;
import io.drover.core.spi.SourceFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceRegistrationTest {

    @Test
    @SuppressWarnings("rawtypes") // the factories are generic in their config type
    void postgresSourceIsFoundByServiceLoader() {
        assertThat(ServiceLoader.load(SourceFactory.class).stream().map(p -> p.get().type())).contains("postgres");
    }

    @Test
    @SuppressWarnings("rawtypes") // the factories are generic in their config type
    void postgresDatabaseIsFoundByServiceLoader() {
        assertThat(ServiceLoader.load(DatabaseFactory.class).stream().map(p -> p.get().type())).contains("postgres");
    }
}
