package io.drover.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as operators write them: {@code 90s}, {@code 2h30m}, {@code 1w}, {@code 500ms} or ISO-8601. */
final class ConfigDurations {
    static final String EXAMPLES = "90s, 30m, 1h, 2h30m, 1d or PT1H";

    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    private ConfigDurations() {
    }

    /** @throws IllegalArgumentException if {@code text} is no duration (message names the accepted forms) */
    static Duration parse(String text) {
        String trimmed = text.trim();
        try {
            if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
                return Duration.parse(trimmed);
            }
            if (!WHOLE.matcher(trimmed).matches()) {
                throw new IllegalArgumentException("not a duration");
            }
            Duration total = Duration.ZERO;
            Matcher m = PART.matcher(trimmed);
            while (m.find()) {
                long amount = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    case "d" -> Duration.ofDays(amount);
                    case "w" -> Duration.ofDays(Math.multiplyExact(amount, 7));
                    default -> throw new IllegalStateException("unit " + m.group(2));
                });
            }
            return total;
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("not a duration", e);
        }
    }
}
