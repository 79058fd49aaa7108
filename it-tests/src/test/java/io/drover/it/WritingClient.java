package io.drover.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application writing to a database through its load balancer without pause: each write inserts
 * a new id and is <em>acknowledged</em> when the commit returned; the server's port that took it is
 * kept (so a test sees when writes land on the new primary). On any error — a fenced primary, a
 * connection cut by the switch — it reconnects and goes on with the next id, as a client with a
 * retry loop does.
 */
final class WritingClient implements AutoCloseable {
    /** One acknowledged write: its id, the port of the server that committed it, when (nanoTime). */
    record Ack(long id, int serverPort, long nanos) {
    }

    private final String url;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, Ack> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Starts writing into {@code table (id bigint primary key, server_port int)} through {@code host:port}. */
    WritingClient(int port, String database, String table) {
        this.url = "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        String insert = "insert into " + table + " (id, server_port) values (?, inet_server_port()) returning server_port";
        thread = Thread.ofPlatform().name("writing-client").start(() -> loop(insert));
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "5");
        return DriverManager.getConnection(url, properties);
    }

    private void loop(String insert) {
        Connection connection = null;
        while (running.get()) {
            try {
                if (connection == null) {
                    connection = connect();
                }
                long id = nextId.getAndIncrement();
                try (PreparedStatement statement = connection.prepareStatement(insert)) {
                    statement.setLong(1, id);
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                        acknowledged.put(id, new Ack(id, row.getInt(1), System.nanoTime()));
                    }
                }
                Thread.sleep(2);
            } catch (SQLException e) {
                failures.incrementAndGet();
                if (errors.size() < 20) {
                    errors.add(e.getSQLState() + " " + e.getMessage());
                }
                closeQuietly(connection);
                connection = null;
                sleep(20);
            } catch (InterruptedException e) {
                break;
            }
        }
        closeQuietly(connection);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is gone already
            }
        }
    }

    /** Waits until {@code count} more writes were acknowledged, or fails. */
    void awaitMoreAcks(int count, Duration limit) throws InterruptedException {
        int target = acknowledged.size() + count;
        long deadline = System.nanoTime() + limit.toNanos();
        while (acknowledged.size() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the client got " + (acknowledged.size() - target + count) + " of " + count
                        + " acknowledgements within " + limit + "; last errors: " + errors);
            }
            Thread.sleep(10);
        }
    }

    /** The first acknowledged write committed by the server on {@code serverPort} after {@code sinceNanos}. */
    Optional<Ack> firstAckOn(int serverPort, long sinceNanos) {
        return acknowledged.values().stream().filter(a -> a.serverPort() == serverPort && a.nanos() >= sinceNanos)
                .min(java.util.Comparator.comparingLong(Ack::nanos));
    }

    /** The last acknowledged write committed by the server on {@code serverPort}. */
    Optional<Ack> lastAckOn(int serverPort) {
        return acknowledged.values().stream().filter(a -> a.serverPort() == serverPort)
                .max(java.util.Comparator.comparingLong(Ack::nanos));
    }

    java.util.Set<Long> acknowledgedIds() {
        return java.util.Set.copyOf(acknowledged.keySet());
    }

    long failures() {
        return failures.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
