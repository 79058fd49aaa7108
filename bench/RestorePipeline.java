// Micro-benchmark of drover's restore read path, stage by stage, on real part files:
//   java -cp cli/target/drover.jar bench/RestorePipeline.java KEYFILE PART...
// Stages (each adds one layer to the previous): read+sha256 of the stored bytes, age decryption
// (jagged behind Channels.newChannel/newInputStream, as in Decryption), zstd stream decompression
// (ZstdInputStreamNoFinalizer over a 128 KiB BufferedInputStream, as in ObjectReader), tar parsing
// with a SHA-256 of each entry (as in ChainScanner), and alternatives for the zstd layer.
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdDirectBufferDecompressingStreamNoFinalizer;
import java.io.*;
import java.nio.ByteBuffer;
import java.nio.channels.*;
import java.nio.file.*;
import java.security.MessageDigest;
import java.util.*;
import org.apache.commons.compress.archivers.tar.*;

public class RestorePipeline {
    static String identity;

    static InputStream stored(Path p, MessageDigest d) throws Exception {
        InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 20);
        return new FilterInputStream(in) {
            public int read(byte[] b, int o, int l) throws IOException { int n = super.read(b, o, l); if (n > 0) d.update(b, o, n); return n; }
        };
    }

    static InputStream decrypted(InputStream stored) throws Exception {
        var ch = new StandardDecryptingChannelFactory().newDecryptingChannel(Channels.newChannel(stored),
                List.of(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity)));
        return Channels.newInputStream(ch);
    }

    static long drain(InputStream in, int buf) throws IOException {
        byte[] b = new byte[buf]; long t = 0; int n;
        while ((n = in.read(b)) >= 0) t += n;
        return t;
    }

    static long tar(InputStream in) throws Exception {
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] b = new byte[1 << 20]; long t = 0; TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            int n; d.reset();
            while ((n = tar.read(b)) >= 0) { d.update(b, 0, n); t += n; }
            d.digest();
        }
        return t;
    }

    /** zstd over direct buffers, fed from a channel: no per-call heap copies. */
    static InputStream directZstd(InputStream src) {
        ReadableByteChannel ch = Channels.newChannel(src);
        ByteBuffer in = ByteBuffer.allocateDirect(1 << 17).flip();
        var z = new ZstdDirectBufferDecompressingStreamNoFinalizer(in) {
            @Override protected ByteBuffer refill(ByteBuffer buf) {
                buf.compact();
                try { ch.read(buf); } catch (IOException ex) { throw new UncheckedIOException(ex); }
                return buf.flip();
            }
        };
        ByteBuffer out = ByteBuffer.allocateDirect(1 << 17).flip();
        return new InputStream() {
            public int read() throws IOException { byte[] one = new byte[1]; return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff; }
            public int read(byte[] b, int o, int l) throws IOException {
                while (!out.hasRemaining()) {
                    if (!z.hasRemaining()) return -1;
                    out.clear(); z.read(out); out.flip();
                }
                int n = Math.min(l, out.remaining()); out.get(b, o, n); return n;
            }
        };
    }

    interface Stage { long run(Path p, MessageDigest d) throws Exception; }

    public static void main(String[] a) throws Exception {
        identity = Files.readAllLines(Path.of(a[0])).stream().filter(l -> l.startsWith("AGE-SECRET-KEY")).findFirst().orElseThrow();
        List<Path> parts = new ArrayList<>();
        for (int i = 1; i < a.length; i++) parts.add(Path.of(a[i]));
        Map<String, Stage> stages = new LinkedHashMap<>();
        stages.put("1 read+sha256(stored)", (p, d) -> drain(stored(p, d), 1 << 20));
        stages.put("2 +age decrypt", (p, d) -> drain(decrypted(stored(p, d)), 1 << 20));
        stages.put("3 +zstd stream (drover)", (p, d) -> drain(new ZstdInputStreamNoFinalizer(new BufferedInputStream(decrypted(stored(p, d)), 1 << 17)), 1 << 20));
        stages.put("3b +zstd direct buffers", (p, d) -> drain(directZstd(decrypted(stored(p, d))), 1 << 20));
        stages.put("4 +tar+sha256 (drover)", (p, d) -> tar(new ZstdInputStreamNoFinalizer(new BufferedInputStream(decrypted(stored(p, d)), 1 << 17))));
        stages.put("4b +tar on buffered zstd", (p, d) -> tar(new BufferedInputStream(new ZstdInputStreamNoFinalizer(new BufferedInputStream(decrypted(stored(p, d)), 1 << 17)), 1 << 20)));
        stages.put("4c +tar on direct zstd", (p, d) -> tar(new BufferedInputStream(directZstd(decrypted(stored(p, d))), 1 << 20)));
        for (int rep = 0; rep < 2; rep++) {
            for (var s : stages.entrySet()) {
                long t0 = System.nanoTime(); long bytes = 0;
                for (Path p : parts) bytes += s.getValue().run(p, MessageDigest.getInstance("SHA-256"));
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%s %-28s %7.2f s  %7.0f MiB/s of output%n", rep == 0 ? "cold" : "warm", s.getKey(), secs, bytes / secs / 1048576);
            }
        }
    }
}
