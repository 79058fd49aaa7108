// ChaCha20-Poly1305 (age's payload cipher) in 64 KiB chunks through the three JDK APIs:
//   java bench/ChaChaBuffers.java
// With direct (or read-only) ByteBuffers the JDK's Poly1305 takes a block-at-a-time Java path
// (Poly1305.processMultipleBlocks only uses the intrinsic for array-backed input).
import java.nio.ByteBuffer;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public class ChaChaBuffers {
    public static void main(String[] a) throws Exception {
        int chunk = 64 * 1024; long total = 1L << 30;
        SecretKeySpec key = new SecretKeySpec(new byte[32], "ChaCha20");
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        byte[] in = new byte[chunk], out = new byte[chunk + 16];
        ByteBuffer hin = ByteBuffer.allocate(chunk), hout = ByteBuffer.allocate(chunk + 16);
        ByteBuffer din = ByteBuffer.allocateDirect(chunk), dout = ByteBuffer.allocateDirect(chunk + 16);
        for (int rep = 0; rep < 3; rep++) {
            for (String mode : new String[] {"byte[]", "heap ByteBuffer", "direct ByteBuffer"}) {
                long t0 = System.nanoTime(); long n = 0; byte[] iv = new byte[12];
                while (n < total) {
                    iv[0]++; iv[1] += (iv[0] == 0) ? 1 : 0; iv[2] = (byte) rep; iv[3] = (byte) mode.length();
                    c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
                    switch (mode) {
                        case "byte[]" -> c.doFinal(in, 0, chunk, out, 0);
                        case "heap ByteBuffer" -> { hin.clear(); hout.clear(); c.doFinal(hin, hout); }
                        default -> { din.clear(); dout.clear(); c.doFinal(din, dout); }
                    }
                    n += chunk;
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("GiB %d  %-18s %6.0f MiB/s%n", rep + 1, mode, total / s / 1048576);
            }
        }
    }
}
