package io.drover.connector.mariadb;

import io.drover.core.spi.CheckResult;
import io.drover.core.spi.ScratchDatabase;
import io.drover.core.spi.ValidationCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** A scratch database on some server: loading and checks, within the scratch's time budget. */
abstract class AbstractScratch implements ScratchDatabase {
    private static final Duration LEAST = Duration.ofSeconds(1);

    final Tools tools;
    final Endpoint endpoint;
    final String database;
    final String canaryTable;
    private final long deadlineNanos;

    AbstractScratch(Tools tools, Endpoint endpoint, String database, String canaryTable, long deadlineNanos) {
        this.tools = tools;
        this.endpoint = endpoint;
        this.database = database;
        this.canaryTable = canaryTable;
        this.deadlineNanos = deadlineNanos;
    }

    Duration remaining() {
        Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime());
        return left.compareTo(LEAST) < 0 ? LEAST : left;
    }

    @Override
    public void load(Path files) throws IOException {
        DumpLoader.load(tools, endpoint, database, DumpLoader.findDump(files), remaining());
    }

    @Override
    public CheckResult run(ValidationCheck check) {
        return Checks.run(endpoint, database, canaryTable, check, remaining());
    }
}
