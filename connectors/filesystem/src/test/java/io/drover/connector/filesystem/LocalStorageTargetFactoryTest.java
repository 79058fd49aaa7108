package io.drover.connector.filesystem;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.StorageTarget;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageTargetFactoryTest {
    private final LocalStorageTargetFactory factory = new LocalStorageTargetFactory();

    @Test
    void servesTypeLocal() {
        assertThat(factory.type()).isEqualTo("local");
        assertThat(factory.configType()).isEqualTo(LocalTargetConfig.class);
    }

    @Test
    void relativePathIsAProblem() {
        assertThat(factory.validate(new LocalTargetConfig(Path.of("backups"), true)))
                .singleElement()
                .extracting(ConfigProblem::field)
                .isEqualTo("path");
    }

    @Test
    void absolutePathIsFine(@TempDir Path dir) throws Exception {
        LocalTargetConfig config = new LocalTargetConfig(dir, true);

        assertThat(factory.validate(config)).isEmpty();
        try (StorageTarget target = factory.create(config, new ConnectorContext("nearline", dir, Clock.systemUTC()))) {
            assertThat(target.describe()).contains(dir.toString());
        }
    }
}
