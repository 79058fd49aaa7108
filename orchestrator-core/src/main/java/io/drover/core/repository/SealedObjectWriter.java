package io.drover.core.repository;

import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.spi.ObjectInfo;
import io.drover.core.spi.ObjectOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes one object to every repository of a job at once, hashing and counting the stored bytes as
 * they stream past (one pass, no temp copy). {@link #commit} confirms that each target stored
 * exactly the bytes written before the object counts as durable.
 */
final class SealedObjectWriter extends OutputStream {
    private final String key;
    private final List<Repository> repositories;
    private final List<ObjectOutput> outputs = new ArrayList<>();
    private final MessageDigest sha256;
    private long size;
    private boolean finished;

    SealedObjectWriter(List<Repository> repositories, String key) {
        this.key = key;
        this.repositories = List.copyOf(repositories);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Repository repository : repositories) {
            try {
                outputs.add(repository.target().create(key));
            } catch (IOException e) {
                abort();
                throw StorageErrors.wrap(repository.name(), "creating " + key, e);
            }
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        sha256.update(b, off, len);
        size += len;
        for (int i = 0; i < outputs.size(); i++) {
            try {
                outputs.get(i).write(b, off, len);
            } catch (IOException e) {
                throw new IOException("target '" + repositories.get(i).name() + "': writing " + key + " failed: " + e.getMessage(), e);
            }
        }
    }

    long size() {
        return size;
    }

    /** SHA-256 of what was written so far, without ending the object. */
    String digestSoFar() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) sha256.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Commits on every target and returns the object's record; aborts everywhere on failure. */
    StoredObject commit(String role, int number) {
        String digest = HexFormat.of().formatHex(sha256.digest());
        for (int i = 0; i < outputs.size(); i++) {
            Repository repository = repositories.get(i);
            ObjectInfo info;
            try {
                outputs.get(i).flush();
                info = outputs.get(i).commit();
            } catch (IOException e) {
                abort();
                throw StorageErrors.wrap(repository.name(), "committing " + key, e);
            }
            if (info.size() != size) {
                abort();
                throw new DroverException(DroverErrors.STORAGE_FAILED, "target '" + repository.name() + "' stored " + info.size()
                        + " bytes of " + key + " but " + size + " were written; the backup is not committed");
            }
        }
        finished = true;
        return new StoredObject(key, role, number, size, digest);
    }

    /** Discards the object on every target; never throws. */
    void abort() {
        if (!finished) {
            finished = true;
            outputs.forEach(ObjectOutput::abort);
        }
    }

    @Override
    public void close() {
        // The encryption layer closes its sink when it finishes; committing is explicit.
    }
}
