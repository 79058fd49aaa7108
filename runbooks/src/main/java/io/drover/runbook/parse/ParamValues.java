package io.drover.runbook.parse;

import io.drover.core.config.ConfigBinder;
import io.drover.runbook.model.ParamType;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Checks and normalizes parameter values against their type. */
public final class ParamValues {
    private ParamValues() {
    }

    /**
     * What is wrong with {@code value} for {@code type}, or empty if it is fine.
     *
     * @param databases the names under {@code databases:}, to check {@code database} values; empty to skip
     */
    public static Optional<String> check(ParamType type, String value, Optional<Collection<String>> databases) {
        return switch (type) {
            case STRING, TRAFFIC -> Optional.empty();
            case INT -> value.strip().matches("[-+]?\\d{1,18}") ? Optional.empty()
                    : Optional.of("expected a whole number, got '" + value + "'");
            case BOOL -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? Optional.empty()
                    : Optional.of("expected true or false, got '" + value + "'");
            case DURATION -> {
                try {
                    ConfigBinder.parseDuration(value.strip());
                    yield Optional.empty();
                } catch (RuntimeException e) {
                    yield Optional.of("expected a duration such as 90s, 10m or 1h, got '" + value + "'");
                }
            }
            case DATABASE -> databases.filter(names -> !names.contains(value))
                    .map(names -> "no database '" + value + "' under databases: in drover.yaml; defined: "
                            + (names.isEmpty() ? "none" : String.join(", ", names.stream().sorted().toList())));
        };
    }

    /** The value as the runbook sees it: booleans in lower case, numbers and durations trimmed. */
    public static String normalize(ParamType type, String value) {
        return switch (type) {
            case BOOL -> value.strip().toLowerCase(Locale.ROOT);
            case INT, DURATION -> value.strip();
            default -> value;
        };
    }
}
