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
     * directory). Core refuses {@code --database} for it, and restore-tests it only if
     * {@link #canRestoreTest} (else at file level only).
     */
    default boolean canLoad(java.util.Map<String, String> position) {
        return true;
    }

    /**
     * Whether a restore test can load a backup this source's type wrote, with this recorded
     * position, into a scratch instance and run checks on it. A backup that {@link #canLoad} can; so
     * can a PostgreSQL physical backup, though it cannot be loaded into a named database: it becomes
     * the data directory of a temporary instance. When this is false, core restore-verifies the
     * backup at file level only.
     */
    default boolean canRestoreTest(java.util.Map<String, String> position) {
        return canLoad(position);
    }

    /**
     * Opens a scratch database for restore verification: a temporary instance this connector starts
     * itself (on a free loopback port, data under {@link ScratchContext#workDirectory()}), or,
     * when {@link ScratchContext#server()} is present, a new database with a unique name on that
     * server. Never the source database. {@link ScratchDatabase#close()} removes it again.
     *
     * <p>A backup that can be restore-tested but not loaded into a database (see
     * {@link #canRestoreTest}) is always loaded into a temporary instance, even when a server is
     * present; {@link ScratchDatabase#describe()} then says that the server was not used.
     */
    ScratchDatabase openScratch(ScratchContext context) throws IOException;
}
