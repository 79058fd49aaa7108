package io.drover.connector.mariadb;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code mariadb://user@host:port/database} (or {@code mysql://}) URL. It never holds a
 * password: a URL with one is refused, since config files and logs show URLs.
 */
record DbUrl(String scheme, String user, String host, int port, String database) {
    static final int DEFAULT_PORT = 3306;
    private static final Pattern URL = Pattern.compile(
            "(?<scheme>[a-z]+)://(?<user>[^@/:]+)@(?<host>\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+)(?::(?<port>[0-9]{1,5}))?"
                    + "(?:/(?<db>[^/?#]*))?");

    /** The URL, or the problems with it; problem messages never repeat a password. */
    static Result parse(String url) {
        List<String> problems = new ArrayList<>();
        String example = "write e.g. mariadb://backup@db1.example.com:3306/shop";
        int schemeEnd = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (schemeEnd >= 0 && at > schemeEnd && url.substring(schemeEnd + 3, at).contains(":")) {
            problems.add("the URL contains a password; remove it from the URL and put the password in "
                    + "password: \"${env:MARIADB_PASSWORD}\" (or ${file:/path})");
            return new Result(Optional.empty(), problems);
        }
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            problems.add("'" + url + "' is not a URL of the form mariadb://user@host[:port]/database; " + example);
            return new Result(Optional.empty(), problems);
        }
        String scheme = m.group("scheme");
        if (!scheme.equals("mariadb") && !scheme.equals("mysql")) {
            problems.add("'" + url + "' must start with mariadb:// or mysql://; " + example);
        }
        int port = DEFAULT_PORT;
        if (m.group("port") != null) {
            port = Integer.parseInt(m.group("port"));
            if (port < 1 || port > 65535) {
                problems.add("port " + port + " in '" + url + "' is not between 1 and 65535");
            }
        }
        String database = m.group("db") == null ? "" : m.group("db");
        if (database.isEmpty()) {
            problems.add("'" + url + "' names no database; add it after the port, e.g. mariadb://backup@db1:3306/shop");
        } else if (database.length() > 64 || database.endsWith(" ")) {
            problems.add("'" + database + "' is not a valid database name (at most 64 characters, no trailing space)");
        }
        if (!problems.isEmpty()) {
            return new Result(Optional.empty(), problems);
        }
        String host = m.group("host");
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Result(Optional.of(new DbUrl(scheme, m.group("user"), host, port, database)), List.of());
    }

    record Result(Optional<DbUrl> url, List<String> problems) {
    }

    /** The URL's value or an exception with its problems; for sources whose config was validated. */
    static DbUrl require(String url) {
        Result result = parse(url);
        return result.url().orElseThrow(() -> new IllegalArgumentException(String.join("; ", result.problems())));
    }

    /** {@code host:port}, with brackets around an IPv6 address. */
    String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
