package io.drover.core.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A database opened for restore verification. Load once, run checks, close: closing drops the
 * scratch database or stops and deletes the temporary instance, also after a failed load.
 */
public interface ScratchDatabase extends AutoCloseable {

    /** Where it is, for reports (host, port, database name); never contains credentials. */
    String describe();

    /**
     * Loads a restored backup's files into this database.
     *
     * @throws IOException with the loader's own message (e.g. {@code pg_restore}'s stderr tail)
     *                     when the files cannot be loaded: a damaged dump fails here
     */
    void load(Path files) throws IOException;

    /** Runs one check against the loaded data; a check that cannot run fails with the reason. */
    CheckResult run(ValidationCheck check);

    /** Removes the scratch database and everything the connector created for it. */
    @Override
    void close() throws IOException;
}
