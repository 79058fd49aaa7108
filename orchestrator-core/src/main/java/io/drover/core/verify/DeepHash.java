package io.drover.core.verify;

import io.drover.core.repository.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashes a stored object and compares it with its manifest record. */
final class DeepHash {
    private DeepHash() {
    }

    /** A description of the mismatch, or {@code null} when size and SHA-256 match. */
    static String check(InputStream in, StoredObject object) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 20];
        long size = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            sha256.update(buffer, 0, n);
            size += n;
        }
        if (size != object.size()) {
            return "is " + size + " bytes, the manifest says " + object.size() + (size < object.size() ? " (truncated)" : " (damaged)");
        }
        String digest = HexFormat.of().formatHex(sha256.digest());
        if (!digest.equals(object.sha256())) {
            return "has SHA-256 " + digest + " but the manifest says " + object.sha256() + " (damaged)";
        }
        return null;
    }
}
