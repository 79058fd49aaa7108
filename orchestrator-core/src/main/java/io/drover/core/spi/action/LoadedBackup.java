package io.drover.core.spi.action;

import java.util.Objects;

/**
 * What {@link ActionServices#loadBackup} did.
 *
 * @param database the database it created or filled
 * @param source   the source under {@code sources:} whose server holds that database now
 * @param message  the connector's one line about what it loaded, e.g. "restored orders_dr from dump.pgdump"
 */
public record LoadedBackup(RestorableBackup backup, String database, String source, String message) {
    public LoadedBackup {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }
}
