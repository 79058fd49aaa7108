package io.drover.core.model;

import java.time.Duration;

/** Durations as operators write them in the config: {@code 7d}, {@code 36h}, {@code 90m}, {@code 1h2m5s}. */
public final class DurationText {
    private DurationText() {
    }

    /**
     * One unit when the duration is a whole number of it (so {@code 36h} stays {@code 36h}),
     * otherwise days, hours, minutes and seconds; below a second, milliseconds.
     */
    public static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        if (duration.toNanosPart() != 0 || seconds == 0) {
            return seconds == 0 ? duration.toMillis() + "ms" : format(Duration.ofSeconds(seconds));
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        StringBuilder text = new StringBuilder();
        append(text, seconds / 86_400, "d");
        append(text, seconds % 86_400 / 3_600, "h");
        append(text, seconds % 3_600 / 60, "m");
        append(text, seconds % 60, "s");
        return text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount > 0) {
            text.append(amount).append(unit);
        }
    }
}
