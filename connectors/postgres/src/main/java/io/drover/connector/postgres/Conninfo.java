package io.drover.connector.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A libpq connection string ({@code host=db1 port=5432 user='repl'}), as {@code primary_conninfo}
 * holds one: parsed into its keywords, in order, and written back. Its text may hold a password,
 * so it is never put in a message.
 */
final class Conninfo {
    private Conninfo() {
    }

    /**
     * The keywords of {@code text}: {@code keyword = value} pairs, values optionally in single
     * quotes with backslash escapes; or a {@code postgresql://} URI, of which host, port, user and
     * dbname are read.
     *
     * @throws IllegalArgumentException when it is neither; the message does not repeat the text
     */
    static Map<String, String> parse(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("postgresql://") || trimmed.startsWith("postgres://")) {
            return parseUri(trimmed);
        }
        Map<String, String> keywords = new LinkedHashMap<>();
        int i = 0;
        int n = trimmed.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(trimmed.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int keyStart = i;
            while (i < n && trimmed.charAt(i) != '=' && !Character.isWhitespace(trimmed.charAt(i))) {
                i++;
            }
            String key = trimmed.substring(keyStart, i);
            while (i < n && Character.isWhitespace(trimmed.charAt(i))) {
                i++;
            }
            if (key.isEmpty() || i >= n || trimmed.charAt(i) != '=') {
                throw new IllegalArgumentException("is not a connection string of keyword=value pairs");
            }
            i++;
            while (i < n && Character.isWhitespace(trimmed.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && trimmed.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = trimmed.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(trimmed.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("has an unterminated quoted value");
                }
            } else {
                while (i < n && !Character.isWhitespace(trimmed.charAt(i))) {
                    char c = trimmed.charAt(i++);
                    if (c == '\\' && i < n) {
                        c = trimmed.charAt(i++);
                    }
                    value.append(c);
                }
            }
            keywords.put(key, value.toString());
        }
        return keywords;
    }

    private static Map<String, String> parseUri(String text) {
        URI uri;
        try {
            uri = new URI(text.replaceFirst("^postgres(ql)?://", "postgresql://"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid postgresql:// URI", e);
        }
        Map<String, String> keywords = new LinkedHashMap<>();
        if (uri.getHost() != null) {
            keywords.put("host", uri.getHost().replaceAll("^\\[(.*)]$", "$1"));
        }
        if (uri.getPort() > 0) {
            keywords.put("port", String.valueOf(uri.getPort()));
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            keywords.put("user", URLDecoder.decode(colon < 0 ? userInfo : userInfo.substring(0, colon), StandardCharsets.UTF_8));
            if (colon >= 0) {
                keywords.put("password", URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
            }
        }
        return keywords;
    }

    /** {@code keywords} as a connection string, every value quoted. */
    static String format(Map<String, String> keywords) {
        return keywords.entrySet().stream().map(e -> e.getKey() + "=" + quote(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
