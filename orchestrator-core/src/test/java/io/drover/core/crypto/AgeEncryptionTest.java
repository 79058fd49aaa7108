package io.drover.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AgeEncryptionTest {
    private static byte[] seal(List<String> recipients, byte[] plain) throws Exception {
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        try (OutputStream out = new AgeEncryption(recipients).encrypt(sealed)) {
            out.write(plain);
        }
        return sealed.toByteArray();
    }

    @Test
    void everyRecipientCanDecrypt() throws Exception {
        var team = AgeKeys.generate();
        var escrow = AgeKeys.generate();
        byte[] plain = new byte[200_000];
        new Random(3).nextBytes(plain);
        byte[] sealed = seal(List.of(team.recipient(), escrow.recipient()), plain);
        assertThat(sealed).startsWith("age-encryption.org/v1".getBytes());
        for (var key : List.of(team, escrow)) {
            try (InputStream in = Decryption.withIdentities(List.of(key.identity())).open(new ByteArrayInputStream(sealed), "age", "x")) {
                assertThat(in.readAllBytes()).isEqualTo(plain);
            }
        }
    }

    @Test
    void aForeignKeyIsAClearError() throws Exception {
        byte[] sealed = seal(List.of(AgeKeys.generate().recipient()), "secret".getBytes());
        Decryption other = Decryption.withIdentities(List.of(AgeKeys.generate().identity()));
        assertThatThrownBy(() -> other.open(new ByteArrayInputStream(sealed), "age", "part-1"))
                .isInstanceOf(DroverException.class)
                .satisfies(e -> assertThat(((DroverException) e).code()).isEqualTo(DroverErrors.KEY_MISMATCH));
        assertThatThrownBy(() -> Decryption.none().open(new ByteArrayInputStream(sealed), "age", "part-1"))
                .satisfies(e -> assertThat(((DroverException) e).code()).isEqualTo(DroverErrors.KEY_REQUIRED));
    }

    @Test
    void keyMaterialNeverReachesMessages() {
        var key = AgeKeys.generate();
        assertThat(key.toString()).doesNotContain(key.identity());
        assertThatThrownBy(() -> AgeKeys.parseIdentities("not a key " + key.identity(), "file.txt"))
                .hasMessageNotContaining(key.identity());
        assertThatThrownBy(() -> AgeKeys.requireRecipient("age1notarecipient")).hasMessageContaining("not an age X25519 recipient");
    }
}
