package io.drover.core.crypto;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Opens sealed objects for reading: with age identities, or as plaintext for unencrypted repositories. */
public final class Decryption {
    private final List<String> identities;

    private Decryption(List<String> identities) {
        this.identities = identities;
    }

    /** A decryption with the given age identities (may be empty: then only plaintext objects open). */
    public static Decryption withIdentities(List<String> identities) {
        return new Decryption(List.copyOf(identities));
    }

    public static Decryption none() {
        return new Decryption(List.of());
    }

    public boolean hasIdentity() {
        return !identities.isEmpty();
    }

    /**
     * Wraps a stored object's stream.
     *
     * @param encryptionId the manifest's encryption id ({@code age} or {@code none})
     * @param what         the object, for messages
     */
    public InputStream open(InputStream stored, String encryptionId, String what) throws IOException {
        return switch (encryptionId) {
            case "none" -> stored;
            case "age" -> openAge(stored, what);
            default -> throw new DroverException(DroverErrors.REPOSITORY_FORMAT_UNSUPPORTED,
                    what + " uses encryption '" + encryptionId + "', which this drover version does not know");
        };
    }

    private InputStream openAge(InputStream stored, String what) throws IOException {
        if (identities.isEmpty()) {
            throw new DroverException(DroverErrors.KEY_REQUIRED, "reading " + what + " needs the private key",
                    "set encryption.identity to ${file:/path/to/key.txt} in drover.yaml (or pass --identity FILE)",
                    List.of(), null);
        }
        FastAead.install();
        try {
            List<RecipientStanzaReader> readers = new ArrayList<>();
            for (String identity : identities) {
                readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity));
            }
            var channel = new StandardDecryptingChannelFactory().newDecryptingChannel(Channels.newChannel(stored), readers);
            return Channels.newInputStream(channel);
        } catch (GeneralSecurityException e) {
            throw new DroverException(DroverErrors.KEY_MISMATCH, "cannot decrypt " + what
                    + ": none of the configured identities matches its recipients, or its header is damaged",
                    "use the private key that belongs to one of the repository's recipients", List.of(), null);
        }
    }

    /** Convenience for optional identity text from the config. */
    public static Decryption fromIdentityText(Optional<String> text, String source) {
        return text.map(t -> withIdentities(AgeKeys.parseIdentities(t, source))).orElseGet(Decryption::none);
    }
}
