package io.drover.core.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.Secret;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.flywaydb.core.Flyway;

/** The connection pool and schema migration behind a {@link Catalog}. */
final class CatalogDatabase implements AutoCloseable {
    private static final int MAX_POOL_SIZE = 4;
    /** The newest migration under db/migration; a test keeps the two in step. */
    static final String SCHEMA_VERSION = "6";
    private static final long CONNECTION_TIMEOUT_MS = 10_000;

    private final HikariDataSource dataSource;
    private final Jdbc jdbc;
    private final String redactedUrl;
    private final CatalogSettings settings;

    private CatalogDatabase(HikariDataSource dataSource, Jdbc jdbc, String redactedUrl, CatalogSettings settings) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.redactedUrl = redactedUrl;
    }

    static CatalogDatabase open(CatalogSettings settings) {
        String url = settings.url();
        String redacted = settings.redactedUrl();
        List<String> secrets = settings.password().map(Secret::reveal).stream().toList();
        if (settings.isEmbedded()) {
            createPrivateDirectory(settings.embeddedDirectory());
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(poolConfig(settings, url));
        } catch (RuntimeException e) {
            throw failure("cannot connect to the catalog database " + redacted, hint(settings), e, secrets);
        }
        try {
            if (schemaIsCurrent(dataSource)) {
                // Flyway's start-up (class-path scan, validation) costs most of a short CLI command.
                return new CatalogDatabase(dataSource, new Jdbc(dataSource, redacted, secrets, settings.isEmbedded()), redacted, settings);
            }
            Flyway.configure(CatalogDatabase.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw failure("cannot migrate the catalog schema in " + redacted,
                    "the database may belong to a newer drover or be damaged; the catalog can be rebuilt from"
                            + " the repositories with 'drover catalog rebuild' into an empty database", e, secrets);
        }
        return new CatalogDatabase(dataSource, new Jdbc(dataSource, redacted, secrets, settings.isEmbedded()), redacted, settings);
    }

    /** Whether Flyway's history already records the newest migration as applied. */
    static boolean schemaIsCurrent(javax.sql.DataSource dataSource) {
        try (java.sql.Connection c = dataSource.getConnection();
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery("select version from flyway_schema_history where success = true")) {
            boolean current = false;
            while (r.next()) {
                current |= SCHEMA_VERSION.equals(r.getString(1));
            }
            return current;
        } catch (java.sql.SQLException e) {
            return false; // no history table yet: a new database
        }
    }

    /** Another pool with the same settings; the caller closes it (it is a {@link HikariDataSource}). */
    javax.sql.DataSource openExtraPool(String name, int maxConnections) {
        HikariConfig config = poolConfig(settings, settings.url());
        config.setPoolName(name);
        config.setMaximumPoolSize(maxConnections);
        return new HikariDataSource(config);
    }

    Jdbc jdbc() {
        return jdbc;
    }

    String redactedUrl() {
        return redactedUrl;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static HikariConfig poolConfig(CatalogSettings settings, String url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("drover-catalog");
        config.setJdbcUrl(url);
        settings.user().ifPresent(config::setUsername);
        settings.password().ifPresent(p -> config.setPassword(p.reveal()));
        config.setMaximumPoolSize(MAX_POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        // Fail in open() with a clear message instead of on first use.
        config.setInitializationFailTimeout(1);
        return config;
    }

    private static String hint(CatalogSettings settings) {
        if (settings.isEmbedded()) {
            return "check that " + settings.embeddedDirectory() + " is writable, and that a drover process"
                    + " holding the database (e.g. 'drover serve') is reachable on this machine";
        }
        return "check that the database server in catalog.url is running and reachable, that the database"
                + " exists, and that catalog.user and catalog.password are right";
    }

    private static DroverException failure(String what, String hint, Exception e, List<String> secrets) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new DroverException(DroverErrors.CATALOG_FAILED,
                what + ": " + Redaction.text(root.getMessage(), secrets), hint, List.of(),
                Redaction.chain(e, secrets));
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new DroverException(DroverErrors.CATALOG_FAILED,
                    "cannot create the catalog directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
