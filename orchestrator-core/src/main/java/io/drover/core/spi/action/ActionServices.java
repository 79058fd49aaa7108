package io.drover.core.spi.action;

import java.util.List;
import java.util.Map;

/** What core offers runbook actions without their depending on core's internals. */
public interface ActionServices {

    /** How urgent a notification is. */
    enum Severity { INFO, WARNING, CRITICAL }

    /** The names of the configured alert channels (webhook, slack, email), in send order. */
    List<String> alertChannels();

    /**
     * Sends a notification through every configured alert channel. {@code key} de-duplicates: the
     * same key is sent once per dedupe window, so a resumed step does not notify twice.
     *
     * @return per channel, what became of it (e.g. {@code webhook: SENT})
     */
    List<String> notify(String key, Severity severity, String title, String text, Map<String, Object> fields);

    /**
     * The replicated database {@code name} of the {@code databases:} section; the action closes it.
     *
     * @throws IllegalArgumentException naming the defined databases when there is none of that name
     */
    io.drover.core.spi.ReplicatedDatabase database(String name);

    /**
     * The traffic switch {@code name} of the {@code traffic:} section; the action closes it.
     *
     * @throws IllegalArgumentException naming the defined switches when there is none of that name
     */
    io.drover.core.spi.TrafficSwitch traffic(String name);

    /**
     * The newest backup of a job that {@code selector} accepts, as the catalog knows it; reads the
     * chosen copy's manifest to make sure its target can be reached. Side-effect free.
     *
     * @return empty when the job has no such backup
     * @throws IllegalArgumentException naming the defined jobs (or the job's targets) when the job
     *                                  (or the target) is not in the config
     */
    java.util.Optional<RestorableBackup> newestBackup(BackupSelector selector);

    /**
     * Restores {@code backup} (its whole incremental chain) into {@code directory}, like
     * {@code drover restore ID --to DIR [--force]}, and records it in the audit log.
     *
     * @param force write into a directory that is not empty, replacing files with the same names
     * @throws ActionFailedException when the directory is not empty (without force), the key is
     *                               missing, or an entry was refused or failed its integrity check;
     *                               the details list them
     */
    RestoredBackup restoreBackup(RestorableBackup backup, java.nio.file.Path directory, boolean force);

    /**
     * Where {@link #loadBackup} would load {@code backup} and whether it can: the backup must come
     * from a database source whose type can load it into a named database (not a files backup, not a
     * PostgreSQL physical one), and {@code into}, when given, must be a source of the same type, as
     * {@code drover restore ID --database NAME [--into SOURCE]} requires. Reads the backup's manifest;
     * connects to no database.
     *
     * @param into the source whose server gets the database; empty: the source the backup was taken from
     */
    DatabaseLoadPlan planDatabaseLoad(RestorableBackup backup, java.util.Optional<String> into);

    /**
     * Loads {@code backup} into the database {@code database}, like
     * {@code drover restore ID --database NAME [--into SOURCE] [--replace]}, and records it in the
     * audit log. Creates the database if it does not exist.
     *
     * @param into    the source whose server gets the database; empty: the source the backup was taken from
     * @param replace drop and recreate a database that already holds tables; without it such a database is refused
     * @throws ActionFailedException when the backup cannot be loaded into a database, the key is
     *                               missing, the database holds tables (without replace), or the load fails
     */
    LoadedBackup loadBackup(RestorableBackup backup, String database, java.util.Optional<String> into, boolean replace);
}
