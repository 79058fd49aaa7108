package io.drover.connector.mariadb;

import io.drover.core.model.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * A server and the account drover uses on it. {@link #toString()} and {@link #hostPort()} never
 * show the password; it reaches JDBC through {@link Properties} and the client programs through an
 * {@link OptionFile}.
 */
record Endpoint(String host, int port, String user, Optional<Secret> password) {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    Endpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    static Endpoint of(DbUrl url, Optional<Secret> password) {
        return new Endpoint(url.host(), url.port(), url.user(), password);
    }

    String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    Optional<String> revealedPassword() {
        return password.map(Secret::reveal);
    }

    /** A connection without a default database; the URL handed to the driver holds no credentials. */
    Connection connect() throws SQLException {
        return connect(CONNECT_TIMEOUT, Optional.empty());
    }

    /**
     * A connection that gives up connecting after {@code connectTimeout} and, with a
     * {@code socketTimeout}, on any answer that takes longer: for monitoring, where a dead server
     * must not hang the caller.
     */
    Connection connect(Duration connectTimeout, Optional<Duration> socketTimeout) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        password.ifPresent(p -> properties.setProperty("password", p.reveal()));
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toMillis())));
        socketTimeout.ifPresent(t -> properties.setProperty("socketTimeout", Long.toString(Math.max(1, t.toMillis()))));
        return DriverManager.getConnection("jdbc:mariadb://" + hostPort() + "/", properties);
    }

    @Override
    public String toString() {
        return user + "@" + hostPort();
    }
}
