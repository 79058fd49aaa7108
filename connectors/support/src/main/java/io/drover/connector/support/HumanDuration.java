package io.drover.connector.support;

import java.time.Duration;

/** Writes durations as config accepts them ({@code 10m}, {@code 1h30m}, {@code 500ms}), not as {@code PT10M}. */
public final class HumanDuration {
    private HumanDuration() {
    }

    public static String format(Duration duration) {
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            return duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        append(text, duration.toHours(), "h");
        append(text, duration.toMinutesPart(), "m");
        append(text, duration.toSecondsPart(), "s");
        return text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount > 0) {
            text.append(amount).append(unit);
        }
    }
}
