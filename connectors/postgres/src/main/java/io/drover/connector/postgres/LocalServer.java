package io.drover.connector.postgres;

import io.drover.connector.postgres.PostgresDatabaseConfig.RejoinMethod;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a member's server runs on the host where drover runs, so that drover can stop it,
 * rewrite its data and start it again (a rejoin).
 *
 * @param dataDir      its data directory, absolute
 * @param osUser       the user that owns it and runs the server programs
 * @param method       how its data is brought in line with a new primary
 * @param startCommand how to start it instead of {@code pg_ctl start}
 * @param stopCommand  how to stop it instead of {@code pg_ctl stop -m fast}
 */
record LocalServer(Path dataDir, String osUser, RejoinMethod method, Optional<List<String>> startCommand,
                   Optional<List<String>> stopCommand) {
    LocalServer {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(osUser, "osUser");
        Objects.requireNonNull(method, "method");
        startCommand = startCommand.map(List::copyOf);
        stopCommand = stopCommand.map(List::copyOf);
    }

    /**
     * Beside the data directory ({@code <data-dir>.drover-rejoin}): what a rejoin that was
     * interrupted needs to be repeated safely. On the same file system, so that the old data
     * directory is moved there, not copied.
     */
    Path stateDir() {
        return dataDir.resolveSibling(dataDir.getFileName() + ".drover-rejoin");
    }
}
