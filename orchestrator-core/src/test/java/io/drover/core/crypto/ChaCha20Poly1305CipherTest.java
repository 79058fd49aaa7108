package io.drover.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** drover's ChaCha20-Poly1305 must compute exactly the bytes the JDK's does, and refuse what it refuses. */
class ChaCha20Poly1305CipherTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void poly1305MatchesRfc8439Vector() {
        Poly1305 poly = new Poly1305();
        poly.init(HEX.parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b"), 0);
        byte[] message = "Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII);
        poly.update(message, 0, message.length);
        byte[] tag = new byte[16];
        poly.finish(tag, 0);
        assertThat(HEX.formatHex(tag)).isEqualTo("a8061dc1305136c6c22b8baf0c0127a9");
    }

    @Test
    void poly1305FedInPiecesEqualsOneCall() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            byte[] message = new byte[random.nextInt(300)];
            random.nextBytes(message);
            Poly1305 whole = new Poly1305();
            whole.init(key, 0);
            whole.update(message, 0, message.length);
            byte[] expected = new byte[16];
            whole.finish(expected, 0);
            Poly1305 pieces = new Poly1305();
            pieces.init(key, 0);
            int at = 0;
            while (at < message.length) {
                int n = Math.min(message.length - at, random.nextInt(40));
                pieces.update(message, at, n);
                at += n;
            }
            byte[] actual = new byte[16];
            pieces.finish(actual, 0);
            assertThat(actual).isEqualTo(expected);
        }
    }

    @Test
    void encryptsExactlyAsTheJdkOnRandomMessages() throws Exception {
        SecureRandom seeds = new SecureRandom();
        Random random = new Random(seeds.nextLong());
        for (int round = 0; round < 600; round++) {
            byte[] key = new byte[32];
            byte[] nonce = new byte[12];
            random.nextBytes(key);
            random.nextBytes(nonce);
            int length = round < 300 ? round : random.nextInt(70_000);
            byte[] message = new byte[length];
            random.nextBytes(message);
            byte[] aad = round % 3 == 0 ? new byte[random.nextInt(40)] : new byte[0];
            random.nextBytes(aad);

            byte[] jdk = seal(jdkCipher(), key, nonce, aad, message);
            byte[] ours = seal(oursCipher(), key, nonce, aad, message);
            assertThat(ours).as("message of %d bytes", length).isEqualTo(jdk);
            assertThat(open(oursCipher(), key, nonce, aad, jdk)).isEqualTo(message);
            assertThat(open(jdkCipher(), key, nonce, aad, ours)).isEqualTo(message);
        }
    }

    @Test
    void refusesAChangedByteOrTag() throws Exception {
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        new Random(3).nextBytes(key);
        byte[] sealed = seal(oursCipher(), key, nonce, new byte[0], "sixty-four kibibytes of age payload".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < sealed.length; i++) {
            byte[] damaged = sealed.clone();
            damaged[i] ^= 0x01;
            assertThatThrownBy(() -> open(oursCipher(), key, nonce, new byte[0], damaged)).isInstanceOf(AEADBadTagException.class);
        }
        assertThatThrownBy(() -> open(oursCipher(), key, nonce, new byte[0], new byte[15])).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void byteBuffersAsJaggedUsesThem() throws Exception {
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        new Random(5).nextBytes(key);
        byte[] message = new byte[65_536];
        new Random(6).nextBytes(message);
        Cipher ours = oursCipher();
        ours.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        ByteBuffer out = ByteBuffer.allocate(message.length + 16);
        ours.doFinal(ByteBuffer.wrap(message), out);
        assertThat(out.array()).isEqualTo(seal(jdkCipher(), key, nonce, new byte[0], message));
    }

    @Test
    void doFinalWithoutArgumentsSealsWhatUpdateGave() throws Exception {
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] message = "streamed".getBytes(StandardCharsets.US_ASCII);
        Cipher ours = oursCipher();
        ours.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        ours.update(message);
        assertThat(ours.doFinal()).isEqualTo(seal(jdkCipher(), key, nonce, new byte[0], message));
        ours.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertThat(ours.doFinal()).hasSize(16); // an empty message still has its tag
    }

    @Test
    void theProviderGoesFirstForChaCha20Poly1305Once() throws Exception {
        FastAead.insertProvider();
        FastAead.insertProvider();
        assertThat(Cipher.getInstance("ChaCha20-Poly1305").getProvider().getName()).isEqualTo(FastAead.PROVIDER_NAME);
        assertThat(java.security.Security.getProviders()).filteredOn(p -> p.getName().equals(FastAead.PROVIDER_NAME)).hasSize(1);
    }

    @Test
    void droversPoly1305IsChosenOnlyWhereTheJdkHasNoIntrinsic() {
        Set<String> epycZen4 = Set.of("avx2", "avx512f", "avx512bw", "avx512vl", "avx512ifma", "sha_ni");
        Set<String> avx2Only = Set.of("avx2", "bmi2", "adx", "sha_ni");
        Set<String> avxIfma = Set.of("avx2", "avx_ifma");
        assertThat(FastAead.jdkHasPoly1305Intrinsic("amd64", 25, epycZen4)).isTrue();
        assertThat(FastAead.jdkHasPoly1305Intrinsic("amd64", 25, avx2Only)).isFalse();
        assertThat(FastAead.jdkHasPoly1305Intrinsic("amd64", 21, Set.of("avx512f", "avx512ifma"))).isFalse(); // no VL/BW
        assertThat(FastAead.jdkHasPoly1305Intrinsic("amd64", 25, avxIfma)).isTrue();
        assertThat(FastAead.jdkHasPoly1305Intrinsic("amd64", 21, avxIfma)).isFalse();
        assertThat(FastAead.jdkHasPoly1305Intrinsic("amd64", 25, Set.of())).isFalse(); // flags unknown
        assertThat(FastAead.jdkHasPoly1305Intrinsic("aarch64", 21, Set.of())).isTrue();
    }

    private static Cipher jdkCipher() throws Exception {
        return Cipher.getInstance("ChaCha20-Poly1305", "SunJCE");
    }

    private static Cipher oursCipher() throws Exception {
        return Cipher.getInstance("ChaCha20-Poly1305", new FastAeadTestProvider());
    }

    private static byte[] seal(Cipher cipher, byte[] key, byte[] nonce, byte[] aad, byte[] message) throws Exception {
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        if (aad.length > 0) {
            cipher.updateAAD(aad);
        }
        int split = message.length / 3;
        byte[] head = cipher.update(message, 0, split);
        byte[] tail = cipher.doFinal(message, split, message.length - split);
        byte[] all = new byte[(head == null ? 0 : head.length) + tail.length];
        if (head != null) {
            System.arraycopy(head, 0, all, 0, head.length);
        }
        System.arraycopy(tail, 0, all, all.length - tail.length, tail.length);
        return all;
    }

    private static byte[] open(Cipher cipher, byte[] key, byte[] nonce, byte[] aad, byte[] sealed) throws Exception {
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        if (aad.length > 0) {
            cipher.updateAAD(aad);
        }
        return cipher.doFinal(sealed);
    }

    /** The same cipher, asked for by provider object so the test does not depend on the global provider order. */
    private static final class FastAeadTestProvider extends java.security.Provider {
        FastAeadTestProvider() {
            super("DroverAeadTest", "1", "test");
            put("Cipher.ChaCha20-Poly1305", ChaCha20Poly1305Cipher.class.getName());
        }
    }
}
