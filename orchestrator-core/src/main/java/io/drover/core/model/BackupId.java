package io.drover.core.model;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifier of a recovery point: UTC start time plus random suffix, e.g.
 * {@code 20261127T091500Z-3f9a1c2b}. Sorts by time as a string and is safe as an object-key segment.
 */
public record BackupId(String value) implements Comparable<BackupId> {
    private static final Pattern FORMAT = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    public BackupId {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a backup id (expected e.g. 20261127T091500Z-3f9a1c2b)");
        }
    }

    public static BackupId generate(Instant startedAt) {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        return new BackupId(STAMP.format(startedAt) + "-" + HexFormat.of().formatHex(suffix));
    }

    /** The UTC start time the id was generated from (to the second). */
    public Instant timestamp() {
        return Instant.from(STAMP.parse(value.substring(0, value.indexOf('-'))));
    }

    public static boolean isValid(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    @Override
    public int compareTo(BackupId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
