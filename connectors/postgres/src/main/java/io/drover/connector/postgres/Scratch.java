package io.drover.connector.postgres;

import io.drover.core.model.Secret;
import io.drover.core.spi.CheckResult;
import io.drover.core.spi.ScratchDatabase;
import io.drover.core.spi.ValidationCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A scratch database for restore verification: one database in a temporary instance or on a
 * server, loaded with {@code pg_restore} and checked over JDBC.
 */
final class Scratch implements ScratchDatabase {
    private static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(5);

    /** Removes what was created for the scratch database. */
    @FunctionalInterface
    interface Cleanup {
        void run() throws IOException;
    }

    private final String describe;
    private final PostgresUrl target;
    private final Optional<Secret> password;
    private final ClientTools tools;
    private final PassFile passFile;
    private final int jobs;
    private final String canaryTable;
    private final long deadline;
    private final Duration timeout;
    private final Cleanup cleanup;
    private boolean closed;

    Scratch(String describe, PostgresUrl target, Optional<Secret> password, ClientTools tools, PassFile passFile, int jobs,
            String canaryTable, long deadline, Duration timeout, Cleanup cleanup) {
        this.describe = describe;
        this.target = target;
        this.password = password;
        this.tools = tools;
        this.passFile = passFile;
        this.jobs = jobs;
        this.canaryTable = canaryTable;
        this.deadline = deadline;
        this.timeout = timeout;
        this.cleanup = cleanup;
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public void load(Path files) throws IOException {
        Path dump = Restore.findDump(files);
        Map<String, String> environment = passFile.environment();
        Restore.load(tools, environment, dump, target, jobs, remaining(), timeout);
    }

    @Override
    public CheckResult run(ValidationCheck check) {
        return run(check, target, password, canaryTable, deadline);
    }

    /** Runs {@code check} against {@code target} over JDBC; a check that cannot run fails with the reason. */
    static CheckResult run(ValidationCheck check, PostgresUrl target, Optional<Secret> password, String canaryTable,
                           long deadline) {
        Duration remaining = Duration.ofNanos(deadline - System.nanoTime());
        if (remaining.isNegative() || remaining.isZero()) {
            return CheckResult.failed(check, "the verification timeout ran out before this check");
        }
        try (Connection connection = Jdbc.connect(target, password)) {
            Duration timeout = remaining.compareTo(STATEMENT_TIMEOUT) < 0 ? remaining : STATEMENT_TIMEOUT;
            return Checks.run(connection, check, canaryTable, timeout);
        } catch (IOException | java.sql.SQLException e) {
            return CheckResult.failed(check, e.getMessage());
        }
    }

    private Duration remaining() throws IOException {
        long nanos = deadline - System.nanoTime();
        if (nanos <= 0) {
            throw new IOException("the verification timeout ran out before " + describe + " was loaded");
        }
        return Duration.ofNanos(nanos);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cleanup.run();
        } finally {
            passFile.close();
        }
    }
}
