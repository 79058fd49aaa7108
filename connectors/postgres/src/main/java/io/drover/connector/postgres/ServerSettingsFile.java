package io.drover.connector.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a {@code postgresql.conf} or {@code postgresql.auto.conf}: read a setting as the
 * server would (the last line that sets it wins), remove settings, append one. Lines drover does
 * not touch stay as they are.
 */
final class ServerSettingsFile {
    private static final Pattern SETTING = Pattern.compile(
            "^\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*=?\\s*('(?:[^'\\\\]|''|\\\\.)*'|[^\\s#']+)");

    private final List<String> lines;

    ServerSettingsFile(String text) {
        this.lines = new ArrayList<>(text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
    }

    /** The value the last line that sets {@code name} gives it, unquoted. */
    Optional<String> get(String name) {
        Optional<String> value = Optional.empty();
        for (String line : lines) {
            Matcher m = SETTING.matcher(line);
            if (m.find() && m.group(1).equalsIgnoreCase(name)) {
                value = Optional.of(unquote(m.group(2)));
            }
        }
        return value;
    }

    /** Removes every line that sets one of {@code names}; returns whether there was one. */
    boolean remove(Set<String> names) {
        return lines.removeIf(line -> {
            Matcher m = SETTING.matcher(line);
            return m.find() && names.stream().anyMatch(name -> name.equalsIgnoreCase(m.group(1)));
        });
    }

    /** Replaces every line that sets {@code name} with one line at the end that sets it to {@code value}. */
    void set(String name, String value) {
        remove(Set.of(name));
        lines.add(name + " = '" + value.replace("\\", "\\\\").replace("'", "''") + "'");
    }

    String text() {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private static String unquote(String value) {
        if (!value.startsWith("'")) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                out.append(value.charAt(++i));
            } else if (c == '\'' && value.charAt(i + 1) == '\'') {
                out.append('\'');
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
