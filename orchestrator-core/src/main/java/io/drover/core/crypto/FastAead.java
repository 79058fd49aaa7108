package io.drover.core.crypto;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Puts drover's ChaCha20-Poly1305 ({@link ChaCha20Poly1305Cipher}) ahead of the JDK's for this
 * JVM, once, where it is the faster of the two. It computes the same bytes (tests compare it with
 * the JDK's on random messages and with RFC 8439's vectors). Which is faster depends on the CPU:
 * the JDK's Poly1305 is an assembler intrinsic on x86-64 CPUs with AVX-512 IFMA (or, from JDK 23,
 * AVX-IFMA) and on AArch64, about 2.4 GB/s against drover's 0.86 GB/s on an AVX-512 EPYC; without
 * those it runs as Java at about 0.5 GB/s. {@code -Ddrover.crypto.aead=drover|jdk} overrides the
 * choice ({@code auto}, the default, decides by the CPU's flags).
 */
public final class FastAead {
    static final String PROVIDER_NAME = "DroverAead";
    static final String SETTING = "drover.crypto.aead";
    /** JDK-8325991 (JDK 23) added the AVX2 + AVX-IFMA version of the intrinsic. */
    private static final int AVX_IFMA_JDK = 23;
    private static volatile boolean decided;

    private FastAead() {
    }

    /** Registers drover's cipher first if this JVM's own would be slower here; the decision is made once. */
    public static void install() {
        if (decided) {
            return;
        }
        synchronized (FastAead.class) {
            if (!decided) {
                String setting = System.getProperty(SETTING, "auto").trim().toLowerCase(Locale.ROOT);
                boolean wanted = switch (setting) {
                    case "drover" -> true;
                    case "jdk" -> false;
                    default -> !jdkHasPoly1305Intrinsic(System.getProperty("os.arch", ""), Runtime.version().feature(),
                            cpuFlags());
                };
                if (wanted) {
                    insertProvider();
                }
                decided = true;
            }
        }
    }

    /** Registers the provider at the first position, unless it is there already. */
    static void insertProvider() {
        synchronized (FastAead.class) {
            if (Security.getProvider(PROVIDER_NAME) == null) {
                Security.insertProviderAt(new AeadProvider(), 1);
            }
        }
    }

    /**
     * Whether HotSpot compiles Poly1305 to its assembler intrinsic on this machine (the same CPU
     * checks as HotSpot's x86 feature detection). Unknown flags (not Linux) on x86-64 count as no
     * intrinsic: drover's Poly1305 is never much slower than the JDK's Java one.
     */
    static boolean jdkHasPoly1305Intrinsic(String arch, int javaFeature, Set<String> cpuFlags) {
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return true; // AArch64 has had one since JDK 21; drover does not second-guess other platforms
        }
        boolean avx512 = cpuFlags.contains("avx512ifma") && cpuFlags.contains("avx512vl") && cpuFlags.contains("avx512bw");
        boolean avxIfma = cpuFlags.contains("avx_ifma") && javaFeature >= AVX_IFMA_JDK;
        return avx512 || avxIfma;
    }

    /** The first CPU's feature flags from /proc/cpuinfo; empty where there is none. */
    private static Set<String> cpuFlags() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try (BufferedReader reader = Files.newBufferedReader(cpuinfo, StandardCharsets.US_ASCII)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("flags")) {
                    int colon = line.indexOf(':');
                    return colon < 0 ? Set.of() : Set.copyOf(Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or not readable: no flags known
        }
        return Set.of();
    }

    private static final class AeadProvider extends Provider {
        AeadProvider() {
            super(PROVIDER_NAME, "1", "ChaCha20-Poly1305 with a Poly1305 that needs no AVX-512 intrinsic");
            put("Cipher.ChaCha20-Poly1305", ChaCha20Poly1305Cipher.class.getName());
        }
    }
}
