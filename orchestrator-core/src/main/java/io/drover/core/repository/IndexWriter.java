package io.drover.core.repository;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.drover.core.crypto.Encryption;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Streams a backup's index (JSON lines → zstd → encryption) to the targets while the backup runs,
 * so memory stays flat however many files there are. Optionally also writes a plaintext copy to
 * the local index cache, which lets the next incremental compare without the private key.
 * Compressing, encrypting and storing both copies run on a thread of their own: in a no-change
 * backup the caller's thread (walking the tree, writing the JSON) is the critical path, and the
 * two compressors were a tenth of it.
 */
final class IndexWriter {
    private static final byte NEWLINE = '\n';
    private static final int BUFFER = 1 << 16;

    private final SealedObjectWriter sealed;
    private final OutputStream stored;
    private final WriteBehindOutputStream behind;
    private final OutputStream out;
    private final IndexJson.LineWriter lines = new IndexJson.LineWriter();
    private final Optional<Path> cacheFile;
    private final Path cacheTemp;
    private long entries;

    IndexWriter(SealedObjectWriter sealed, Encryption encryption, Optional<Path> cacheFile) throws IOException {
        this.sealed = sealed;
        this.cacheFile = cacheFile;
        OutputStream compressed = new ZstdOutputStreamNoFinalizer(encryption.encrypt(sealed), 3);
        if (cacheFile.isPresent()) {
            Files.createDirectories(cacheFile.get().getParent());
            this.cacheTemp = cacheFile.get().resolveSibling(".tmp-" + cacheFile.get().getFileName());
            compressed = new Tee(compressed, new ZstdOutputStreamNoFinalizer(Files.newOutputStream(cacheTemp), 1));
        } else {
            this.cacheTemp = null;
        }
        this.stored = compressed;
        this.behind = new WriteBehindOutputStream(stored, BUFFER, 4, "drover-index");
        this.out = new BufferedOutputStream(behind, BUFFER);
    }

    void add(IndexEntry entry) throws IOException {
        IndexJson.LineBuffer line = lines.line(entry);
        line.copyTo(out);
        out.write(NEWLINE);
        entries++;
    }

    long entries() {
        return entries;
    }

    StoredObject finish() throws IOException {
        out.close(); // drains the writer thread, then finishes both compressed streams
        StoredObject object = sealed.commit(StoredObject.INDEX, 0);
        if (cacheFile.isPresent()) {
            Files.move(cacheTemp, cacheFile.get(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return object;
    }

    void abort() {
        behind.abandon();
        sealed.abort();
        if (behind.writerEnded()) {
            try {
                stored.close(); // releases the compressors' native memory and the cache file
            } catch (IOException | RuntimeException ignored) {
                // the sealed object is aborted; what the close tried to write there does not matter
            }
        }
        if (cacheTemp != null) {
            try {
                Files.deleteIfExists(cacheTemp);
            } catch (IOException ignored) {
                // a stale temp in the cache directory is harmless and overwritten next time
            }
        }
    }

    /** Writes everything to both streams; closes both, the second even when the first fails. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            try (OutputStream closedLast = second) {
                first.close();
            }
        }
    }
}
