package io.drover.runbook.engine;

import io.drover.core.alert.Alert;
import io.drover.core.alert.AlertChannel;
import io.drover.core.alert.AlertDispatcher;
import io.drover.core.spi.action.ActionServices;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Gives actions the alert channels, databases, traffic switches and job backups of drover.yaml. */
public final class AlertActionServices implements ActionServices {
    private final AlertDispatcher dispatcher;
    private final Clock clock;
    private final java.util.function.Function<String, io.drover.core.spi.ReplicatedDatabase> databases;
    private final java.util.function.Function<String, io.drover.core.spi.TrafficSwitch> switches;
    private final RuntimeBackups backups;

    /**
     * @param databases opens a database of the {@code databases:} section by name (throws for an unknown one)
     * @param switches  opens a switch of the {@code traffic:} section by name (throws for an unknown one)
     * @param backups   the backups of the {@code jobs:} section
     */
    public AlertActionServices(AlertDispatcher dispatcher, Clock clock,
                               java.util.function.Function<String, io.drover.core.spi.ReplicatedDatabase> databases,
                               java.util.function.Function<String, io.drover.core.spi.TrafficSwitch> switches,
                               RuntimeBackups backups) {
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.databases = databases;
        this.switches = switches;
        this.backups = backups;
    }

    @Override
    public java.util.Optional<io.drover.core.spi.action.RestorableBackup> newestBackup(
            io.drover.core.spi.action.BackupSelector selector) {
        return backups.newest(selector);
    }

    @Override
    public io.drover.core.spi.action.RestoredBackup restoreBackup(io.drover.core.spi.action.RestorableBackup backup,
                                                                  java.nio.file.Path directory, boolean force) {
        return backups.restore(backup, directory, force);
    }

    @Override
    public io.drover.core.spi.action.DatabaseLoadPlan planDatabaseLoad(io.drover.core.spi.action.RestorableBackup backup,
                                                                       java.util.Optional<String> into) {
        return backups.planDatabaseLoad(backup, into);
    }

    @Override
    public io.drover.core.spi.action.LoadedBackup loadBackup(io.drover.core.spi.action.RestorableBackup backup,
                                                             String database, java.util.Optional<String> into,
                                                             boolean replace) {
        return backups.load(backup, database, into, replace);
    }

    @Override
    public io.drover.core.spi.ReplicatedDatabase database(String name) {
        return open(() -> databases.apply(name));
    }

    @Override
    public io.drover.core.spi.TrafficSwitch traffic(String name) {
        return open(() -> switches.apply(name));
    }

    /** Core's "not in the config" becomes the IllegalArgumentException the SPI promises. */
    private static <T> T open(java.util.function.Supplier<T> opener) {
        try {
            return opener.get();
        } catch (io.drover.core.error.DroverException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public List<String> alertChannels() {
        return dispatcher.channels().stream().map(AlertChannel::name).toList();
    }

    @Override
    public List<String> notify(String key, Severity severity, String title, String text, Map<String, Object> fields) {
        Alert.Severity level = switch (severity) {
            case INFO -> Alert.Severity.INFO;
            case WARNING -> Alert.Severity.WARNING;
            case CRITICAL -> Alert.Severity.CRITICAL;
        };
        return dispatcher.dispatch(new Alert(Alert.Kind.RUNBOOK, level, key, title, text, fields, clock.instant())).stream()
                .map(d -> d.channel() + ": " + d.outcome() + d.detail().map(x -> " (" + x + ")").orElse(""))
                .toList();
    }
}
