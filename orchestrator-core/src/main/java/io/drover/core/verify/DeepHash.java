package io.drover.core.verify;

import io.drover.core.repository.HashingInputStream;
import io.drover.core.repository.StoredObject;
import java.io.IOException;
import java.io.InputStream;

/** Hashes a stored object and compares it with its manifest record. */
final class DeepHash {
    private DeepHash() {
    }

    /** A description of the mismatch, or {@code null} when size and SHA-256 match. */
    static String check(InputStream in, StoredObject object) throws IOException {
        HashingInputStream hashing = new HashingInputStream(in);
        hashing.drain();
        long size = hashing.count();
        if (size != object.size()) {
            return "is " + size + " bytes, the manifest says " + object.size() + (size < object.size() ? " (truncated)" : " (damaged)");
        }
        String digest = hashing.hexDigest();
        if (!digest.equals(object.sha256())) {
            return "has SHA-256 " + digest + " but the manifest says " + object.sha256() + " (damaged)";
        }
        return null;
    }
}
