package io.drover.core.model;

import java.util.Locale;

/** How thoroughly a recovery point is checked. */
public enum VerificationLevel {
    /** Every stored object exists with its recorded size. */
    QUICK,
    /** Every stored byte is read back and hashed; needs no decryption key. */
    DEEP,
    /** Decrypt, decompress and compare every file's content hash with the manifest. */
    RESTORE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public VerificationState passedState() {
        return switch (this) {
            case QUICK -> VerificationState.VERIFIED_QUICK;
            case DEEP -> VerificationState.VERIFIED_DEEP;
            case RESTORE -> VerificationState.RESTORE_TESTED;
        };
    }
}
