package io.drover.core.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** How a repository's objects are sealed: age with X25519 recipients, or (tests only) not at all. */
public sealed interface Encryption permits AgeEncryption, NoEncryption {

    /** Short id recorded in manifests: {@code age} or {@code none}. */
    String id();

    /** File-name suffix of sealed objects: {@code .age} or empty. */
    String suffix();

    /** Wraps {@code sink}; closing the returned stream finishes the encryption and closes {@code sink}. */
    OutputStream encrypt(OutputStream sink) throws IOException;
}
