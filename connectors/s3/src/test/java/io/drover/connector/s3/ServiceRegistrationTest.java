package io.drover.connector.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.spi.StorageTargetFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceRegistrationTest {

    @Test
    @SuppressWarnings("rawtypes") // the factories are generic in their config type
    void s3TargetIsFoundByServiceLoader() {
        assertThat(ServiceLoader.load(StorageTargetFactory.class).stream().map(p -> p.get().type())).contains("s3");
    }
}
