package io.drover.core.repository;

import java.util.Objects;

/**
 * One object of a backup as the manifest records it.
 *
 * @param role   {@code part} or {@code index}
 * @param number part number (1-based) or 0 for the index
 * @param size   stored (sealed) size in bytes as confirmed by the target
 * @param sha256 hex SHA-256 of the stored bytes: deep verification needs no key
 */
public record StoredObject(String key, String role, int number, long size, String sha256) {
    public static final String PART = "part";
    public static final String INDEX = "index";

    public StoredObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(sha256, "sha256");
    }
}
