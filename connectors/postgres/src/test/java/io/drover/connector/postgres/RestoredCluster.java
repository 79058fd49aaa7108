package io.drover.connector.postgres;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * A PostgreSQL server started by a test on a data directory a point-in-time restore prepared, on a
 * free loopback port (as the {@code postgres} user when run as root). {@link #close()} stops it and
 * deletes the directory.
 */
public final class RestoredCluster implements AutoCloseable {
    private final TemporaryInstance instance;

    private RestoredCluster(TemporaryInstance instance) {
        this.instance = instance;
    }

    /** Starts the server on {@code data} and waits until its recovery has ended (it was promoted). */
    public static RestoredCluster start(Path data, Duration timeout) throws IOException, SQLException, InterruptedException {
        ClientTools server = ClientTools.serverPrograms(Optional.empty(), 0, Duration.ofMinutes(1));
        RestoredCluster cluster = new RestoredCluster(TemporaryInstance.startExisting(server, data, timeout));
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!"f".equals(cluster.query("postgres", "select pg_is_in_recovery()"))) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the restored server on " + data + " is still in recovery after " + timeout);
                }
                Thread.sleep(100);
            }
            return cluster;
        } catch (IOException | SQLException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public int port() {
        return instance.port();
    }

    /** The first column of the first row of {@code sql} in {@code database}, or null. */
    public String query(String database, String sql) throws SQLException, IOException {
        return PostgresReplicaPair.query(instance.url(database), sql);
    }

    @Override
    public void close() throws IOException {
        instance.close();
    }
}
