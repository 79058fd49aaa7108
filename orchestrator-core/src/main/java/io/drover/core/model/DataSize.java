package io.drover.core.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A number of bytes, written in config as {@code 512MiB}, {@code 1GiB}, {@code 100MB} or {@code 4096}. */
public record DataSize(long bytes) implements Comparable<DataSize> {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("size must not be negative: " + bytes);
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofMebibytes(long mib) {
        return new DataSize(Math.multiplyExact(mib, 1024L * 1024));
    }

    /**
     * Parses {@code 123}, {@code 64KiB}, {@code 512MiB}, {@code 2GiB}, {@code 1TiB} (binary) or
     * {@code KB/MB/GB/TB} (decimal) and {@code B}.
     *
     * @throws IllegalArgumentException with a message that names the accepted units
     */
    public static DataSize parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write e.g. 4096, 64KiB, 512MiB or 2GiB");
        }
        long number = Long.parseLong(m.group(1));
        long factor = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "k", "kib" -> 1L << 10;
            case "m", "mib" -> 1L << 20;
            case "g", "gib" -> 1L << 30;
            case "t", "tib" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException(
                    "unknown unit '" + m.group(2) + "' in '" + text + "'; use B, KiB, MiB, GiB, TiB, KB, MB, GB or TB");
        };
        return new DataSize(Math.multiplyExact(number, factor));
    }

    @Override
    public int compareTo(DataSize o) {
        return Long.compare(bytes, o.bytes);
    }

    /** Human-readable, binary units: {@code 1.5 GiB}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    @Override
    public String toString() {
        return format(bytes);
    }
}
