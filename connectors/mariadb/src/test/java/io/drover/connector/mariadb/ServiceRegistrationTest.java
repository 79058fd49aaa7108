package io.drover.connector.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.spi.SourceFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceRegistrationTest {
    @Test
    @SuppressWarnings("rawtypes") // the factories are generic in their config type
    void mariadbAndMysqlSourcesAreFoundByServiceLoader() {
        assertThat(ServiceLoader.load(SourceFactory.class).stream().map(p -> p.get().type())).contains("mariadb", "mysql");
    }
}
