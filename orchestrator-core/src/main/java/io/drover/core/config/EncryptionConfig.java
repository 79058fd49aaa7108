package io.drover.core.config;

import io.drover.core.model.Secret;
import io.drover.core.spi.Default;
import java.util.List;
import java.util.Optional;

/**
 * {@code encryption:}. Writing needs only the public {@code recipients}; {@code identity} (the
 * private key, as a {@code ${file:...}} reference) is needed to restore and to restore-verify.
 *
 * @param insecureNoEncryption store data unencrypted; for tests only, must be set explicitly
 */
public record EncryptionConfig(@Default("[]") List<String> recipients, Optional<Secret> identity,
                               @Default("false") boolean insecureNoEncryption) {
    public EncryptionConfig {
        recipients = List.copyOf(recipients);
    }
}
