package io.drover.core.crypto;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * age encryption (X25519 recipients) of every stored object. Only public keys are needed, so a
 * compromised backup host cannot read old backups. Output is standard age: {@code age -d} reads it.
 */
public record AgeEncryption(List<String> recipients) implements Encryption {
    public AgeEncryption {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("age encryption needs at least one recipient");
        }
        for (String recipient : recipients) {
            AgeKeys.requireRecipient(recipient);
        }
    }

    @Override
    public String id() {
        return "age";
    }

    @Override
    public String suffix() {
        return ".age";
    }

    @Override
    public OutputStream encrypt(OutputStream sink) throws IOException {
        FastAead.install();
        try {
            List<RecipientStanzaWriter> writers = new ArrayList<>();
            for (String recipient : recipients) {
                writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient));
            }
            var channel = new StandardEncryptingChannelFactory().newEncryptingChannel(Channels.newChannel(sink), writers);
            return Channels.newOutputStream(channel);
        } catch (GeneralSecurityException e) {
            throw new DroverException(DroverErrors.KEY_INVALID, "cannot encrypt for the configured recipients: " + e.getMessage(), e);
        }
    }
}
