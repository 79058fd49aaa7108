package io.drover.core.catalog;

import java.util.Collection;
import java.util.regex.Pattern;

/** Removes passwords from JDBC URLs, messages and exception chains before anyone sees them. */
final class Redaction {
    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("(?i)((?:password|passwd|pwd|sslpassword)\\s*=)[^&;#\\s]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@\\s]+:)[^/@\\s]*@");
    static final String MASK = "***";

    private Redaction() {
    }

    /** The URL with every {@code password=...} parameter and {@code user:password@} masked. */
    static String url(String url) {
        String masked = PASSWORD_PARAM.matcher(url).replaceAll("$1" + MASK);
        return USER_INFO.matcher(masked).replaceAll("$1" + MASK + "@");
    }

    /** {@code text} with URL-style passwords and every literal secret masked. */
    static String text(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String result = url(text);
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }

    /**
     * A copy of the exception chain whose messages are redacted, so that attaching it as a cause
     * never leaks a password. Stack traces and exception class names are kept.
     */
    static Throwable chain(Throwable t, Collection<String> secrets) {
        if (t == null) {
            return null;
        }
        String message = t.getClass().getName() + ": " + text(t.getMessage(), secrets);
        Throwable copy = new RedactedException(message, chain(t.getCause() == t ? null : t.getCause(), secrets));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** Stands in for a third-party exception whose message may have contained a secret. */
    static final class RedactedException extends Exception {
        private static final long serialVersionUID = 1L;

        RedactedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
