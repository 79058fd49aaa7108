package io.drover.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The fast path that skips Flyway must know the newest migration. */
class CatalogSchemaVersionTest {
    @Test
    void schemaVersionNamesTheNewestMigration() throws Exception {
        Path dir = migrations();
        try (Stream<Path> files = Files.list(dir)) {
            String newest = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")))
                    .max(Comparator.comparingInt(Integer::parseInt))
                    .orElseThrow();
            assertThat(CatalogDatabase.SCHEMA_VERSION).isEqualTo(newest);
        }
    }

    private static Path migrations() throws URISyntaxException {
        return Path.of(CatalogDatabase.class.getClassLoader().getResource("db/migration").toURI());
    }
}
