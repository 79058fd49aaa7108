package io.drover.core.repository;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.drover.core.crypto.Decryption;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens a backup's stored objects for reading: checks the stored bytes against the manifest's
 * SHA-256 while they stream, then decrypts and decompresses.
 */
public final class ObjectReader {
    private ObjectReader() {
    }

    /** A stored object opened for reading its plaintext; {@link #close()} checks size and hash. */
    public static final class OpenObject implements AutoCloseable {
        private final Repository repository;
        private final StoredObject object;
        private final HashingInputStream stored;
        private final ReadAheadInputStream ahead;
        private final InputStream plain;
        private boolean checked;

        OpenObject(Repository repository, StoredObject object, HashingInputStream stored, ReadAheadInputStream ahead,
                   InputStream plain) {
            this.repository = repository;
            this.object = object;
            this.stored = stored;
            this.ahead = ahead;
            this.plain = plain;
        }

        public InputStream plain() {
            return plain;
        }

        /** Stored bytes read so far; exact once {@link #checkIntegrity()} has run. */
        public long storedBytesRead() {
            return stored.count();
        }

        /** Reads the rest of the stored object and fails if its size or hash differ from the manifest. */
        public void checkIntegrity() throws IOException {
            ahead.stop(); // from here on this thread alone reads the stored bytes
            stored.drain();
            checked = true;
            if (stored.count() != object.size()) {
                throw corrupt("is " + stored.count() + " bytes, the manifest says " + object.size() + " (truncated or damaged)");
            }
            String digest = stored.hexDigest();
            if (!digest.equals(object.sha256())) {
                throw corrupt("has SHA-256 " + digest + ", the manifest says " + object.sha256() + " (damaged)");
            }
        }

        private DroverException corrupt(String what) {
            return new DroverException(DroverErrors.REPOSITORY_CORRUPT, "object " + object.key() + " in target '"
                    + repository.name() + "' " + what);
        }

        public boolean integrityChecked() {
            return checked;
        }

        @Override
        public void close() throws IOException {
            plain.close();
        }
    }

    public static OpenObject open(Repository repository, Manifest manifest, StoredObject object, Decryption decryption)
            throws IOException {
        // Fetching runs ahead on a thread of its own too: from a remote target every read waits for
        // the network, and the decoder below must not keep the next request from going out (an SFTP
        // restore took twice as long once decoding shared a thread with the reads).
        HashingInputStream stored = new HashingInputStream(new ReadAheadInputStream(repository.open(object.key()), 1 << 20, 4,
                "drover-fetch-" + object.number()));
        InputStream decrypted = decryption.open(stored, manifest.encryption(), object.key());
        // Reading, hashing, decrypting and decompressing run ahead on a thread of their own; unpacking and
        // hashing the plaintext follow on the caller's thread (and a restore writes files on a third). The
        // decoder was a quarter of the caller's CPU in a restore, the busiest of the three threads. It
        // decodes at most the queue's four buffers ahead, and the caller's size and ratio limits still
        // see every plaintext byte before it is used.
        ReadAheadInputStream ahead = new ReadAheadInputStream(new ZstdInputStreamNoFinalizer(decrypted), 1 << 20, 4,
                "drover-open-" + object.number());
        return new OpenObject(repository, object, stored, ahead, ahead);
    }

    /** Reads a backup's complete index, in order, checking the stored object's integrity. */
    public static Map<String, IndexEntry> readIndex(Repository repository, Manifest manifest, Decryption decryption) {
        Map<String, IndexEntry> entries = new LinkedHashMap<>();
        StoredObject object = manifest.index();
        try (OpenObject open = open(repository, manifest, object, decryption)) {
            IndexJson.readAll(open.plain(), object.key(), e -> entries.put(e.path(), e));
            open.checkIntegrity();
        } catch (IOException e) {
            throw new DroverException(DroverErrors.REPOSITORY_CORRUPT, "cannot read the index of backup " + manifest.id()
                    + " in target '" + repository.name() + "': " + e.getMessage(),
                    "run 'drover verify " + manifest.id() + " --level deep'", List.of(), e);
        }
        return entries;
    }

    /** The local plaintext cache of an index, opened for reading its JSON lines. */
    static InputStream openCachedIndex(Path file) throws IOException {
        return new ZstdInputStreamNoFinalizer(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }
}
