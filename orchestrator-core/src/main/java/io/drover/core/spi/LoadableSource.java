package io.drover.core.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link Source} whose backups can be loaded back into a running system: a database dump is
 * restored into a named database, or into a scratch database to prove the backup works.
 *
 * <p>Core restores a recovery point's files (decrypted, decompressed, every hash checked) into a
 * private directory and hands that directory to the connector; the connector knows which of the
 * files it wrote and how to load them ({@code pg_restore}, {@code mariadb}).
 */
public interface LoadableSource extends Source {

    /**
     * Loads a restored backup into the database {@code database} on this source's server (to load
     * onto another server, core calls this on another source of the same type). Creates the
     * database if it does not exist; refuses an existing database that holds tables unless
     * {@code replace}, which drops and recreates it.
     *
     * @param files the restored files of one recovery point, as a source of this type wrote them
     * @return what was loaded, one line for the user
     */
    String loadInto(Path files, String database, boolean replace) throws IOException;

    /**
     * Whether a backup this source's type wrote, with this recorded position, can be loaded into a
     * database at all: a PostgreSQL physical or WAL backup cannot (it is restored as a data
     * directory). Core then restore-verifies it at file level only and refuses {@code --database}.
     */
    default boolean canLoad(java.util.Map<String, String> position) {
        return true;
    }

    /**
     * Opens a scratch database for restore verification: a temporary instance this connector starts
     * itself (on a free loopback port, data under {@link ScratchContext#workDirectory()}), or,
     * when {@link ScratchContext#server()} is present, a new database with a unique name on that
     * server. Never the source database. {@link ScratchDatabase#close()} removes it again.
     */
    ScratchDatabase openScratch(ScratchContext context) throws IOException;
}
