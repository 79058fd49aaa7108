package io.drover.core.crypto;

import java.io.OutputStream;

/** Stores plaintext. Allowed only with {@code insecure-no-encryption: true}, for tests. */
public record NoEncryption() implements Encryption {
    @Override
    public String id() {
        return "none";
    }

    @Override
    public String suffix() {
        return "";
    }

    @Override
    public OutputStream encrypt(OutputStream sink) {
        return sink;
    }
}
