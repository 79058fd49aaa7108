package io.drover.core.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides what a test does when a real service it needs (PostgreSQL, MariaDB, ...) is not there:
 * skip on a developer machine, fail in CI. CI sets {@code -Ddrover.test.disallowSkip=true}
 * (or the environment variable {@code DROVER_TEST_DISALLOW_SKIP=true}), because a skipped test
 * there would hide that nothing was tested.
 */
public final class TestServices {
    public static final String DISALLOW_SKIP_PROPERTY = "drover.test.disallowSkip";
    public static final String DISALLOW_SKIP_ENV = "DROVER_TEST_DISALLOW_SKIP";

    private TestServices() {
    }

    /**
     * Returns if {@code available}; otherwise skips the calling test through a JUnit assumption,
     * or fails it when skipping is disallowed.
     *
     * @param name       the service, e.g. {@code "PostgreSQL at jdbc:postgresql://127.0.0.1:5432/postgres"}
     * @param howToStart a command or hint that starts the service
     */
    public static void requireService(String name, boolean available, String howToStart) {
        if (available) {
            return;
        }
        String message = name + " is not available; start it with: " + howToStart;
        if (skipDisallowed()) {
            Assertions.fail(message + " (skipping is disallowed because " + DISALLOW_SKIP_PROPERTY + "=true)");
        }
        Assumptions.assumeTrue(false, message + " (test skipped)");
    }

    /** Whether missing services must fail tests instead of skipping them. */
    public static boolean skipDisallowed() {
        return Boolean.parseBoolean(System.getProperty(DISALLOW_SKIP_PROPERTY))
                || Boolean.parseBoolean(System.getenv(DISALLOW_SKIP_ENV));
    }

    /** A setting from a system property, else the environment variable of the same name, else {@code fallback}. */
    public static String setting(String name, String fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
