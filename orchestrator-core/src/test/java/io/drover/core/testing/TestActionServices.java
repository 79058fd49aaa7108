package io.drover.core.testing;

import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.TrafficSwitch;
import io.drover.core.spi.action.ActionContext;
import io.drover.core.spi.action.ActionServices;
import io.drover.core.spi.action.BackupSelector;
import io.drover.core.spi.action.RestorableBackup;
import io.drover.core.spi.action.RestoredBackup;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the runbook engine offers actions, for connector tests that drive their actions without the
 * engine (connectors do not depend on the runbooks module): the databases and traffic switches the
 * test names, each lookup opening a new one as the engine does (actions close theirs); notifications
 * kept in {@link #sent}; no jobs. Subclasses override what else they need.
 */
public class TestActionServices implements ActionServices {
    /** Every notification, as "SEVERITY title: text". */
    public final List<String> sent = new CopyOnWriteArrayList<>();
    private final Map<String, Supplier<ReplicatedDatabase>> databases = new LinkedHashMap<>();
    private final Map<String, Supplier<TrafficSwitch>> switches = new LinkedHashMap<>();

    public TestActionServices withDatabase(String name, Supplier<ReplicatedDatabase> opens) {
        databases.put(name, opens);
        return this;
    }

    public TestActionServices withTraffic(String name, Supplier<TrafficSwitch> opens) {
        switches.put(name, opens);
        return this;
    }

    /** A context for step {@code stepId} of execution 1 with a minute to go, progress lines going to {@code log}. */
    public ActionContext context(String stepId, Path stateDir, Consumer<String> log) {
        return context(stepId, stateDir, log, Duration.ofMinutes(1));
    }

    public ActionContext context(String stepId, Path stateDir, Consumer<String> log, Duration deadline) {
        Clock clock = Clock.systemUTC();
        return new ActionContext(1, stepId, "test-runbook", clock.instant().plus(deadline), clock, stateDir, log, this);
    }

    @Override
    public List<String> alertChannels() {
        return List.of("memory");
    }

    @Override
    public List<String> notify(String key, Severity severity, String title, String text, Map<String, Object> fields) {
        sent.add(severity + " " + title + ": " + text);
        return List.of("memory: SENT");
    }

    @Override
    public ReplicatedDatabase database(String name) {
        return lookup(databases, name, "database", "databases:").get();
    }

    @Override
    public TrafficSwitch traffic(String name) {
        return lookup(switches, name, "traffic switch", "traffic:").get();
    }

    private static <T> T lookup(Map<String, T> defined, String name, String what, String section) {
        T found = defined.get(name);
        if (found == null) {
            throw new IllegalArgumentException("no " + what + " '" + name + "' under " + section + "; defined: "
                    + (defined.isEmpty() ? "none" : String.join(", ", defined.keySet())));
        }
        return found;
    }

    @Override
    public Optional<RestorableBackup> newestBackup(BackupSelector selector) {
        throw new IllegalArgumentException("no job '" + selector.job() + "' under jobs:; defined: none");
    }

    @Override
    public RestoredBackup restoreBackup(RestorableBackup backup, Path directory, boolean force) {
        throw new IllegalArgumentException("no job '" + backup.job() + "' under jobs:; defined: none");
    }

    @Override
    public io.drover.core.spi.action.DatabaseLoadPlan planDatabaseLoad(RestorableBackup backup, Optional<String> into) {
        throw new IllegalArgumentException("no job '" + backup.job() + "' under jobs:; defined: none");
    }

    @Override
    public io.drover.core.spi.action.LoadedBackup loadBackup(RestorableBackup backup, String database,
                                                             Optional<String> into, boolean replace) {
        throw new IllegalArgumentException("no job '" + backup.job() + "' under jobs:; defined: none");
    }
}
