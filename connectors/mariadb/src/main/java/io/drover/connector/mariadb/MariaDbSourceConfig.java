package io.drover.connector.mariadb;

import io.drover.core.model.Secret;
import io.drover.core.spi.Default;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Config of a {@code mariadb} or {@code mysql} source.
 *
 * @param url         {@code mariadb://user@host[:port]/database} ({@code mysql://} for MySQL); no password
 * @param password    the user's password, e.g. {@code ${env:MARIADB_PASSWORD}}
 * @param canary      write a marker row into {@code canaryTable} before every dump, which restore
 *                    verification reads back to prove how recent the backup is
 * @param canaryTable the table of the canary rows, created in the database if missing
 * @param clientBin   directory holding the client programs ({@code mariadb-dump}, {@code mariadb},
 *                    and for temporary verification instances {@code mariadbd}); PATH if absent
 * @param timeout     how long one dump or load may take before it is killed
 */
public record MariaDbSourceConfig(String url, Optional<Secret> password, @Default("false") boolean canary,
                                  @Default("drover_canary") String canaryTable, Optional<Path> clientBin,
                                  @Default("12h") Duration timeout) {
    public MariaDbSourceConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(canaryTable, "canaryTable");
        Objects.requireNonNull(clientBin, "clientBin");
        Objects.requireNonNull(timeout, "timeout");
    }
}
