package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EndpointsTest {

    @Test
    void loopbackNamesAreOneHost() {
        assertThat(Endpoints.same("127.0.0.1", 5432, "localhost", 5432)).isTrue();
        assertThat(Endpoints.same("::1", 5432, "127.0.0.1", 5432)).isTrue();
        assertThat(Endpoints.same("LOCALHOST", 5432, "localhost", 5432)).isTrue();
    }

    @Test
    void anotherPortOrHostIsAnotherServer() {
        assertThat(Endpoints.same("127.0.0.1", 5432, "127.0.0.1", 5433)).isFalse();
        assertThat(Endpoints.same("192.0.2.10", 5432, "127.0.0.1", 5432)).isFalse();
        assertThat(Endpoints.same("192.0.2.10", 5432, "192.0.2.11", 5432)).isFalse();
    }

    @Test
    void aUnixSocketIsTheLocalHost() {
        assertThat(Endpoints.same("/var/run/postgresql", 5432, "127.0.0.1", 5432)).isTrue();
        assertThat(Endpoints.same("/var/run/postgresql", 5432, "192.0.2.10", 5432)).isFalse();
    }
}
