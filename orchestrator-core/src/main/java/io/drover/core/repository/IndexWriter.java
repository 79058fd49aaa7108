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
 */
final class IndexWriter {
    private static final byte NEWLINE = '\n';

    private final SealedObjectWriter sealed;
    private final OutputStream out;
    private final IndexJson.LineWriter lines = new IndexJson.LineWriter();
    private final Optional<Path> cacheFile;
    private final Path cacheTemp;
    private final OutputStream cacheOut;
    private long entries;

    IndexWriter(SealedObjectWriter sealed, Encryption encryption, Optional<Path> cacheFile) throws IOException {
        this.sealed = sealed;
        this.out = new BufferedOutputStream(new ZstdOutputStreamNoFinalizer(encryption.encrypt(sealed), 3), 1 << 16);
        this.cacheFile = cacheFile;
        if (cacheFile.isPresent()) {
            Files.createDirectories(cacheFile.get().getParent());
            this.cacheTemp = cacheFile.get().resolveSibling(".tmp-" + cacheFile.get().getFileName());
            this.cacheOut = new BufferedOutputStream(new ZstdOutputStreamNoFinalizer(Files.newOutputStream(cacheTemp), 1), 1 << 16);
        } else {
            this.cacheTemp = null;
            this.cacheOut = null;
        }
    }

    void add(IndexEntry entry) throws IOException {
        IndexJson.LineBuffer line = lines.line(entry);
        line.copyTo(out);
        out.write(NEWLINE);
        if (cacheOut != null) {
            line.copyTo(cacheOut);
            cacheOut.write(NEWLINE);
        }
        entries++;
    }

    long entries() {
        return entries;
    }

    StoredObject finish() throws IOException {
        out.close();
        StoredObject stored = sealed.commit(StoredObject.INDEX, 0);
        if (cacheOut != null) {
            cacheOut.close();
            Files.move(cacheTemp, cacheFile.get(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return stored;
    }

    void abort() {
        sealed.abort();
        if (cacheOut != null) {
            try {
                cacheOut.close();
                Files.deleteIfExists(cacheTemp);
            } catch (IOException ignored) {
                // a stale temp in the cache directory is harmless and overwritten next time
            }
        }
    }
}
