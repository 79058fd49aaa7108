package io.drover.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A secret value (password, key) taken from a {@code ${env:NAME}} or {@code ${file:/path}}
 * reference. It never prints its value: {@link #toString()} is redacted, and {@link #reference()}
 * tells where the value came from, which is safe to show.
 */
public final class Secret {
    public static final String REDACTED = "**redacted**";

    private final char[] value;
    private final String reference;

    private Secret(char[] value, String reference) {
        this.value = value;
        this.reference = Objects.requireNonNull(reference, "reference");
    }

    /** A secret resolved from {@code reference} (e.g. {@code ${env:PGPASSWORD}}). */
    public static Secret of(String value, String reference) {
        return new Secret(Objects.requireNonNull(value, "value").toCharArray(), reference);
    }

    /** The secret's value; use it only to hand it to the component that needs it. */
    public String reveal() {
        return new String(value);
    }

    /** Where the value came from, e.g. {@code ${env:PGPASSWORD}}; never the value itself. */
    public String reference() {
        return reference;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && Arrays.equals(value, other.value) && reference.equals(other.reference);
    }

    @Override
    public int hashCode() {
        return reference.hashCode();
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
