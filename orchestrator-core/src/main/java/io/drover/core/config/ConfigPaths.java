package io.drover.core.config;

import java.util.Locale;

/** Dotted key paths ({@code jobs.nightly.targets[0]}) and the Java ↔ YAML name mapping. */
public final class ConfigPaths {
    private ConfigPaths() {
    }

    public static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The last segment of a path, for messages such as "expected a number for 'full-every'". */
    static String leaf(String path) {
        int dot = path.lastIndexOf('.');
        return path.substring(dot + 1);
    }

    /** {@code partSize} → {@code part-size}. */
    public static String kebab(String javaName) {
        StringBuilder out = new StringBuilder(javaName.length() + 4);
        for (char c : javaName.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code after-backup} → {@code AFTER_BACKUP}, for enum constants. */
    static String constant(String text) {
        return text.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** {@code AFTER_BACKUP} → {@code after-backup}, for listing enum values to users. */
    static String kebabConstant(String constant) {
        return constant.replace('_', '-').toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance, for "did you mean" suggestions. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
