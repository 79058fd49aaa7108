package io.drover.core.config;

import io.drover.core.model.Secret;
import io.drover.core.spi.Default;
import java.util.Optional;

/**
 * {@code catalog:}; absent means the embedded H2 database under the state directory.
 *
 * @param url       JDBC URL, e.g. {@code jdbc:postgresql://db.internal/drover}
 * @param clustered share the schedule between several {@code drover serve} nodes (PostgreSQL only)
 */
public record CatalogConfig(Optional<String> url, Optional<String> user, Optional<Secret> password,
                            @Default("false") boolean clustered) {
}
