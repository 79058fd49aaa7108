package io.drover.core.spi;

/** Guarantees a storage target declares (never probed by {@code instanceof}). */
public enum StorageCapability {
    /** {@code create} refuses to overwrite an existing key even under concurrent writers. */
    ATOMIC_CREATE,
    /** Committed objects survive power loss once {@code commit} returns (fsync or equivalent). */
    DURABLE_COMMIT,
    /** The target enforces immutability itself (e.g. S3 Object Lock). */
    OBJECT_LOCK,
    /** The target verifies a checksum of every upload it accepts. */
    SERVER_CHECKSUM
}
