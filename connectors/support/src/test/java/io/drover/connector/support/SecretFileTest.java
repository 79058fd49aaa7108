package io.drover.connector.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class SecretFileTest {

    @Test
    void isPrivateInAPrivateDirectoryAndDeletedWithItOnClose() throws IOException {
        Path file;
        try (SecretFile secret = SecretFile.write("drover-test-", "client.cnf", "password=\"s3cr\u00e9t\"\n")) {
            file = secret.path();
            assertThat(file.getFileName()).hasToString("client.cnf");
            assertThat(file.getParent().getFileName().toString()).startsWith("drover-test-");
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(file.getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.readString(file)).isEqualTo("password=\"s3cr\u00e9t\"\n");
            assertThat(file.getParent()).isDirectoryContaining(p -> p.equals(file));
        }
        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void closingTwiceIsHarmless() throws IOException {
        SecretFile secret = SecretFile.write("drover-test-", "pgpass", "*:*:*:u:p\n");
        secret.close();
        secret.close();
        assertThat(secret.path()).doesNotExist();
    }
}
