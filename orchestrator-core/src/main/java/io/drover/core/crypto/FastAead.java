package io.drover.core.crypto;

import java.security.Provider;
import java.security.Security;

/**
 * Puts drover's ChaCha20-Poly1305 ({@link ChaCha20Poly1305Cipher}) ahead of the JDK's for this
 * JVM, once. It computes the same bytes (tests compare it with the JDK's on random messages and
 * with RFC 8439's vectors); it is faster where the JDK has no Poly1305 intrinsic (CPUs without
 * AVX-512). {@code -Ddrover.crypto.jdk=true} leaves the JDK's in place.
 */
public final class FastAead {
    static final String PROVIDER_NAME = "DroverAead";
    private static volatile boolean installed;

    private FastAead() {
    }

    public static void install() {
        if (installed || Boolean.getBoolean("drover.crypto.jdk")) {
            return;
        }
        synchronized (FastAead.class) {
            if (!installed && Security.getProvider(PROVIDER_NAME) == null) {
                Security.insertProviderAt(new AeadProvider(), 1);
            }
            installed = true;
        }
    }

    private static final class AeadProvider extends Provider {
        AeadProvider() {
            super(PROVIDER_NAME, "1", "ChaCha20-Poly1305 with a Poly1305 that needs no AVX-512 intrinsic");
            put("Cipher.ChaCha20-Poly1305", ChaCha20Poly1305Cipher.class.getName());
        }
    }
}
