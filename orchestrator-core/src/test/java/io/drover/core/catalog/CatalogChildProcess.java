package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import java.nio.file.Path;

/**
 * Run by {@link CatalogH2Test} in a second JVM: opens the embedded catalog, checks it sees the
 * test's recovery point and writes one of its own. Exit code 0 on success. With a fourth argument
 * {@code crash} it then records the start of a scheduled run (a durable write) and dies at once like
 * a process killed with SIGKILL: no close, no shutdown hooks.
 */
public final class CatalogChildProcess {
    private CatalogChildProcess() {
    }

    public static void main(String[] args) {
        Path stateDir = Path.of(args[0]);
        BackupId expected = new BackupId(args[1]);
        BackupId mine = new BackupId(args[2]);
        try (Catalog catalog = Catalog.open(CatalogSettings.embedded(stateDir))) {
            if (catalog.findRecoveryPoint(expected).isEmpty()) {
                System.err.println("child: recovery point " + expected + " of the parent process is not visible");
                System.exit(3);
            }
            catalog.upsertRecoveryPoint(TestRecords.point(mine, "db"));
            if (args.length > 3 && args[3].equals("crash")) {
                // A durable record (a scheduled run's start) right before the kill: it must survive.
                catalog.startScheduledRun("backup:crash", "backup", java.time.Instant.now(), "fire-crash", "child", false,
                        java.time.Instant.now());
                Runtime.getRuntime().halt(0);
            }
        }
        System.exit(0);
    }
}
