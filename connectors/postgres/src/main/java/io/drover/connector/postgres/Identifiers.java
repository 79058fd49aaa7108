package io.drover.connector.postgres;

import java.util.ArrayList;
import java.util.List;

/** Quoting of SQL identifiers and names as the user writes them ({@code table}, {@code schema.table}). */
final class Identifiers {
    private Identifiers() {
    }

    /** {@code name} as a quoted identifier: {@code "na""me"}. */
    static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A string literal: {@code 'it''s'}. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /**
     * Splits {@code table} or {@code schema.table} (either part may be written in double quotes,
     * {@code "My Schema"."Orders"}) into its parts, taken literally.
     *
     * @throws IllegalArgumentException if it is not such a name
     */
    static List<String> parts(String name) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        int n = name.length();
        while (true) {
            StringBuilder part = new StringBuilder();
            if (i < n && name.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated quote in " + name);
                    }
                    char c = name.charAt(i++);
                    if (c == '"') {
                        if (i < n && name.charAt(i) == '"') {
                            part.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        part.append(c);
                    }
                }
            } else {
                while (i < n && name.charAt(i) != '.') {
                    char c = name.charAt(i++);
                    if (c == '"' || Character.isWhitespace(c)) {
                        throw new IllegalArgumentException("unexpected '" + c + "' in " + name);
                    }
                    part.append(c);
                }
            }
            if (part.isEmpty()) {
                throw new IllegalArgumentException("empty name part in " + name);
            }
            parts.add(part.toString());
            if (i >= n) {
                break;
            }
            if (name.charAt(i) != '.') {
                throw new IllegalArgumentException("expected '.' in " + name);
            }
            i++;
        }
        if (parts.size() > 2) {
            throw new IllegalArgumentException("more than schema.table in " + name);
        }
        return parts;
    }

    /** {@code table} or {@code schema.table}, each part quoted. */
    static String qualified(String name) {
        return String.join(".", parts(name).stream().map(Identifiers::quote).toList());
    }

    static boolean isValidTableName(String name) {
        try {
            parts(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
