package io.drover.core.crypto;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** age X25519 key handling: generating identities and checking recipients. */
public final class AgeKeys {
    private static final String IDENTITY_PREFIX = "AGE-SECRET-KEY-1";

    private AgeKeys() {
    }

    /** A new identity (private key) with its recipient (public key). */
    public record GeneratedKey(String identity, String recipient) {
        @Override
        public String toString() {
            return "GeneratedKey[recipient=" + recipient + "]";
        }

        /** The identity file in age-keygen's format. */
        public String identityFile(Instant createdAt) {
            return "# created: " + createdAt + "\n# public key: " + recipient + "\n" + identity + "\n";
        }
    }

    public static GeneratedKey generate() {
        try {
            KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
            return new GeneratedKey(pair.getPrivate().toString(), pair.getPublic().toString());
        } catch (GeneralSecurityException e) {
            throw new DroverException(DroverErrors.INTERNAL_ERROR, "cannot generate an X25519 key: " + e.getMessage(), e);
        }
    }

    /** Checks that {@code recipient} is an age X25519 public key ({@code age1...}). */
    public static String requireRecipient(String recipient) {
        try {
            X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient);
            return recipient;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new DroverException(DroverErrors.KEY_INVALID,
                    "'" + recipient + "' is not an age X25519 recipient (expected age1... from age-keygen or 'drover init --generate-key')");
        }
    }

    /**
     * The identities in an identity file's text: lines starting with {@code AGE-SECRET-KEY-1};
     * comments and blank lines are ignored. Never puts key material into messages.
     */
    public static List<String> parseIdentities(String identityFileText, String source) {
        List<String> identities = new ArrayList<>();
        for (String line : identityFileText.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (!trimmed.startsWith(IDENTITY_PREFIX)) {
                throw new DroverException(DroverErrors.KEY_INVALID, "the identity from " + source
                        + " contains a line that is not an age identity (expected AGE-SECRET-KEY-1...)",
                        "point encryption.identity at the key file written by 'drover init --generate-key' or age-keygen",
                        List.of(), null);
            }
            identities.add(trimmed);
        }
        if (identities.isEmpty()) {
            throw new DroverException(DroverErrors.KEY_INVALID, "the identity from " + source + " holds no age identity");
        }
        return identities;
    }
}
