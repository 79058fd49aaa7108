package io.drover.core.catalog;

import io.drover.core.config.CatalogConfig;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.Secret;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the catalog lives: a JDBC URL (PostgreSQL, or any H2 URL) or, when absent, the embedded
 * H2 file database {@code <stateDir>/catalog/drover} that the CLI and a running daemon share.
 */
public record CatalogSettings(Optional<String> jdbcUrl, Optional<String> user, Optional<Secret> password,
                              Path stateDir) {
    /** Options that make H2 accept the same SQL as PostgreSQL, so one set of migrations serves both. */
    static final String H2_OPTIONS = ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;MODE=PostgreSQL"
            + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    public CatalogSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(stateDir, "stateDir");
    }

    /** The zero-setup default: embedded H2 under {@code stateDir}. */
    public static CatalogSettings embedded(Path stateDir) {
        return new CatalogSettings(Optional.empty(), Optional.empty(), Optional.empty(), stateDir);
    }

    /** Settings from the {@code catalog:} section of {@code drover.yaml} (absent: embedded). */
    public static CatalogSettings of(Optional<CatalogConfig> config, Path stateDir) {
        return config.map(c -> new CatalogSettings(c.url(), c.user(), c.password(), stateDir))
                .orElseGet(() -> embedded(stateDir));
    }

    /** Whether the embedded H2 database under the state directory is used. */
    public boolean isEmbedded() {
        return jdbcUrl.isEmpty();
    }

    /** Directory of the embedded database. */
    public Path embeddedDirectory() {
        return stateDir.toAbsolutePath().normalize().resolve("catalog");
    }

    /**
     * The JDBC URL to connect to; may contain a password, so log only {@link #redactedUrl()}.
     *
     * @throws DroverException {@code CONFIG_INVALID} if the state directory cannot be part of an H2 URL
     */
    public String url() {
        return jdbcUrl.orElseGet(() -> {
            String file = embeddedDirectory().resolve("drover").toString();
            if (file.contains(";")) {
                throw new DroverException(DroverErrors.CONFIG_INVALID, "the state directory " + stateDir
                        + " contains ';', which the embedded catalog database cannot use; choose another"
                        + " state directory or set catalog.url");
            }
            return "jdbc:h2:file:" + file + H2_OPTIONS;
        });
    }

    /** {@link #url()} without passwords, safe for logs and messages. */
    public String redactedUrl() {
        return Redaction.url(url());
    }

    @Override
    public String toString() {
        return "CatalogSettings[url=" + redactedUrl() + ", user=" + user.orElse("") + ", password="
                + password.map(Secret::toString).orElse("") + ", stateDir=" + stateDir + "]";
    }
}
