package io.drover.core.spi;

import java.util.regex.Pattern;

/** Rules for object keys shared by all storage targets. */
public final class ObjectKeys {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    /** Targets may use names with this prefix for objects being written; they are never listed. */
    public static final String RESERVED_PREFIX = ".tmp-";

    private ObjectKeys() {
    }

    /**
     * Checks that {@code key} is a valid object key.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String requireValid(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("object key must not be empty");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..") || !SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("invalid object key '" + key
                        + "': segments must be non-empty, made of A-Z a-z 0-9 . _ - and not . or ..");
            }
            if (segment.startsWith(RESERVED_PREFIX)) {
                throw new IllegalArgumentException("invalid object key '" + key + "': segments starting with '"
                        + RESERVED_PREFIX + "' are reserved for targets' temporary files");
            }
        }
        return key;
    }

    /** Checks a listing prefix: empty, or a key prefix (may end with {@code /}). */
    public static String requireValidPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("prefix must not be null");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        requireValid(trimmed);
        return prefix;
    }
}
