package io.drover.runbook.engine;

import io.drover.core.catalog.Catalog;
import io.drover.core.spi.action.ActionServices;
import io.drover.runbook.action.ActionRegistry;
import io.drover.runbook.model.Runbook;
import io.drover.runbook.parse.RunbookParser;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Engines over a real catalog for tests, with notifications kept in memory. */
public final class TestEngines {
    public static final Map<String, List<String>> ROLES = Map.of("dba", List.of("alice", "bob"));

    private TestEngines() {
    }

    /**
     * Notifications sent, as "severity title: text"; databases and traffic switches from the maps given;
     * backups from {@link #backups}, core's real restore over a test runtime, when a test sets it.
     */
    public static final class RecordingServices implements ActionServices {
        public final List<String> sent = new CopyOnWriteArrayList<>();
        public final Map<String, io.drover.core.spi.ReplicatedDatabase> databases = new java.util.concurrent.ConcurrentHashMap<>();
        public final Map<String, io.drover.core.spi.TrafficSwitch> switches = new java.util.concurrent.ConcurrentHashMap<>();
        public volatile RuntimeBackups backups;
        /** The alert channels to report; a test empties it for a config without alerts. */
        public volatile List<String> channels = List.of("memory");

        private RuntimeBackups backups() {
            return Optional.ofNullable(backups).orElseThrow(() -> new IllegalArgumentException(
                    "no job under jobs:; this test defines no jobs"));
        }

        @Override
        public Optional<io.drover.core.spi.action.RestorableBackup> newestBackup(
                io.drover.core.spi.action.BackupSelector selector) {
            return backups().newest(selector);
        }

        @Override
        public io.drover.core.spi.action.RestoredBackup restoreBackup(io.drover.core.spi.action.RestorableBackup backup,
                                                                      Path directory, boolean force) {
            return backups().restore(backup, directory, force);
        }

        @Override
        public io.drover.core.spi.action.DatabaseLoadPlan planDatabaseLoad(io.drover.core.spi.action.RestorableBackup backup,
                                                                           java.util.Optional<String> into) {
            return backups().planDatabaseLoad(backup, into);
        }

        @Override
        public io.drover.core.spi.action.LoadedBackup loadBackup(io.drover.core.spi.action.RestorableBackup backup,
                                                                 String database, java.util.Optional<String> into,
                                                                 boolean replace) {
            return backups().load(backup, database, into, replace);
        }

        @Override
        public io.drover.core.spi.ReplicatedDatabase database(String name) {
            return java.util.Optional.ofNullable(databases.get(name)).orElseThrow(() -> new IllegalArgumentException(
                    "no database '" + name + "' under databases:; defined: " + databases.keySet()));
        }

        @Override
        public io.drover.core.spi.TrafficSwitch traffic(String name) {
            return java.util.Optional.ofNullable(switches.get(name)).orElseThrow(() -> new IllegalArgumentException(
                    "no traffic switch '" + name + "' under traffic:; defined: " + switches.keySet()));
        }

        @Override
        public List<String> alertChannels() {
            return channels;
        }

        @Override
        public List<String> notify(String key, Severity severity, String title, String text, Map<String, Object> fields) {
            sent.add(severity + " " + title + ": " + text);
            return List.of("memory: SENT");
        }
    }

    public static RunbookEngine engine(Catalog catalog, Path stateDir, String actor, RunbookProgress progress,
                                       ActionServices services) {
        return new RunbookEngine(catalog, ActionRegistry.discover(), services, Clock.systemUTC(), stateDir, ROLES,
                Optional.of(List.of("orders-pg")), System::getenv, progress, actor, Duration.ofMillis(50));
    }

    public static Runbook runbook(String name, String text) {
        RunbookParser.Result result = new RunbookParser(ActionRegistry.discover(), Optional.of(Set.of("dba")), System::getenv)
                .parse(Path.of(name + ".yaml"), name + ".yaml", text, Optional.of(name));
        if (!result.problems().isEmpty()) {
            throw new AssertionError(result.problems());
        }
        return result.runbook().orElseThrow();
    }
}
