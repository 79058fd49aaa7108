package io.drover.connector.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.spi.TrafficFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceRegistrationTest {
    @Test
    @SuppressWarnings("rawtypes") // the factories are generic in their config type
    void dnsTrafficSwitchIsFoundByServiceLoader() {
        assertThat(ServiceLoader.load(TrafficFactory.class).stream().map(p -> p.get().type())).contains("dns");
    }
}
