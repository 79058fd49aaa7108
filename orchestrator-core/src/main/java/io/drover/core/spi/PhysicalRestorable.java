package io.drover.core.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A {@link Source} whose physical backups (a copy of a database server's files) can be turned back
 * into a data directory, rolled forward with archived write-ahead log to a point in time (PITR).
 *
 * <p>Core restores the base backup's files and the files of the archived WAL (decrypted,
 * decompressed, every hash checked) into private directories and hands them to the connector,
 * which knows their layout; the connector prepares the data directory so that the database server,
 * when the operator starts it, recovers to the target and opens.
 */
public interface PhysicalRestorable extends Source {

    /**
     * Unpacks a base backup into {@code dataDirectory}, which must be missing or empty, adds the
     * archived WAL and configures the recovery.
     *
     * @param baseFiles     the restored files of one physical base backup, as a source of this type wrote them
     * @param walFiles      a directory of archived WAL files (restored from the WAL job's recovery points,
     *                      later copies replacing earlier ones); may be empty
     * @param dataDirectory where the server's data directory is created
     * @param targetTime    recover up to this time (transactions committed after it are not applied);
     *                      empty: to the end of the archived WAL
     * @return what was done and what the operator does next, for the user
     */
    String restoreDataDirectory(Path baseFiles, Path walFiles, Path dataDirectory, Optional<Instant> targetTime)
            throws IOException;
}
