package io.drover.core.repository;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.drover.core.crypto.Encryption;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * One data part being written: tar (PAX) → zstd → encryption → every target. Each part is a
 * complete tar stream, so {@code age -d part | zstd -d | tar -x} restores it without drover.
 */
final class PartWriter {
    /** Batches tar's blocks into large writes: one JNI call per MiB, not per 10 KiB block. */
    private static final int COMPRESSOR_INPUT_BUFFER = 1 << 20;
    private static final int PIPE_BUFFER = 1 << 20;
    private static final int PIPE_BUFFERS = 4;

    private final int number;
    private final SealedObjectWriter sealed;
    private final WriteBehindOutputStream encrypted;
    private final ZstdOutputStreamNoFinalizer zstd;
    private final TarArchiveOutputStream tar;

    PartWriter(int number, SealedObjectWriter sealed, Encryption encryption, int level, int workers) throws IOException {
        this.number = number;
        this.sealed = sealed;
        // Encryption, hashing and storing run behind compression on a thread of their own.
        this.encrypted = new WriteBehindOutputStream(encryption.encrypt(sealed), PIPE_BUFFER, PIPE_BUFFERS, "drover-seal-part-" + number);
        this.zstd = new ZstdOutputStreamNoFinalizer(encrypted, level);
        if (workers > 0) {
            zstd.setWorkers(workers);
        }
        // tar keeps GNU tar's 10 KiB blocks: `tar -x` reads the archive to its very end, so nothing upstream
        // in `age -d | zstd -d | tar -x` dies of SIGPIPE. A buffer batches those blocks into 1 MiB writes for zstd.
        this.tar = new TarArchiveOutputStream(new BufferedOutputStream(zstd, COMPRESSOR_INPUT_BUFFER), StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    int number() {
        return number;
    }

    /**
     * Uncompressed tar bytes written so far. Parts are cut on this, not on the stored size: a
     * multi-threaded compressor holds tens of MiB before it emits anything, so the stored size lags
     * far behind. Compression only shrinks, so a part's stored size stays within the part size.
     */
    long tarBytes() {
        return tar.getBytesWritten();
    }

    void putEntry(TarArchiveEntry entry) throws IOException {
        tar.putArchiveEntry(entry);
    }

    void write(byte[] buffer, int offset, int length) throws IOException {
        tar.write(buffer, offset, length);
    }

    void closeEntry() throws IOException {
        tar.closeArchiveEntry();
    }

    /** Finishes tar, compression and encryption, then commits the object on every target. */
    StoredObject finish() throws IOException {
        // Closing tar finishes it and closes the chain below: buffer, zstd (final frame), encryption
        // (age's last chunk). The sealed writer ignores close; commit is explicit.
        tar.close();
        return sealed.commit(StoredObject.PART, number);
    }

    void abort() {
        encrypted.abandon();
        sealed.abort();
    }
}
