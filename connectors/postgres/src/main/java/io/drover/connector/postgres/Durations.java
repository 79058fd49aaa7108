package io.drover.connector.postgres;

import java.time.Duration;

/** Durations as config writes them ({@code 10m}, {@code 1h30m}, {@code 500ms}), not {@code PT10M}. */
final class Durations {
    private Durations() {
    }

    static String format(Duration duration) {
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
